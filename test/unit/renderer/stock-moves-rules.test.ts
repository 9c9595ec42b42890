/**
 * What the device works out on its own: warnings before saving (shared ledger
 * rules), pending receipts in base units, and which rejected documents still
 * need attention.
 */
import { describe, expect, it } from 'vitest';
import type { InventoryTransaction, Product, PurchaseOrder, Receipt, ReferenceData, Warehouse } from '../../../shared/collections.js';
import { formatUnits, units } from '../../../shared/decimal.js';
import { gatherAttention } from '../../../renderer/attention/attention-items.js';
import { onHandWithPending, pendingChanges } from '../../../renderer/stock/pending-change.js';
import { pendingReceiptLines } from '../../../renderer/stock/pending-receipts.js';
import { checkMove } from '../../../renderer/transactions/move-checks.js';

const strict: Warehouse = { id: 'truck', code: 'TRUCK-1', name: 'Truck', kind: 'truck', externallyMaintained: false, allowNegativeStock: false, active: true };
const tx = (patch: Partial<InventoryTransaction>): InventoryTransaction => ({
  id: 't',
  type: 'adjustment',
  warehouseId: 'truck',
  productId: 'p1',
  quantity: 1,
  occurredAt: '2026-03-01T10:00:00.000Z',
  status: 'pending',
  ...patch,
});

describe('warnings before saving', () => {
  it('warns when taking stock would go below zero where the warehouse forbids it, for adjustments, parts used and transfers', () => {
    for (const move of [tx({ quantity: -3 }), tx({ type: 'consumption', quantity: 3 }), tx({ type: 'transfer', toWarehouseId: 'main', quantity: 3 })]) {
      expect(checkMove(move, units(2), strict).problems.map((p) => p.code), move.type).toEqual(['insufficient-stock']);
      expect(checkMove(move, units(3), strict).problems, move.type).toEqual([]);
      expect(checkMove(move, units(2), { ...strict, allowNegativeStock: true }).problems, move.type).toEqual([]);
    }
    expect(checkMove(tx({ quantity: 5 }), units(-10), strict).problems).toEqual([]);
  });

  it('gives a count its variance against the expected level, beyond tolerance past 10 %', () => {
    expect(checkMove(tx({ type: 'count', quantity: 9 }), units(10), strict).count).toEqual({ counted: units(9), expected: units(10), variance: units(-1), beyondTolerance: false });
    expect(checkMove(tx({ type: 'count', quantity: 8.5 }), units(10), strict).count).toMatchObject({ variance: units(-1.5), beyondTolerance: true });
    expect(checkMove(tx({ type: 'count', quantity: 1 }), units(0), strict).count?.beyondTolerance).toBe(true);
  });

  it('says nothing where the device does not hold the stock (a warehouse outside the scope)', () => {
    expect(checkMove(tx({ quantity: -3 }), null, strict)).toEqual({ problems: [], count: null });
  });
});

describe('pending receipts in the stock views', () => {
  const products = new Map<string, Product>([
    ['p1', { id: 'p1', number: 'P-1', name: 'Fitting', unit: 'EA', barcodes: [], tracking: 'none', active: true, unitConversions: [{ unit: 'BOX', factor: 12 }] }],
    ['p2', { id: 'p2', number: 'P-2', name: 'Pipe', unit: 'M', barcodes: [], tracking: 'none', active: true }],
  ]);
  const order: PurchaseOrder = {
    id: 'po1',
    number: 'PO-1',
    vendorName: 'Acme',
    status: 'open',
    warehouseId: 'truck',
    lines: [
      { lineNumber: 1, productId: 'p1', quantityOrdered: 10, quantityReceived: 0, unit: 'BOX' },
      { lineNumber: 2, productId: 'p2', quantityOrdered: 10, quantityReceived: 0, unit: 'ROLL' },
      { lineNumber: 3, productId: 'p2', quantityOrdered: 10, quantityReceived: 0, unit: 'DOZ' },
    ],
  };
  const sharedUnits: ReferenceData[] = [{ id: 'u', kind: 'unit', code: 'DOZ', name: 'Dozen', active: true, factor: 12 }];
  const receipt = (patch: Partial<Receipt>): Receipt => ({
    id: 'r1',
    purchaseOrderId: 'po1',
    warehouseId: 'truck',
    receivedAt: '2026-03-01T11:00:00.000Z',
    status: 'pending',
    lines: [
      { lineNumber: 1, productId: 'p1', quantity: 1.5 },
      { lineNumber: 2, productId: 'p2', quantity: 2 },
      { lineNumber: 3, productId: 'p2', quantity: 0.5 },
    ],
    ...patch,
  });
  const sources = { products, purchaseOrders: new Map([['po1', order]]), sharedUnits };

  it("converts each line from its PO line's unit to the base unit, marks what cannot be converted, and ignores posted receipts", () => {
    const lines = pendingReceiptLines([receipt({}), receipt({ id: 'r2', status: 'posted' })], sources);
    expect(lines.map((l) => [l.productId, l.base === null ? null : formatUnits(l.base), l.unit])).toEqual([
      ['p1', '18', 'BOX'],
      ['p2', null, 'ROLL'],
      ['p2', '6', 'DOZ'],
    ]);
    // Without its purchase order the device cannot know the unit: nothing is guessed.
    expect(pendingReceiptLines([receipt({})], { ...sources, purchaseOrders: new Map() }).every((l) => l.base === null && l.unit === null)).toBe(true);
  });

  it('adds converted receipts to the pending change after a pending count, and lists the unconverted apart', () => {
    const lines = pendingReceiptLines([receipt({})], sources);
    const count = tx({ type: 'count', productId: 'p1', quantity: 4, occurredAt: '2026-03-01T10:30:00.000Z' });
    const transferIn = tx({ type: 'transfer', warehouseId: 'main', toWarehouseId: 'truck', productId: 'p2', quantity: 1 });
    const changes = pendingChanges([count, transferIn], 'truck', lines);
    const p1 = changes.get('p1') ?? null;
    expect(p1).toMatchObject({ counted: units(4), delta: units(18), transactions: 1, receipts: 1, unconverted: [] });
    expect(onHandWithPending(units(100), p1)).toBe(units(22));
    const p2 = changes.get('p2') ?? null;
    expect(p2).toMatchObject({ delta: units(7), receipts: 2, unconverted: [{ quantity: 2, unit: 'ROLL' }] });
    // The other side of the transfer loses it.
    expect(pendingChanges([transferIn], 'main').get('p2')?.delta).toBe(units(-1));
    expect(pendingChanges([], 'main', lines).size).toBe(0);
  });
});

describe('needs attention', () => {
  const rejected = (id: string, at: string, patch: Partial<InventoryTransaction> = {}) =>
    tx({ id, occurredAt: at, status: 'rejected', error: { code: 'insufficient-stock', message: `no stock for ${id}` }, ...patch });
  const rejectedReceipt: Receipt = {
    id: 'rc-1',
    purchaseOrderId: 'po1',
    warehouseId: 'truck',
    receivedAt: '2026-03-02T09:00:00.000Z',
    status: 'rejected',
    error: { code: 'over-receipt', message: 'too much' },
    lines: [{ lineNumber: 1, productId: 'p1', quantity: 5 }],
  };

  it('lists rejected transactions and receipts newest first, and moves the corrected ones to resolved with their correction', () => {
    const fix = tx({ id: 'fix-a', status: 'posted', journalId: 'j-9', externalReference: { category: 'corrects', id: 'a' } });
    const receiptFix = { ...rejectedReceipt, id: 'rc-2', status: 'pending' as const, error: undefined, note: 'again [corrects rc-1]' };
    const all = [rejected('a', '2026-03-01T08:00:00.000Z'), rejected('b', '2026-03-03T08:00:00.000Z'), rejected('c', '2026-03-01T09:00:00.000Z'), tx({ id: 'ok' })];

    const before = gatherAttention(all, [rejectedReceipt], []);
    expect(before.open.map((i) => [i.kind, i.id])).toEqual([
      ['transaction', 'b'],
      ['receipt', 'rc-1'],
      ['transaction', 'c'],
      ['transaction', 'a'],
    ]);
    expect(before.open[0]?.error).toEqual({ code: 'insufficient-stock', message: 'no stock for b' });

    const after = gatherAttention(all, [rejectedReceipt], [fix, receiptFix]);
    expect(after.open.map((i) => i.id)).toEqual(['b', 'c']);
    expect(after.resolved.map(({ item, by }) => [item.id, by.id, by.status])).toEqual([
      ['rc-1', 'rc-2', 'pending'],
      ['a', 'fix-a', 'posted'],
    ]);
  });

  it('keeps a rejected correction in the list (as its own item) while the original counts as resolved', () => {
    const failedFix = rejected('fix-a', '2026-03-04T08:00:00.000Z', { note: 'WO [corrects a]' });
    const attention = gatherAttention([rejected('a', '2026-03-01T08:00:00.000Z'), failedFix], [], [failedFix]);
    expect(attention.open.map((i) => i.id)).toEqual(['fix-a']);
    expect(attention.resolved.map(({ item }) => item.id)).toEqual(['a']);
  });
});
