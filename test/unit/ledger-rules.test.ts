// Ledger posting rules (server/ledger) against a real SQLite store: no mocks.
import { randomUUID } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InventoryTransaction, PurchaseOrder, Receipt, Warehouse } from '../../shared/collections.js';
import { units, type Units } from '../../shared/decimal.js';
import { inventoryId } from '../../shared/schemas/inventory.js';
import type { JournalLine } from '../../shared/schemas/journals.js';
import type { SessionUser } from '../../shared/wire.js';
import { postNewDocuments, type LedgerConfig, type PostedOutcome } from '../../server/ledger/post.js';
import { NO_RECEIPT_REFERENCES } from '../../server/ledger/receipt-references.js';
import { evaluateReceipt, type EvaluatedReceipt } from '../../server/ledger/receipts.js';
import type { Rejection } from '../../server/ledger/rejection.js';
import { LedgerState } from '../../server/ledger/state.js';
import { evaluateTransaction, type Evaluated } from '../../server/ledger/transactions.js';
import { openStore, type Store } from '../../server/store/open.js';
import { loadDocs, writeTransaction } from '../../server/store/write.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

const WH_A = 'wh-a';
const WH_B = 'wh-b';
const WH_STRICT = 'wh-strict';
const WH_OTHER = 'wh-other';
const P1 = 'prod-1';
const P2 = 'prod-2';
/** Bought in boxes of 12 and in packs of 0.3333; stocked in EA. */
const P_BOX = 'prod-box';
/** Allows no over-receipt whatever its vendor says. */
const P_STRICT = 'prod-strict';

const clerk: SessionUser = { id: 'user-clerk', username: 'clerk', role: 'warehouse', warehouseIds: [WH_A, WH_B, WH_STRICT] };
const NO_TOLERANCE: LedgerConfig = { overReceiptTolerancePercent: 0 };

/** Device times well in the past of any server clock. */
const T = (hhmm: string): string => `2025-06-01T${hhmm}:00.000Z`;

function warehouse(id: string, allowNegativeStock: boolean): Warehouse {
  return { id, code: id.toUpperCase(), name: `Warehouse ${id}`, kind: 'warehouse', externallyMaintained: false, allowNegativeStock, active: true };
}

function purchaseOrder(id: string, status: PurchaseOrder['status'], lines: PurchaseOrder['lines'], warehouseId = WH_A): PurchaseOrder {
  return { id, number: id.toUpperCase(), vendorName: 'Pacific Supply Co.', status, warehouseId, lines };
}

const PURCHASE_ORDERS: PurchaseOrder[] = [
  purchaseOrder('po-open', 'open', [
    { lineNumber: 1, productId: P1, quantityOrdered: 10, quantityReceived: 0, unit: 'EA' },
    { lineNumber: 2, productId: P2, quantityOrdered: 5, quantityReceived: 0, unit: 'EA' },
  ]),
  purchaseOrder('po-partial', 'partially-received', [{ lineNumber: 1, productId: P1, quantityOrdered: 10, quantityReceived: 4, unit: 'EA' }]),
  purchaseOrder('po-fraction', 'open', [{ lineNumber: 1, productId: P1, quantityOrdered: 3.3333, quantityReceived: 0, unit: 'EA' }]),
  {
    ...purchaseOrder('po-units', 'open', [
      { lineNumber: 1, productId: P_BOX, quantityOrdered: 2, quantityReceived: 0, unit: 'BOX' },
      { lineNumber: 2, productId: P_BOX, quantityOrdered: 3, quantityReceived: 0, unit: 'PACK' },
      { lineNumber: 3, productId: P_STRICT, quantityOrdered: 10, quantityReceived: 0, unit: 'EA' },
      { lineNumber: 4, productId: P1, quantityOrdered: 10, quantityReceived: 0, unit: 'EA' },
      { lineNumber: 5, productId: P1, quantityOrdered: 1, quantityReceived: 0, unit: 'CRATE' },
    ]),
    vendorCode: 'GENEROUS',
  },
  purchaseOrder('po-closed', 'closed', [{ lineNumber: 1, productId: P1, quantityOrdered: 10, quantityReceived: 0, unit: 'EA' }]),
  purchaseOrder('po-cancelled', 'cancelled', [{ lineNumber: 1, productId: P1, quantityOrdered: 10, quantityReceived: 0, unit: 'EA' }]),
];

let dir: TempDir;
let store: Store;

beforeEach(async () => {
  dir = tempDir('ledger-rules');
  store = await openStore({ dataDir: dir.path });
  await writeTransaction(store, undefined, async (w) => {
    for (const wh of [warehouse(WH_A, true), warehouse(WH_B, true), warehouse(WH_STRICT, false), warehouse(WH_OTHER, true)]) {
      w.put({ collection: 'warehouses', id: wh.id, data: { ...wh, _deleted: false }, scopeA: null, scopeB: null });
    }
    for (const id of [P1, P2]) {
      const product = { id, number: id.toUpperCase(), name: `Product ${id}`, unit: 'EA', barcodes: [], tracking: 'none', active: true };
      w.put({ collection: 'products', id, data: { ...product, _deleted: false }, scopeA: null, scopeB: null });
    }
    const boxed = { id: P_BOX, number: 'P-BOX', name: 'Boxed part', unit: 'EA', barcodes: [], tracking: 'none', active: true, unitConversions: [{ unit: 'BOX', factor: 12 }, { unit: 'PACK', factor: 0.3333 }] };
    const strict = { id: P_STRICT, number: 'P-STRICT', name: 'Strict part', unit: 'EA', barcodes: [], tracking: 'none', active: true, overReceiptTolerancePercent: 0 };
    for (const product of [boxed, strict]) w.put({ collection: 'products', id: product.id, data: { ...product, _deleted: false }, scopeA: null, scopeB: null });
    const vendor = { id: 'vendor-generous', kind: 'vendor', code: 'GENEROUS', name: 'Generous Supply', active: true, overReceiptTolerancePercent: 10 };
    w.put({ collection: 'referenceData', id: vendor.id, data: { ...vendor, _deleted: false }, scopeA: null, scopeB: null });
    for (const po of PURCHASE_ORDERS) {
      w.put({ collection: 'purchaseOrders', id: po.id, data: { ...po, _deleted: false }, scopeA: po.warehouseId, scopeB: null });
    }
    // What po-open still expects at WH_A.
    await w.trx
      .insertInto('onhand')
      .values([
        { warehouse_id: WH_A, product_id: P1, on_hand: 0, on_order: units(10), ordered: 0, last_count_at: null },
        { warehouse_id: WH_A, product_id: P2, on_hand: 0, on_order: units(5), ordered: 0, last_count_at: null },
      ])
      .execute();
  });
});

afterEach(async () => {
  await store.close();
  dir.cleanup();
});

type TxInput = Pick<InventoryTransaction, 'type' | 'quantity'> & Partial<InventoryTransaction>;

function tx(input: TxInput): InventoryTransaction {
  return { id: randomUUID(), warehouseId: WH_A, productId: P1, occurredAt: T('10:00'), status: 'pending', ...input };
}

function receipt(input: Partial<Receipt> & Pick<Receipt, 'lines'>): Receipt {
  return { id: randomUUID(), purchaseOrderId: 'po-open', warehouseId: WH_A, receivedAt: T('10:00'), status: 'pending', ...input };
}

async function post(doc: InventoryTransaction, user: SessionUser = clerk): Promise<PostedOutcome> {
  const [outcome] = await writeTransaction(store, undefined, (w) =>
    postNewDocuments(w, 'inventoryTransactions', [{ ...doc, _deleted: false }], user, NO_TOLERANCE),
  );
  if (!outcome) throw new Error('no outcome');
  return outcome;
}

async function postReceipt(doc: Receipt, config: LedgerConfig = NO_TOLERANCE): Promise<PostedOutcome> {
  const [outcome] = await writeTransaction(store, undefined, (w) => postNewDocuments(w, 'receipts', [{ ...doc, _deleted: false }], clerk, config));
  if (!outcome) throw new Error('no outcome');
  return outcome;
}

/** Evaluates without posting, against the stored state, with an explicit server clock. */
async function evaluate(doc: InventoryTransaction, options: { now?: number; user?: SessionUser } = {}): Promise<Evaluated | Rejection> {
  return writeTransaction(store, undefined, async (w) => {
    const state = new LedgerState(w);
    const warehouseIds = [doc.warehouseId, ...(doc.toWarehouseId ? [doc.toWarehouseId] : [])];
    await state.load({ productIds: [doc.productId], warehouseIds });
    return evaluateTransaction(doc, options.user ?? clerk, state, options.now ?? w.now);
  });
}

async function evaluateR(doc: Receipt, config: LedgerConfig, now?: number): Promise<EvaluatedReceipt | Rejection> {
  return writeTransaction(store, undefined, async (w) => {
    const state = new LedgerState(w);
    await state.load({ productIds: doc.lines.map((l) => l.productId), warehouseIds: [doc.warehouseId], purchaseOrderIds: [doc.purchaseOrderId] });
    return evaluateReceipt(doc, clerk, state, NO_RECEIPT_REFERENCES, config, now ?? w.now);
  });
}

function codeOf(result: Evaluated | EvaluatedReceipt | Rejection): string | undefined {
  return 'code' in result ? result.code : undefined;
}

function expectPosted(outcome: PostedOutcome): void {
  expect(outcome.error, outcome.error?.message).toBeUndefined();
  expect(outcome.status).toBe('posted');
}

function expectRejected(outcome: PostedOutcome, code: string): void {
  expect(outcome.status).toBe('rejected');
  expect(outcome.error?.code).toBe(code);
  expect(outcome.document.status).toBe('rejected');
}

async function level(warehouseId: string, productId: string): Promise<{ onHand: Units; onOrder: Units; lastCountAt: string | null }> {
  const row = await store.db
    .selectFrom('onhand')
    .selectAll()
    .where('warehouse_id', '=', warehouseId)
    .where('product_id', '=', productId)
    .executeTakeFirst();
  return { onHand: (row?.on_hand ?? 0) as Units, onOrder: (row?.on_order ?? 0) as Units, lastCountAt: row?.last_count_at ?? null };
}

async function onHand(warehouseId: string, productId: string): Promise<Units> {
  return (await level(warehouseId, productId)).onHand;
}

/** The replicated inventory document must always agree with the projection. */
async function inventoryDocOnHand(warehouseId: string, productId: string): Promise<number | undefined> {
  const id = inventoryId(warehouseId, productId);
  const doc = (await loadDocs(store.db, 'inventory', [id])).get(id);
  return doc?.data.onHand as number | undefined;
}

async function journalLines(outcome: PostedOutcome): Promise<JournalLine[]> {
  const id = String(outcome.document.journalId);
  const journal = (await loadDocs(store.db, 'journals', [id])).get(id);
  if (!journal) throw new Error(`journal ${id} not found`);
  return journal.data.lines as JournalLine[];
}

async function storedPo(id: string): Promise<PurchaseOrder> {
  const doc = (await loadDocs(store.db, 'purchaseOrders', [id])).get(id);
  if (!doc) throw new Error(`purchase order ${id} not found`);
  return doc.data as unknown as PurchaseOrder;
}

describe('inventory transactions', () => {
  it('an adjustment adds its signed delta to on hand and journals it', async () => {
    const up = await post(tx({ type: 'adjustment', quantity: 12.5 }));
    expectPosted(up);
    expectPosted(await post(tx({ type: 'adjustment', quantity: -0.3 })));
    expect(await onHand(WH_A, P1)).toBe(units('12.2'));
    expect(await inventoryDocOnHand(WH_A, P1)).toBe(12.2);
    expect(await journalLines(up)).toEqual([{ lineNumber: 1, warehouseId: WH_A, productId: P1, quantity: 12.5, requestedQuantity: 12.5 }]);
  });

  it('decimal quantities add exactly: ten adjustments of 0.1 make 1', async () => {
    for (let i = 0; i < 10; i += 1) expectPosted(await post(tx({ type: 'adjustment', quantity: 0.1 })));
    expect(await onHand(WH_A, P1)).toBe(units(1));
    expect(await inventoryDocOnHand(WH_A, P1)).toBe(1);
  });

  it('a consumption takes its positive quantity off on hand', async () => {
    expectPosted(await post(tx({ type: 'adjustment', quantity: 10 })));
    const used = await post(tx({ type: 'consumption', quantity: 2.25 }));
    expectPosted(used);
    expect(await onHand(WH_A, P1)).toBe(units('7.75'));
    expect((await journalLines(used))[0]?.quantity).toBe(-2.25);
  });

  it('a transfer moves stock out of one warehouse and into the other in one journal', async () => {
    expectPosted(await post(tx({ type: 'adjustment', quantity: 10 })));
    const moved = await post(tx({ type: 'transfer', quantity: 4, toWarehouseId: WH_B }));
    expectPosted(moved);
    expect(await onHand(WH_A, P1)).toBe(units(6));
    expect(await onHand(WH_B, P1)).toBe(units(4));
    const lines = await journalLines(moved);
    expect(lines.map((l) => [l.warehouseId, l.quantity])).toEqual([
      [WH_A, -4],
      [WH_B, 4],
    ]);
  });

  it('a transfer needs two different warehouses', async () => {
    expectRejected(await post(tx({ type: 'transfer', quantity: 1, toWarehouseId: WH_A })), 'same-warehouse');
    expect(await onHand(WH_A, P1)).toBe(0);
  });

  it('a transfer needs a destination, and only a transfer may have one', async () => {
    expectRejected(await post(tx({ type: 'transfer', quantity: 1 })), 'invalid-document');
    expectRejected(await post(tx({ type: 'adjustment', quantity: 1, toWarehouseId: WH_B })), 'invalid-document');
  });

  it('a transfer is allowed when only one of its two warehouses is in the user\'s scope, either side', async () => {
    expectPosted(await post(tx({ type: 'transfer', quantity: 2, warehouseId: WH_OTHER, toWarehouseId: WH_A })));
    expectPosted(await post(tx({ type: 'transfer', quantity: 1, warehouseId: WH_A, toWarehouseId: WH_OTHER })));
    expect(await onHand(WH_A, P1)).toBe(units(1));
    expect(await onHand(WH_OTHER, P1)).toBe(units(-1));
  });

  it('a transfer between two warehouses outside the user\'s scope is rejected', async () => {
    const tech: SessionUser = { id: 'user-tech', username: 'tech', role: 'technician', warehouseIds: [WH_STRICT] };
    expectRejected(await post(tx({ type: 'transfer', quantity: 1, warehouseId: WH_OTHER, toWarehouseId: WH_A }), tech), 'warehouse-not-in-scope');
    expectRejected(await post(tx({ type: 'adjustment', quantity: 1, warehouseId: WH_A }), tech), 'warehouse-not-in-scope');
    expect(await onHand(WH_A, P1)).toBe(0);
  });

  it('unknown products and warehouses are rejected', async () => {
    expectRejected(await post(tx({ type: 'adjustment', quantity: 1, productId: 'nope' })), 'unknown-product');
    expectRejected(await post(tx({ type: 'adjustment', quantity: 1, warehouseId: 'nope' })), 'unknown-warehouse');
    expectRejected(await post(tx({ type: 'transfer', quantity: 1, toWarehouseId: 'nope' })), 'unknown-warehouse');
  });

  it('quantities with more than four decimals are rejected as precision-exceeded, not rounded', async () => {
    expectRejected(await post(tx({ type: 'adjustment', quantity: 1.00001 })), 'precision-exceeded');
    expectRejected(await post(tx({ type: 'consumption', quantity: 0.00005 })), 'precision-exceeded');
    expect(await onHand(WH_A, P1)).toBe(0);
  });

  it('a negative or zero consumption or transfer, a negative count and a zero adjustment are invalid quantities', async () => {
    expectRejected(await post(tx({ type: 'consumption', quantity: -1 })), 'invalid-quantity');
    expectRejected(await post(tx({ type: 'consumption', quantity: 0 })), 'invalid-quantity');
    expectRejected(await post(tx({ type: 'transfer', quantity: -1, toWarehouseId: WH_B })), 'invalid-quantity');
    expectRejected(await post(tx({ type: 'count', quantity: -1 })), 'invalid-quantity');
    expectRejected(await post(tx({ type: 'adjustment', quantity: 0 })), 'invalid-quantity');
    expect(await onHand(WH_A, P1)).toBe(0);
  });

  it('a count of zero is valid and empties the shelf', async () => {
    expectPosted(await post(tx({ type: 'adjustment', quantity: 3, occurredAt: T('09:00') })));
    expectPosted(await post(tx({ type: 'count', quantity: 0, occurredAt: T('10:00') })));
    expect(await onHand(WH_A, P1)).toBe(0);
  });
});

describe('negative stock policy', () => {
  it('a warehouse that forbids negative stock rejects taking more than is on hand, with insufficient-stock', async () => {
    expectRejected(await post(tx({ type: 'consumption', quantity: 1, warehouseId: WH_STRICT })), 'insufficient-stock');
    expectRejected(await post(tx({ type: 'adjustment', quantity: -1, warehouseId: WH_STRICT })), 'insufficient-stock');
    expectRejected(await post(tx({ type: 'transfer', quantity: 1, warehouseId: WH_STRICT, toWarehouseId: WH_A })), 'insufficient-stock');
    expect(await onHand(WH_STRICT, P1)).toBe(0);
    expect(await onHand(WH_A, P1)).toBe(0);
  });

  it('a warehouse that forbids negative stock still lets on hand go exactly to zero', async () => {
    expectPosted(await post(tx({ type: 'adjustment', quantity: 5, warehouseId: WH_STRICT })));
    expectRejected(await post(tx({ type: 'consumption', quantity: 5.0001, warehouseId: WH_STRICT })), 'insufficient-stock');
    expectPosted(await post(tx({ type: 'consumption', quantity: 5, warehouseId: WH_STRICT })));
    expect(await onHand(WH_STRICT, P1)).toBe(0);
  });

  it('a transfer into a strict warehouse needs no stock there', async () => {
    expectPosted(await post(tx({ type: 'transfer', quantity: 2, warehouseId: WH_A, toWarehouseId: WH_STRICT })));
    expect(await onHand(WH_STRICT, P1)).toBe(units(2));
  });

  it('a warehouse that allows negative stock accepts going below zero', async () => {
    expectPosted(await post(tx({ type: 'consumption', quantity: 3 })));
    expect(await onHand(WH_A, P1)).toBe(units(-3));
    expect(await inventoryDocOnHand(WH_A, P1)).toBe(-3);
  });
});

describe('count semantics', () => {
  it('a count sets the level as of its occurredAt', async () => {
    expectPosted(await post(tx({ type: 'adjustment', quantity: 10, occurredAt: T('09:00') })));
    const counted = await post(tx({ type: 'count', quantity: 7, occurredAt: T('12:00') }));
    expectPosted(counted);
    expect(await level(WH_A, P1)).toMatchObject({ onHand: units(7), lastCountAt: T('12:00') });
    expect(await journalLines(counted)).toEqual([{ lineNumber: 1, warehouseId: WH_A, productId: P1, quantity: -3, requestedQuantity: 7 }]);
  });

  it('a transaction dated before the count but arriving after it does not move the counted level', async () => {
    expectPosted(await post(tx({ type: 'adjustment', quantity: 10, occurredAt: T('09:00') })));
    expectPosted(await post(tx({ type: 'count', quantity: 7, occurredAt: T('12:00') })));
    const late = await post(tx({ type: 'adjustment', quantity: 5, occurredAt: T('11:00') }));
    expectPosted(late);
    const lateUse = await post(tx({ type: 'consumption', quantity: 2, occurredAt: T('12:00') }));
    expectPosted(lateUse);
    expect(await onHand(WH_A, P1)).toBe(units(7));
    // Journaled for history, with what it asked for, but it moved nothing.
    expect(await journalLines(late)).toEqual([{ lineNumber: 1, warehouseId: WH_A, productId: P1, quantity: 0, requestedQuantity: 5 }]);
    expect((await journalLines(lateUse))[0]).toMatchObject({ quantity: 0, requestedQuantity: -2 });
  });

  it('a late earlier-dated transfer moves only the side that was not counted', async () => {
    expectPosted(await post(tx({ type: 'count', quantity: 7, occurredAt: T('12:00'), warehouseId: WH_B })));
    expectPosted(await post(tx({ type: 'transfer', quantity: 2, occurredAt: T('11:00'), warehouseId: WH_A, toWarehouseId: WH_B })));
    expect(await onHand(WH_B, P1)).toBe(units(7));
    expect(await onHand(WH_A, P1)).toBe(units(-2));
  });

  it('transactions dated after the count apply on top of the counted level', async () => {
    expectPosted(await post(tx({ type: 'count', quantity: 7, occurredAt: T('12:00') })));
    expectPosted(await post(tx({ type: 'consumption', quantity: 2, occurredAt: T('13:00') })));
    expectPosted(await post(tx({ type: 'adjustment', quantity: 0.5, occurredAt: '2025-06-01T12:00:00.001Z' })));
    expect(await onHand(WH_A, P1)).toBe(units('5.5'));
  });

  it('a count arriving after later-dated transactions keeps them on top of what was counted', async () => {
    expectPosted(await post(tx({ type: 'adjustment', quantity: 10, occurredAt: T('09:00') })));
    expectPosted(await post(tx({ type: 'consumption', quantity: 3, occurredAt: T('15:00') })));
    expectPosted(await post(tx({ type: 'adjustment', quantity: 1, occurredAt: T('16:00') })));
    const counted = await post(tx({ type: 'count', quantity: 20, occurredAt: T('14:00') }));
    expectPosted(counted);
    // 20 counted at 14:00, then -3 and +1 after it.
    expect(await onHand(WH_A, P1)).toBe(units(18));
    expect((await journalLines(counted))[0]).toMatchObject({ quantity: 10, requestedQuantity: 20 });
  });

  it('an older count arriving after a newer count changes nothing', async () => {
    expectPosted(await post(tx({ type: 'adjustment', quantity: 10, occurredAt: T('09:00') })));
    expectPosted(await post(tx({ type: 'count', quantity: 7, occurredAt: T('12:00') })));
    expectPosted(await post(tx({ type: 'adjustment', quantity: -2, occurredAt: T('13:00') })));
    const older = await post(tx({ type: 'count', quantity: 100, occurredAt: T('11:00') }));
    expectPosted(older);
    expect(await level(WH_A, P1)).toMatchObject({ onHand: units(5), lastCountAt: T('12:00') });
    expect((await journalLines(older))[0]).toMatchObject({ quantity: 0, requestedQuantity: 100 });
  });

  it('a newer count replaces an older one and only later transactions stay on top', async () => {
    expectPosted(await post(tx({ type: 'count', quantity: 7, occurredAt: T('12:00') })));
    expectPosted(await post(tx({ type: 'adjustment', quantity: 4, occurredAt: T('13:00') })));
    expectPosted(await post(tx({ type: 'consumption', quantity: 1, occurredAt: T('15:00') })));
    expectPosted(await post(tx({ type: 'count', quantity: 9, occurredAt: T('14:00') })));
    expect(await level(WH_A, P1)).toMatchObject({ onHand: units(8), lastCountAt: T('14:00') });
  });

  it('counts compare instants, not device time zone text', async () => {
    expectPosted(await post(tx({ type: 'count', quantity: 7, occurredAt: '2025-06-01T14:00:00+02:00' })));
    // 12:30+02:00 is 10:30 UTC, before the count (12:00 UTC), although as raw text it sorts after "12:00".
    expectPosted(await post(tx({ type: 'adjustment', quantity: 5, occurredAt: '2025-06-01T12:30:00+02:00' })));
    expectPosted(await post(tx({ type: 'adjustment', quantity: 1, occurredAt: '2025-06-01T12:30:00Z' })));
    expect(await level(WH_A, P1)).toMatchObject({ onHand: units(8), lastCountAt: T('12:00') });
  });

  it('a count in a strict warehouse may set any level without an insufficient-stock check', async () => {
    expectPosted(await post(tx({ type: 'adjustment', quantity: 4, warehouseId: WH_STRICT, occurredAt: T('09:00') })));
    expectPosted(await post(tx({ type: 'count', quantity: 1, warehouseId: WH_STRICT, occurredAt: T('10:00') })));
    expect(await onHand(WH_STRICT, P1)).toBe(units(1));
  });

  it('a count and late transactions posted in one batch follow the same rules', async () => {
    const docs = [
      tx({ type: 'adjustment', quantity: 10, occurredAt: T('09:00') }),
      tx({ type: 'count', quantity: 7, occurredAt: T('12:00') }),
      tx({ type: 'adjustment', quantity: 5, occurredAt: T('11:00') }),
      tx({ type: 'adjustment', quantity: 1, occurredAt: T('13:00') }),
    ].map((d) => ({ ...d, _deleted: false }));
    const outcomes = await writeTransaction(store, undefined, (w) => postNewDocuments(w, 'inventoryTransactions', docs, clerk, NO_TOLERANCE));
    expect(outcomes.map((o) => o.status)).toEqual(['posted', 'posted', 'posted', 'posted']);
    expect(await onHand(WH_A, P1)).toBe(units(8));
  });
});

describe('device clocks', () => {
  const now = Date.parse('2025-06-01T12:00:00.000Z');
  const DAY = 24 * 60 * 60 * 1000;

  it('rejects a transaction dated more than 24 hours ahead of the server clock', async () => {
    const ahead = await evaluate(tx({ type: 'adjustment', quantity: 1, occurredAt: new Date(now + DAY + 1000).toISOString() }), { now });
    expect(codeOf(ahead)).toBe('occurred-in-future');
  });

  it('accepts a transaction dated up to exactly 24 hours ahead', async () => {
    const edge = await evaluate(tx({ type: 'adjustment', quantity: 1, occurredAt: new Date(now + DAY).toISOString() }), { now });
    expect(codeOf(edge)).toBeUndefined();
    if (!('code' in edge)) expect(edge.occurredAt).toBe('2025-06-02T12:00:00.000Z');
  });

  it('rejects a receipt dated more than 24 hours ahead of the server clock', async () => {
    const ahead = await evaluateR(
      receipt({ receivedAt: new Date(now + DAY + 1).toISOString(), lines: [{ lineNumber: 1, productId: P1, quantity: 1 }] }),
      NO_TOLERANCE,
      now,
    );
    expect(codeOf(ahead)).toBe('occurred-in-future');
  });

  it('normalizes the device time to UTC ISO text', async () => {
    const result = await evaluate(tx({ type: 'adjustment', quantity: 1, occurredAt: '2025-06-01T09:00:00-07:00' }), { now });
    expect('code' in result ? result.code : result.occurredAt).toBe('2025-06-01T16:00:00.000Z');
  });
});

describe('receipts', () => {
  it('a partial receipt raises on hand, lowers on order and leaves the PO partially-received', async () => {
    const partial = await postReceipt(receipt({ lines: [{ lineNumber: 1, productId: P1, quantity: 4 }] }));
    expectPosted(partial);
    expect(await level(WH_A, P1)).toMatchObject({ onHand: units(4), onOrder: units(6) });
    const po = await storedPo('po-open');
    expect(po.status).toBe('partially-received');
    expect(po.lines.map((l) => l.quantityReceived)).toEqual([4, 0]);
    expect(await journalLines(partial)).toEqual([{ lineNumber: 1, warehouseId: WH_A, productId: P1, quantity: 4, requestedQuantity: 4 }]);
  });

  it('receiving the rest sets the PO to received', async () => {
    expectPosted(await postReceipt(receipt({ lines: [{ lineNumber: 1, productId: P1, quantity: 4 }] })));
    expectPosted(
      await postReceipt(
        receipt({
          lines: [
            { lineNumber: 1, productId: P1, quantity: 6 },
            { lineNumber: 2, productId: P2, quantity: 5 },
          ],
        }),
      ),
    );
    const po = await storedPo('po-open');
    expect(po.status).toBe('received');
    expect(po.lines.map((l) => l.quantityReceived)).toEqual([10, 5]);
    expect(await level(WH_A, P1)).toMatchObject({ onHand: units(10), onOrder: 0 });
    expect(await level(WH_A, P2)).toMatchObject({ onHand: units(5), onOrder: 0 });
  });

  it('a PO already received is no longer open for receipts', async () => {
    expectPosted(
      await postReceipt(
        receipt({
          lines: [
            { lineNumber: 1, productId: P1, quantity: 10 },
            { lineNumber: 2, productId: P2, quantity: 5 },
          ],
        }),
      ),
    );
    expectRejected(await postReceipt(receipt({ lines: [{ lineNumber: 2, productId: P2, quantity: 1 }] })), 'po-not-open');
  });

  it('with tolerance 0, receiving exactly the ordered quantity is accepted and 0.0001 more is over-receipt', async () => {
    const exact = await evaluateR(receipt({ lines: [{ lineNumber: 1, productId: P1, quantity: 10 }] }), NO_TOLERANCE);
    expect(codeOf(exact)).toBeUndefined();
    const over = await evaluateR(receipt({ lines: [{ lineNumber: 1, productId: P1, quantity: 10.0001 }] }), NO_TOLERANCE);
    expect(codeOf(over)).toBe('over-receipt');
  });

  it('with tolerance 10 %, receiving 110 % is accepted and 0.0001 more is over-receipt', async () => {
    const tolerance = { overReceiptTolerancePercent: 10 };
    const edge = await evaluateR(receipt({ lines: [{ lineNumber: 1, productId: P1, quantity: 11 }] }), tolerance);
    expect(codeOf(edge)).toBeUndefined();
    const over = await evaluateR(receipt({ lines: [{ lineNumber: 1, productId: P1, quantity: 11.0001 }] }), tolerance);
    expect(codeOf(over)).toBe('over-receipt');
  });

  it('the tolerance counts what was received before', async () => {
    // po-partial: 10 ordered, 4 received.
    const rest = receipt({ purchaseOrderId: 'po-partial', lines: [{ lineNumber: 1, productId: P1, quantity: 6 }] });
    expect(codeOf(await evaluateR(rest, NO_TOLERANCE))).toBeUndefined();
    const over = receipt({ purchaseOrderId: 'po-partial', lines: [{ lineNumber: 1, productId: P1, quantity: 6.0001 }] });
    expect(codeOf(await evaluateR(over, NO_TOLERANCE))).toBe('over-receipt');
    const tolerated = receipt({ purchaseOrderId: 'po-partial', lines: [{ lineNumber: 1, productId: P1, quantity: 7 }] });
    expect(codeOf(await evaluateR(tolerated, { overReceiptTolerancePercent: 10 }))).toBeUndefined();
    const beyond = receipt({ purchaseOrderId: 'po-partial', lines: [{ lineNumber: 1, productId: P1, quantity: 7.0001 }] });
    expect(codeOf(await evaluateR(beyond, { overReceiptTolerancePercent: 10 }))).toBe('over-receipt');
  });

  it('the tolerance limit of a fractional order rounds down to the last whole unit of 0.0001', async () => {
    // 3.3333 ordered, 10 %: 3.66663 allowed, so 3.6666 fits and 3.6667 does not.
    const tolerance = { overReceiptTolerancePercent: 10 };
    const fits = receipt({ purchaseOrderId: 'po-fraction', lines: [{ lineNumber: 1, productId: P1, quantity: 3.6666 }] });
    expect(codeOf(await evaluateR(fits, tolerance))).toBeUndefined();
    const over = receipt({ purchaseOrderId: 'po-fraction', lines: [{ lineNumber: 1, productId: P1, quantity: 3.6667 }] });
    expect(codeOf(await evaluateR(over, tolerance))).toBe('over-receipt');
  });

  it('two lines of one receipt for the same PO line are added up before the tolerance check', async () => {
    const split = receipt({
      lines: [
        { lineNumber: 1, productId: P1, quantity: 5 },
        { lineNumber: 1, productId: P1, quantity: 5.0001 },
      ],
    });
    expect(codeOf(await evaluateR(split, NO_TOLERANCE))).toBe('over-receipt');
  });

  it('an over-receipt posts nothing', async () => {
    expectRejected(await postReceipt(receipt({ lines: [{ lineNumber: 1, productId: P1, quantity: 10.0001 }] })), 'over-receipt');
    expect(await level(WH_A, P1)).toMatchObject({ onHand: 0, onOrder: units(10) });
    expect((await storedPo('po-open')).status).toBe('open');
  });

  it('closed and cancelled purchase orders are not open: po-not-open', async () => {
    for (const purchaseOrderId of ['po-closed', 'po-cancelled']) {
      const outcome = await postReceipt(receipt({ purchaseOrderId, lines: [{ lineNumber: 1, productId: P1, quantity: 1 }] }));
      expectRejected(outcome, 'po-not-open');
    }
    expect(await onHand(WH_A, P1)).toBe(0);
  });

  it('a receipt at another warehouse than the PO\'s is a warehouse-mismatch', async () => {
    expectRejected(await postReceipt(receipt({ warehouseId: WH_B, lines: [{ lineNumber: 1, productId: P1, quantity: 1 }] })), 'warehouse-mismatch');
    expect(await onHand(WH_B, P1)).toBe(0);
  });

  it('a line number the PO does not have, or a line for another product, is an unknown-po-line', async () => {
    expectRejected(await postReceipt(receipt({ lines: [{ lineNumber: 99, productId: P1, quantity: 1 }] })), 'unknown-po-line');
    expectRejected(await postReceipt(receipt({ lines: [{ lineNumber: 1, productId: P2, quantity: 1 }] })), 'unknown-po-line');
  });

  it('an unknown purchase order, a non-positive or too precise quantity are rejected', async () => {
    expectRejected(await postReceipt(receipt({ purchaseOrderId: 'po-none', lines: [{ lineNumber: 1, productId: P1, quantity: 1 }] })), 'unknown-purchase-order');
    expectRejected(await postReceipt(receipt({ lines: [{ lineNumber: 1, productId: P1, quantity: 0 }] })), 'invalid-quantity');
    expectRejected(await postReceipt(receipt({ lines: [{ lineNumber: 1, productId: P1, quantity: 1.00001 }] })), 'precision-exceeded');
  });

  it('a receipt dated before a count but arriving after it does not move the counted level', async () => {
    expectPosted(await post(tx({ type: 'count', quantity: 7, occurredAt: T('12:00') })));
    const late = await postReceipt(receipt({ receivedAt: T('11:00'), lines: [{ lineNumber: 1, productId: P1, quantity: 4 }] }));
    expectPosted(late);
    // The counted 7 already holds what was received at 11:00; the PO and on order still advance.
    expect(await level(WH_A, P1)).toMatchObject({ onHand: units(7), onOrder: units(6) });
    expect((await storedPo('po-open')).lines[0]?.quantityReceived).toBe(4);
    expect(await journalLines(late)).toEqual([{ lineNumber: 1, warehouseId: WH_A, productId: P1, quantity: 0, requestedQuantity: 4 }]);
    // A receipt after the count applies on top.
    expectPosted(await postReceipt(receipt({ receivedAt: T('13:00'), lines: [{ lineNumber: 1, productId: P1, quantity: 1 }] })));
    expect(await level(WH_A, P1)).toMatchObject({ onHand: units(8), onOrder: units(5) });
  });
});

describe('receipts in purchase units', () => {
  it('a receipt in boxes raises on hand in the base unit and the PO line in boxes', async () => {
    expectPosted(await postReceipt(receipt({ purchaseOrderId: 'po-units', lines: [{ lineNumber: 1, productId: P_BOX, quantity: 1.5, unit: 'BOX' }] })));
    expect((await level(WH_A, P_BOX)).onHand).toBe(units(18));
    const po = (await loadDocs(store.db, 'purchaseOrders', ['po-units'])).get('po-units')?.data as unknown as PurchaseOrder;
    expect(po.lines[0]?.quantityReceived).toBe(1.5);
    expect(po.status).toBe('partially-received');
  });

  it('partial receipts of an inexact pack size post exactly the converted total, in any split', async () => {
    // A pack holds 0.3333 EA. Half a pack is 0.16665 EA: the first half posts 0.1667, the second
    // half 0.3333 − 0.1667 = 0.1666, so the three packs post round(3 × 0.3333) = 0.9999 in total.
    for (const quantity of [0.5, 0.5, 1, 1]) {
      expectPosted(await postReceipt(receipt({ purchaseOrderId: 'po-units', lines: [{ lineNumber: 2, productId: P_BOX, quantity }] })));
    }
    expect((await level(WH_A, P_BOX)).onHand).toBe(units(0.9999));
    const lines = await store.db.selectFrom('journal_lines').select('quantity').where('product_id', '=', P_BOX).execute();
    expect(lines.map((l) => Number(l.quantity)).sort((a, b) => a - b)).toEqual([units(0.1666), units(0.1667), units(0.3333), units(0.3333)]);
  });

  it('a line sent in another unit than the PO line’s is rejected, not converted behind the user’s back', async () => {
    expectRejected(await postReceipt(receipt({ purchaseOrderId: 'po-units', lines: [{ lineNumber: 1, productId: P_BOX, quantity: 12, unit: 'EA' }] })), 'unit-mismatch');
  });

  it('a PO line in a unit the product cannot convert is rejected with unknown-unit', async () => {
    expectRejected(await postReceipt(receipt({ purchaseOrderId: 'po-units', lines: [{ lineNumber: 5, productId: P1, quantity: 1 }] })), 'unknown-unit');
  });

  it('the vendor’s tolerance applies where the product sets none; the product’s own tolerance wins', async () => {
    // GENEROUS allows 10 %: 11 of 10 fits for P1, 11.0001 does not.
    expectRejected(await postReceipt(receipt({ purchaseOrderId: 'po-units', lines: [{ lineNumber: 4, productId: P1, quantity: 11.0001 }] })), 'over-receipt');
    expectPosted(await postReceipt(receipt({ purchaseOrderId: 'po-units', lines: [{ lineNumber: 4, productId: P1, quantity: 11 }] })));
    // P_STRICT says 0 %, whatever the vendor allows.
    expectRejected(await postReceipt(receipt({ purchaseOrderId: 'po-units', lines: [{ lineNumber: 3, productId: P_STRICT, quantity: 10.0001 }] })), 'over-receipt');
    expectPosted(await postReceipt(receipt({ purchaseOrderId: 'po-units', lines: [{ lineNumber: 3, productId: P_STRICT, quantity: 10 }] })));
  });
});
