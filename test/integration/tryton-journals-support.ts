/**
 * Shared pieces of the tests that deliver ERP journals to a real Tryton
 * (tryton-journals.test.ts, tryton-outbox-journals.test.ts): a Tryton company
 * whose warehouse is our WH-MAIN, a truck warehouse TRUCK-1 and four of our
 * demo products; a Fieldstock backend configured with FIELDSTOCK_ERP=tryton
 * (its own outbox timer off: tests drive the outbox with a test clock); and
 * readers of both sides (on hand, shipments, moves, ERP journal documents).
 *
 *   describeIfTryton('...', () => {
 *     const world = useTrytonJournals();
 *     it('...', async () => { await world.post([...]); await runNow(world.server, world.admin); await world.deliverQueued(clock); });
 *   });
 */
import { afterAll, beforeAll, expect } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { TrytonRpc } from '../../server/erp/adapters/tryton/rpc.js';
import type { OutboxHandlers } from '../../server/erp/outbox/handlers.js';
import { runOutboxOnce, type OutboxRunResult } from '../../server/erp/outbox/worker.js';
import { sinkFor, type ErpJournalSink } from '../../server/ledger/aggregation/sink.js';
import { ErpDecimal, type ErpValue } from '../../server/erp/values.js';
import type { ErpOutboxTable } from '../../server/store/tables.js';
import { parseQuantity, type Units } from '../../shared/decimal.js';
import type { ErpJournal, PostingJournal } from '../../shared/schemas/journals.js';
import { pushNew, startTestServer, type TestServer } from '../helpers/server.js';
import { buildPurchasingCompany, type PurchasingCompany } from '../helpers/tryton/fixture.js';
import { type TrytonTestServer } from '../helpers/tryton/server.js';
import { useTrytonServer } from '../helpers/tryton/use-server.js';
import { journalIdOf } from './aggregation-support.js';
import { productId, warehouseId, type Doc } from './api-support.js';
import { TEST_OUTBOX, type TestClock } from './erp-outbox-support.js';

export type Row = Record<string, ErpValue>;

export const WH_MAIN = warehouseId('WH-MAIN');
export const TRUCK_1 = warehouseId('TRUCK-1');
/** Exists in Fieldstock only. */
export const TRUCK_2 = warehouseId('TRUCK-2');
/** Demo products without serial or lot tracking; P-1161 is stocked in kilograms. */
export const ELBOW = 1001;
export const COUPLING = 1002;
export const VALVE = 1005;
export const REFRIGERANT = 1161;
/** Exists in Fieldstock only (until a test creates it in Tryton). */
export const NOT_IN_TRYTON = 1006;

/** The (warehouse, product) pairs whose on hand both sides hold. */
export const PAIRS = [
  [WH_MAIN, ELBOW],
  [WH_MAIN, COUPLING],
  [WH_MAIN, VALVE],
  [TRUCK_1, ELBOW],
  [TRUCK_1, REFRIGERANT],
] as const;

export type OnHandSnapshot = Map<string, { ours: Units; tryton: Units }>;

export class TrytonJournalsWorld {
  rpc!: TrytonRpc;
  company!: PurchasingCompany;
  server!: TestServer;
  admin = '';
  /** Storage location per warehouse (our id). */
  readonly places = new Map<string, { storageId: number }>();
  /** Tryton product id per our product number. */
  readonly trytonProducts = new Map<number, number>();

  constructor(readonly tryton: TrytonTestServer) {}

  db() {
    return this.server.fieldstock.ctx.store.db;
  }

  async start(): Promise<void> {
    this.rpc = new TrytonRpc(this.tryton.rpcOptions());
    // The fixture's product is our P-1001; its warehouse becomes WH-MAIN, and a truck is added.
    this.company = await buildPurchasingCompany(this.rpc, { productCode: `P-${ELBOW}` });
    await this.rpc.model('stock.location', 'write', [[this.company.warehouseId], { code: 'WH-MAIN' }]);
    this.places.set(WH_MAIN, { storageId: this.company.storageLocationId });
    this.places.set(TRUCK_1, await this.createTrytonWarehouse('TRUCK-1', 'Truck 1'));
    this.trytonProducts.set(ELBOW, this.company.productId);
    this.trytonProducts.set(COUPLING, await this.createTrytonProduct(COUPLING, this.company.unitId));
    this.trytonProducts.set(VALVE, await this.createTrytonProduct(VALVE, this.company.unitId));
    this.trytonProducts.set(REFRIGERANT, await this.createTrytonProduct(REFRIGERANT, await this.uomId('kg')));

    // FIELDSTOCK_ERP=tryton as an operator sets it; the inbound sync and the outbox timer run only when asked (tests drive them).
    const erpConfig = loadConfig({
      FIELDSTOCK_ERP: 'tryton',
      FIELDSTOCK_TRYTON_URL: this.tryton.url,
      FIELDSTOCK_TRYTON_DATABASE: this.tryton.database,
      FIELDSTOCK_TRYTON_USER: this.tryton.user,
      FIELDSTOCK_TRYTON_PASSWORD: this.tryton.password.reveal(),
      FIELDSTOCK_ERP_TIMEOUT_MS: '10000',
      FIELDSTOCK_ERP_SYNC_INTERVAL_MS: '0',
      FIELDSTOCK_ERP_OUTBOX_INTERVAL_MS: '0',
    });
    this.server = await startTestServer({
      config: { erp: erpConfig.erp, tryton: erpConfig.tryton, erpTimeoutMs: erpConfig.erpTimeoutMs, erpSync: erpConfig.erpSync, erpOutbox: erpConfig.erpOutbox },
    });
    this.admin = await this.server.token('admin');
  }

  async close(): Promise<void> {
    await this.server?.close();
    // Tryton may have been stopped by a test; logging out of a stopped server only fails.
    if (this.tryton.running) await this.rpc?.logout();
  }

  async createTrytonWarehouse(code: string, name: string): Promise<{ storageId: number }> {
    const [input, output, storage] = (await this.rpc.model('stock.location', 'create', [
      [
        { name: `${name} input`, type: 'storage' },
        { name: `${name} output`, type: 'storage' },
        { name: `${name} storage`, type: 'storage' },
      ],
    ])) as number[];
    await this.rpc.model('stock.location', 'create', [
      [{ name, code, type: 'warehouse', input_location: input ?? 0, output_location: output ?? 0, storage_location: storage ?? 0, lost_found_location: this.company.lostFoundLocationId }],
    ]);
    return { storageId: storage ?? 0 };
  }

  /** Creates our product P-<number> in Tryton (same code) and remembers its Tryton id. */
  async createTrytonProduct(number: number, uom: number): Promise<number> {
    const code = `P-${number}`;
    const [templateId] = (await this.rpc.model('product.template', 'create', [
      [{ name: code, type: 'goods', default_uom: uom, list_price: ErpDecimal.parse('10'), products: [['create', [{ suffix_code: code, cost_price: ErpDecimal.parse('5') }]]] }],
    ])) as number[];
    const [template] = (await this.rpc.model('product.template', 'read', [[templateId ?? 0], ['products']])) as Row[];
    const id = (template?.products as number[])[0] ?? 0;
    this.trytonProducts.set(number, id);
    return id;
  }

  async uomId(symbol: string): Promise<number> {
    const [id] = (await this.rpc.model('product.uom', 'search', [[['symbol', '=', symbol]], 0, 1, [['id', 'ASC']]])) as number[];
    if (id === undefined) throw new Error(`Tryton has no unit ${symbol}`);
    return id;
  }

  /** Tryton's on hand of one product in one warehouse's storage location. */
  async trytonOnHand(warehouse: string, product: number): Promise<Units> {
    const storage = this.places.get(warehouse)?.storageId;
    const [row] = (await this.rpc.model('product.product', 'read', [[this.trytonProducts.get(product) ?? 0], ['quantity']], { locations: [storage ?? 0] })) as Row[];
    const parsed = parseQuantity(row?.quantity);
    if (!parsed.ok) throw new Error(parsed.message);
    return parsed.units;
  }

  async ourOnHand(warehouse: string, product: number): Promise<Units> {
    const row = await this.db().selectFrom('onhand').select('on_hand').where('warehouse_id', '=', warehouse).where('product_id', '=', productId(product)).executeTakeFirst();
    return Number(row?.on_hand ?? 0) as Units;
  }

  async snapshot(pairs: readonly (readonly [string, number])[] = PAIRS): Promise<OnHandSnapshot> {
    const result: OnHandSnapshot = new Map();
    for (const [w, p] of pairs) result.set(`${w}|${p}`, { ours: await this.ourOnHand(w, p), tryton: await this.trytonOnHand(w, p) });
    return result;
  }

  /** Pushes new inventory transactions as the admin; all must post. Returns their posting journal ids. */
  async post(docs: Doc[]): Promise<string[]> {
    const r = await pushNew(this.server, this.admin, 'inventoryTransactions', docs);
    expect(r.status).toBe(200);
    expect(r.body).toEqual([]);
    return Promise.all(docs.map((d) => journalIdOf(this.db(), String(d.id))));
  }

  /** Every internal shipment carrying a Fieldstock reference, oldest first. */
  async shipments(): Promise<Row[]> {
    return (await this.rpc.model('stock.shipment.internal', 'search_read', [[['reference', 'like', 'fieldstock:%']], 0, null, [['id', 'ASC']], ['reference', 'state', 'moves']])) as Row[];
  }

  async movesOf(ids: number[]): Promise<Row[]> {
    return (await this.rpc.model('stock.move', 'read', [ids, ['product', 'quantity', 'from_location', 'to_location', 'state', 'shipment']])) as Row[];
  }

  /** An ERP journal's document as it replicates to devices. */
  async erpDoc(id: string): Promise<ErpJournal> {
    const row = await this.db().selectFrom('docs').select('data').where('collection', '=', 'journals').where('id', '=', id).executeTakeFirstOrThrow();
    return JSON.parse(row.data) as ErpJournal;
  }

  async postingDoc(id: string): Promise<PostingJournal> {
    const row = await this.db().selectFrom('docs').select('data').where('collection', '=', 'journals').where('id', '=', id).executeTakeFirstOrThrow();
    return JSON.parse(row.data) as PostingJournal;
  }

  async sink(): Promise<ErpJournalSink> {
    const made = await sinkFor(this.server.fieldstock.ctx.config, this.server.fieldstock.ctx.erp?.connector);
    if (!made) throw new Error('no sink for tryton');
    return made;
  }

  /** The outbox items of ERP journals, in queue order. */
  async journalItems(): Promise<ErpOutboxTable[]> {
    return this.db().selectFrom('erp_outbox').selectAll().where('map_name', '=', 'journals').orderBy('seq').execute();
  }

  /**
   * One run of the app's outbox worker on `clock` (with the app's handlers,
   * ctx.outboxHandlers, its `journals/deliver` among them, unless others are
   * given), with the test outbox settings: small backoff, no jitter
   * (random 1: the full delay).
   */
  runOutbox(clock: TestClock, handlers?: OutboxHandlers): Promise<OutboxRunResult> {
    const ctx = this.server.fieldstock.ctx;
    return runOutboxOnce({ store: ctx.store, notifier: ctx.notifier, handlers: handlers ?? ctx.outboxHandlers, config: TEST_OUTBOX, callTimeoutMs: ctx.config.erpTimeoutMs, now: clock.now, random: () => 1 });
  }
}

/** A Tryton server and the world above, for the enclosing describe (started in beforeAll, closed in afterAll). */
export function useTrytonJournals(): TrytonJournalsWorld {
  const tryton = useTrytonServer();
  const world = new TrytonJournalsWorld(tryton);
  beforeAll(() => world.start(), 120_000);
  afterAll(() => world.close());
  return world;
}

/** How much Tryton moved per pair between two snapshots. */
export function trytonDelta(before: OnHandSnapshot, after: OnHandSnapshot, warehouse: string, product: number): number {
  const key = `${warehouse}|${product}`;
  return (after.get(key)?.tryton ?? 0) - (before.get(key)?.tryton ?? 0);
}

/** Tryton moved by exactly what our ledger applied, for every pair. */
export function expectTrytonFollowedOurs(before: OnHandSnapshot, after: OnHandSnapshot): void {
  for (const [key, { ours, tryton }] of after) {
    const was = before.get(key);
    expect({ key, tryton: tryton - (was?.tryton ?? 0) }).toEqual({ key, tryton: ours - (was?.ours ?? 0) });
  }
}
