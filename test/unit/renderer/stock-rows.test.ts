/** The stock list's arithmetic and search, apart from React: pending changes are signed decimals, never float sums. */
import { describe, expect, it } from 'vitest';
import type { InventoryLevel, InventoryTransaction, Product } from '../../../shared/collections.js';
import { formatUnits, units } from '../../../shared/decimal.js';
import { onHandWithPending, pendingChanges } from '../../../renderer/stock/pending-change.js';
import { filterRows, serverStock, withPending } from '../../../renderer/stock/stock-rows.js';

let seq = 0;
function tx(change: Partial<InventoryTransaction> & Pick<InventoryTransaction, 'type' | 'quantity'>): InventoryTransaction {
  seq += 1;
  return { id: `t${seq}`, warehouseId: 'truck', productId: 'p1', occurredAt: `2026-11-25T10:00:${String(seq).padStart(2, '0')}.000Z`, status: 'pending', ...change };
}

const product = (id: string, number: string, name: string, barcodes: string[] = []): Product => ({ id, number, name, unit: 'EA', barcodes, tracking: 'none', active: true });
const level = (productId: string, onHand: number): InventoryLevel => ({ id: `truck~${productId}`, warehouseId: 'truck', productId, onHand, onOrder: 0, ordered: 0 });

describe("this device's pending change", () => {
  it('adds adjustments signed, subtracts consumption and transfers out, adds transfers in', () => {
    const changes = pendingChanges(
      [
        tx({ type: 'adjustment', quantity: 5 }),
        tx({ type: 'adjustment', quantity: -1.5 }),
        tx({ type: 'consumption', quantity: 0.25 }),
        tx({ type: 'transfer', quantity: 2, toWarehouseId: 'main' }),
        tx({ type: 'transfer', quantity: 0.75, warehouseId: 'main', toWarehouseId: 'truck' }),
      ],
      'truck',
    );
    expect(formatUnits(changes.get('p1')?.delta ?? units(0))).toBe('2');
    expect(changes.get('p1')).toMatchObject({ counted: null, transactions: 5 });
  });

  it('sums decimals exactly: 0.1 + 0.2 is 0.3', () => {
    const change = pendingChanges([tx({ type: 'adjustment', quantity: 0.1 }), tx({ type: 'adjustment', quantity: 0.2 })], 'truck').get('p1') ?? null;
    expect(formatUnits(change?.delta ?? units(0))).toBe('0.3');
    expect(formatUnits(onHandWithPending(units(0.1), change))).toBe('0.4');
  });

  it('counts only pending transactions of this warehouse', () => {
    const changes = pendingChanges(
      [
        tx({ type: 'adjustment', quantity: 1, status: 'posted' }),
        tx({ type: 'adjustment', quantity: 1, status: 'rejected' }),
        tx({ type: 'adjustment', quantity: 1, warehouseId: 'main' }),
        tx({ type: 'transfer', quantity: 1, warehouseId: 'main', toWarehouseId: 'other' }),
      ],
      'truck',
    );
    expect(changes.size).toBe(0);
  });

  it('lets a pending count replace on hand, with later changes on top', () => {
    const change =
      pendingChanges([tx({ type: 'adjustment', quantity: 4 }), tx({ type: 'count', quantity: 10 }), tx({ type: 'consumption', quantity: 3 })], 'truck').get('p1') ?? null;
    expect(change?.counted).toBe(units(10));
    expect(formatUnits(onHandWithPending(units(7), change))).toBe('7');
    expect(formatUnits(onHandWithPending(units(50), change))).toBe('7');
  });
});

describe('stock rows', () => {
  const products = new Map([
    ['p1', product('p1', 'P-0002', 'Ball valve 1/2"', ['4006381333931'])],
    ['p2', product('p2', 'P-0001', 'Copper pipe 15 mm')],
    ['p3', product('p3', 'P-0003', 'Solder wire')],
  ]);
  const stock = (levels: InventoryLevel[], transactions: InventoryTransaction[] = []) => withPending(serverStock(levels, products), pendingChanges(transactions, 'truck'), products);

  it('joins levels with products and pending changes, sorted by product number', () => {
    const { rows } = stock([level('p1', 2), level('p2', 10)], [tx({ type: 'adjustment', quantity: 3 })]);
    expect(rows.map((r) => [r.number, formatUnits(r.onHand), r.pending ? formatUnits(r.pending.delta) : null, formatUnits(r.onHandWithPending)])).toEqual([
      ['P-0001', '10', null, '10'],
      ['P-0002', '2', '3', '5'],
    ]);
  });

  it('lists a product first stocked here by a pending change in its place, and a level whose product has not synced yet', () => {
    const table = stock([level('p-unknown', 1), level('p2', 4), level('p1', 1)], [tx({ type: 'adjustment', quantity: 3, productId: 'p3' })]);
    expect(table.rows.map((r) => [r.number, r.name, formatUnits(r.onHandWithPending)])).toEqual([
      ['P-0001', 'Copper pipe 15 mm', '4'],
      ['P-0002', 'Ball valve 1/2"', '1'],
      ['P-0003', 'Solder wire', '3'],
      ['p-unknown', 'Unknown product', '1'],
    ]);
    // The search index stays parallel to the rows.
    expect(filterRows(table, 'solder').map((r) => r.number)).toEqual(['P-0003']);
  });

  it('reuses the server rows when nothing is pending, and copies only the rows that changed', () => {
    const server = serverStock([level('p1', 2), level('p2', 10)], products);
    expect(withPending(server, new Map(), products)).toBe(server);
    const changed = withPending(server, pendingChanges([tx({ type: 'adjustment', quantity: 1 })], 'truck'), products);
    expect(changed.rows[0]).toBe(server.rows[0]);
    expect(changed.rows[1]).not.toBe(server.rows[1]);
    expect(changed.index).toBe(server.index);
  });

  it('finds rows by product number, name or barcode, ignoring case', () => {
    const table = stock([level('p1', 1), level('p2', 1), level('p3', 1)]);
    const find = (q: string) => filterRows(table, q).map((r) => r.number);
    expect(find('p-0003')).toEqual(['P-0003']);
    expect(find('  COPPER ')).toEqual(['P-0001']);
    expect(find('333931')).toEqual(['P-0002']);
    expect(find('')).toHaveLength(3);
    expect(find('nothing like it')).toEqual([]);
  });
});
