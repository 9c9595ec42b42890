// The posting path's batch reads and bulk writes (server/ledger/batch-reads.ts, server/store/bulk-insert.ts)
// on a real SQLite file and a real PostgreSQL database: the same results as one statement per row would give.
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postNewDocuments, type LedgerConfig } from '../../server/ledger/post.js';
import { inventoryDocWrite, LedgerState } from '../../server/ledger/state.js';
import { openStore, type Store } from '../../server/store/open.js';
import { loadDocs, writeTransaction } from '../../server/store/write.js';
import type { InventoryTransaction, Warehouse } from '../../shared/collections.js';
import { units, type Units } from '../../shared/decimal.js';
import { inventoryId } from '../../shared/schemas/inventory.js';
import type { SessionUser } from '../../shared/wire.js';
import { createTestDatabase, describeIfPg, type TestDatabase } from '../helpers/postgres.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

const WH = 'pb-wh';
const WH_STRICT = 'pb-strict';
const P1 = 'pb-p1';
const P2 = 'pb-p2';
const clerk: SessionUser = { id: 'pb-clerk', username: 'pb-clerk', role: 'warehouse', warehouseIds: [WH, WH_STRICT] };
const config: LedgerConfig = { overReceiptTolerancePercent: 0 };
const T = (hhmm: string) => `2025-03-01T${hhmm}:00.000Z`;

const warehouse = (id: string, allowNegativeStock: boolean): Warehouse => ({
  id,
  code: id.toUpperCase(),
  name: id,
  kind: 'warehouse',
  externallyMaintained: false,
  allowNegativeStock,
  active: true,
});

function tx(input: Partial<InventoryTransaction> & Pick<InventoryTransaction, 'type' | 'quantity' | 'occurredAt'>): Record<string, unknown> {
  return { id: randomUUID(), warehouseId: WH, productId: P1, status: 'pending', _deleted: false, ...input };
}

function postingBatchSuite(engine: 'sqlite' | 'postgres') {
  let dir: TempDir;
  let database: TestDatabase | undefined;
  let store: Store;

  const post = (docs: Record<string, unknown>[]) => writeTransaction(store, undefined, (w) => postNewDocuments(w, 'inventoryTransactions', docs, clerk, config));
  const onHand = async (warehouseId: string, productId: string) => {
    const row = await store.db.selectFrom('onhand').select('on_hand').where('warehouse_id', '=', warehouseId).where('product_id', '=', productId).executeTakeFirst();
    const doc = (await loadDocs(store.db, 'inventory', [inventoryId(warehouseId, productId)])).get(inventoryId(warehouseId, productId));
    // The projection and the replicated document must agree.
    expect(units(doc?.data.onHand as number)).toBe(Number(row?.on_hand));
    return Number(row?.on_hand) as Units;
  };
  const count = async (table: 'postings' | 'journal_lines') =>
    Number((await store.db.selectFrom(table).select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirstOrThrow()).n);

  beforeAll(async () => {
    dir = tempDir(`posting-batch-${engine}`);
    if (engine === 'postgres') database = await createTestDatabase();
    store = await openStore({ dataDir: dir.path, databaseUrl: database?.url });
    await writeTransaction(store, undefined, async (w) => {
      for (const wh of [warehouse(WH, true), warehouse(WH_STRICT, false)]) w.put({ collection: 'warehouses', id: wh.id, data: { ...wh, _deleted: false }, scopeA: null, scopeB: null });
      for (const id of [P1, P2]) {
        const product = { id, number: id.toUpperCase(), name: id, unit: 'EA', barcodes: [], tracking: 'none', active: true, _deleted: false };
        w.put({ collection: 'products', id, data: product, scopeA: null, scopeB: null });
      }
      const levels = [
        { warehouseId: WH, productId: P1, onHand: units(10), onOrder: 0 as Units, ordered: 0 as Units },
        { warehouseId: WH_STRICT, productId: P1, onHand: units(5), onOrder: 0 as Units, ordered: 0 as Units },
      ];
      await w.insert(
        'onhand',
        levels.map((l) => ({ warehouse_id: l.warehouseId, product_id: l.productId, on_hand: l.onHand, on_order: 0, ordered: 0, last_count_at: null })),
      );
      for (const l of levels) w.put(inventoryDocWrite(l));
    });
  });

  afterAll(async () => {
    await store?.close();
    await database?.drop();
    dir?.cleanup();
  });

  it('one batch: each count is its quantity plus every later line, stored before the batch or earlier in it', async () => {
    // Stored first: lines on both sides of 10:00.
    await post([tx({ type: 'adjustment', quantity: 2, occurredAt: T('09:00') }), tx({ type: 'adjustment', quantity: 3, occurredAt: T('11:00') }), tx({ type: 'adjustment', quantity: -1, occurredAt: T('12:00') })]);
    expect(await onHand(WH, P1)).toBe(units(14));

    const outcomes = await post([
      tx({ type: 'count', quantity: 20, occurredAt: T('10:00') }),
      tx({ type: 'adjustment', quantity: 4, occurredAt: T('10:30') }),
      tx({ type: 'adjustment', quantity: 100, occurredAt: T('09:30') }),
      tx({ type: 'count', quantity: 7, productId: P2, occurredAt: T('10:00') }),
      tx({ type: 'count', quantity: 6.5, productId: P2, occurredAt: T('10:00') }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['posted', 'posted', 'posted', 'posted', 'posted']);
    // 20 counted at 10:00 + (3 - 1) stored after it + 4 earlier in this batch after it; the 09:30 line is inside the count.
    expect(await onHand(WH, P1)).toBe(units(26));
    // A level with no row and no lines: the count sets it; a second count of the same moment changes nothing.
    expect(await onHand(WH, P2)).toBe(units(7));
    const late = await store.db.selectFrom('journal_lines').select('quantity').where('source_id', '=', outcomes[2]?.id ?? '').executeTakeFirstOrThrow();
    expect(Number(late.quantity)).toBe(0);
  });

  it('the stock rule reads the level as this batch left it', async () => {
    const outcomes = await post([
      tx({ type: 'consumption', quantity: 3, warehouseId: WH_STRICT, occurredAt: T('13:00') }),
      tx({ type: 'consumption', quantity: 3, warehouseId: WH_STRICT, occurredAt: T('13:01') }),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['posted', 'rejected']);
    expect(outcomes[1]?.error).toMatchObject({ code: 'insufficient-stock', message: expect.stringContaining('PB-STRICT has 2 on hand') });
    expect(await onHand(WH_STRICT, P1)).toBe(units(2));
  });

  it('posting an id that is already posted fails the whole batch and changes nothing (postings primary key)', async () => {
    const first = tx({ type: 'adjustment', quantity: 1, occurredAt: T('14:00') });
    await post([first]);
    const before = { level: await onHand(WH, P1), postings: await count('postings'), lines: await count('journal_lines') };
    await expect(post([tx({ type: 'adjustment', quantity: 5, occurredAt: T('14:01') }), { ...first }])).rejects.toThrow();
    expect({ level: await onHand(WH, P1), postings: await count('postings'), lines: await count('journal_lines') }).toEqual(before);
  });

  it('a level the batch did not name cannot be read as empty', async () => {
    await writeTransaction(store, undefined, async (w) => {
      const state = new LedgerState(w);
      const sources = [tx({ type: 'adjustment', quantity: 1, occurredAt: T('15:00') })];
      await state.load({ productIds: [P1], warehouseIds: [WH], sources });
      expect(state.level(WH, P1).onHand).toBeGreaterThan(0);
      // Stored with 2 on hand: zero would be a lie.
      expect(() => state.level(WH_STRICT, P1)).toThrow(/not loaded/);
    });
  });

  it('bulk insert writes every row, past the rows one statement takes', async () => {
    const before = await count('postings');
    const rows = Array.from({ length: 6001 }, (_, i) => ({
      source_collection: 'bulk-test',
      source_id: `row-${i}`,
      journal_id: null,
      outcome: 'rejected' as const,
      posted_at: i,
    }));
    await writeTransaction(store, undefined, (w) => w.insert('postings', rows));
    expect(await count('postings')).toBe(before + rows.length);
    const last = await store.db.selectFrom('postings').selectAll().where('source_id', '=', 'row-6000').executeTakeFirstOrThrow();
    expect(last).toMatchObject({ source_collection: 'bulk-test', journal_id: null, outcome: 'rejected', posted_at: 6000 });
  });

  it('bulk insert stores a lone UTF-16 surrogate replaced by U+FFFD, as a plain parameter does, instead of failing the batch', async () => {
    await writeTransaction(store, undefined, (w) =>
      w.insert('postings', [{ source_collection: 'bulk-test', source_id: 'broken-\ud800-id', journal_id: null, outcome: 'rejected', posted_at: 1 }]),
    );
    const stored = await store.db.selectFrom('postings').select('source_id').where('source_id', 'like', 'broken-%').execute();
    expect(stored).toHaveLength(1);
    // SQLite's driver writes the surrogate's three bytes (three U+FFFD when read); PostgreSQL's one U+FFFD, as before.
    expect(stored[0]?.source_id).toMatch(/^broken-\ufffd+-id$/);
  });
}

describe('posting batch (sqlite)', () => postingBatchSuite('sqlite'));
describeIfPg('posting batch (postgres)', () => postingBatchSuite('postgres'));
