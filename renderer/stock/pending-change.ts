/**
 * What this device changed and the server has not accepted yet, per product
 * in one warehouse. The server's on hand does not include these, so the stock
 * list shows them beside it.
 */
import type { DeepReadonly } from 'rxdb';
import type { InventoryTransaction } from '../../shared/collections.js';
import { addUnits, negateUnits, units, ZERO_UNITS, type Units } from '../../shared/decimal.js';

export interface PendingChange {
  /** Sum of the signed changes (after the latest pending count, when there is one). */
  delta: Units;
  /** The latest pending count's quantity: it replaces on hand rather than adding to it. */
  counted: Units | null;
  transactions: number;
}

/** The signed effect of a transaction on `warehouseId`; null when it does not touch that warehouse. */
function signedEffect(t: DeepReadonly<InventoryTransaction>, warehouseId: string): Units | null {
  const quantity = units(t.quantity);
  switch (t.type) {
    case 'adjustment':
      return t.warehouseId === warehouseId ? quantity : null;
    case 'consumption':
      return t.warehouseId === warehouseId ? negateUnits(quantity) : null;
    case 'transfer':
      if (t.warehouseId === t.toWarehouseId) return null;
      if (t.warehouseId === warehouseId) return negateUnits(quantity);
      return t.toWarehouseId === warehouseId ? quantity : null;
    case 'count':
      return t.warehouseId === warehouseId ? quantity : null;
  }
}

/** Pending changes per product id; `transactions` may hold any status and warehouse, only this device's pending ones count. */
export function pendingChanges(transactions: readonly DeepReadonly<InventoryTransaction>[], warehouseId: string): Map<string, PendingChange> {
  const relevant = transactions
    .filter((t) => t.status === 'pending' && (t.warehouseId === warehouseId || t.toWarehouseId === warehouseId))
    // Order matters only around counts: a count replaces what came before it.
    .sort((a, b) => (a.occurredAt < b.occurredAt ? -1 : a.occurredAt > b.occurredAt ? 1 : 0));
  const changes = new Map<string, PendingChange>();
  for (const t of relevant) {
    const effect = signedEffect(t, warehouseId);
    if (effect === null) continue;
    const change = changes.get(t.productId) ?? { delta: ZERO_UNITS, counted: null, transactions: 0 };
    change.transactions += 1;
    if (t.type === 'count') {
      change.counted = effect;
      change.delta = ZERO_UNITS;
    } else {
      change.delta = addUnits(change.delta, effect);
    }
    changes.set(t.productId, change);
  }
  return changes;
}

/** On hand as it will be once the pending changes are posted (as far as this device can tell). */
export function onHandWithPending(onHand: Units, change: PendingChange | null): Units {
  if (!change) return onHand;
  return addUnits(change.counted ?? onHand, change.delta);
}
