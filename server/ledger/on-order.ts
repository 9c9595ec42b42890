import type { PurchaseOrder } from '../../shared/collections.js';
import { addUnits, subtractUnits, units, type Units } from '../../shared/decimal.js';
import { toBaseUnits, unitFactor } from '../../shared/ledger/units.js';
import type { Writer } from '../store/write.js';
import { loadReceiptReferences } from './receipt-references.js';
import { LedgerState } from './state.js';

const RECEIVABLE = new Set<string>(['open', 'partially-received']);

export interface PurchaseOrderChange {
  before: PurchaseOrder | null;
  /** null: deleted. */
  after: PurchaseOrder | null;
}

/**
 * Keeps `onOrder` in step when purchase orders are written as documents (an
 * admin's push today, the ERP's sync next): on order = what receivable orders
 * still expect, in the base unit. Applied as the difference between the
 * order's old and new expectations, so a receipt (which lowers on order as it
 * posts) and a later edit of the same order never count the same quantity twice.
 * Runs inside the caller's write transaction.
 */
export async function applyPurchaseOrderChanges(writer: Writer, changes: PurchaseOrderChange[]): Promise<void> {
  const productIds = new Set<string>();
  const warehouseIds = new Set<string>();
  for (const po of changes.flatMap((c) => [c.before, c.after])) {
    if (!po) continue;
    warehouseIds.add(po.warehouseId);
    for (const l of po.lines) productIds.add(l.productId);
  }
  if (productIds.size === 0) return;
  const state = new LedgerState(writer);
  await state.load({ productIds, warehouseIds });
  const refs = await loadReceiptReferences(writer);

  const expected = (po: PurchaseOrder | null): Map<string, { warehouseId: string; productId: string; base: Units }> => {
    const result = new Map<string, { warehouseId: string; productId: string; base: Units }>();
    if (!po || !RECEIVABLE.has(po.status)) return result;
    for (const line of po.lines) {
      const product = state.products.get(line.productId);
      const factor = product && unitFactor(product, line.unit, refs.units);
      // A line the ledger cannot convert cannot be received either (unknown-unit); it expects nothing.
      if (!factor?.ok) continue;
      const remaining = subtractUnits(units(line.quantityOrdered), units(line.quantityReceived));
      if (remaining <= 0) continue;
      const k = `${po.warehouseId}~${line.productId}`;
      const entry = result.get(k) ?? { warehouseId: po.warehouseId, productId: line.productId, base: 0 as Units };
      entry.base = addUnits(entry.base, toBaseUnits(remaining, factor.factor));
      result.set(k, entry);
    }
    return result;
  };

  for (const change of changes) {
    const old = expected(change.before);
    const next = expected(change.after);
    for (const k of new Set([...old.keys(), ...next.keys()])) {
      const ref = next.get(k) ?? old.get(k);
      if (!ref) continue;
      const delta = subtractUnits(next.get(k)?.base ?? (0 as Units), old.get(k)?.base ?? (0 as Units));
      if (delta === 0) continue;
      const level = state.level(ref.warehouseId, ref.productId);
      const onOrder = addUnits(level.onOrder, delta);
      level.onOrder = (onOrder < 0 ? 0 : onOrder) as Units;
      level.dirty = true;
    }
  }
  await state.flush();
}
