/**
 * What this device changed and the server has not accepted yet, per product
 * in one warehouse: adjustments, counts (as the level they set), both sides
 * of transfers, consumption and receipts. The server's on hand does not
 * include these, so the stock list shows them beside it.
 */
import type { DeepReadonly } from 'rxdb';
import type { InventoryTransaction } from '../../shared/collections.js';
import { addUnits, negateUnits, units, ZERO_UNITS, type Units } from '../../shared/decimal.js';
import type { PendingReceiptLine } from './pending-receipts.js';

export interface PendingChange {
  /** Sum of the signed changes (after the latest pending count, when there is one). */
  delta: Units;
  /** The latest pending count's quantity: it replaces on hand rather than adding to it. */
  counted: Units | null;
  transactions: number;
  /** Pending receipt lines of the product here (converted ones are in `delta`). */
  receipts: number;
  /** Receipt lines that could not be converted to the base unit: not in `delta`, shown as they were entered. */
  unconverted: readonly { quantity: number; unit: string | null }[];
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

type Step =
  | { at: string; productId: string; kind: 'count' | 'change'; effect: Units }
  | { at: string; productId: string; kind: 'receipt'; effect: Units | null; quantity: number; unit: string | null };

/**
 * Pending changes per product id. `transactions` and `receipts` may hold any
 * status and warehouse; only this device's pending ones in `warehouseId` count.
 */
export function pendingChanges(
  transactions: readonly DeepReadonly<InventoryTransaction>[],
  warehouseId: string,
  receipts: readonly PendingReceiptLine[] = [],
): Map<string, PendingChange> {
  const steps: Step[] = [];
  for (const t of transactions) {
    if (t.status !== 'pending') continue;
    const effect = signedEffect(t, warehouseId);
    if (effect !== null) steps.push({ at: t.occurredAt, productId: t.productId, kind: t.type === 'count' ? 'count' : 'change', effect });
  }
  for (const line of receipts) {
    if (line.warehouseId === warehouseId) steps.push({ at: line.occurredAt, productId: line.productId, kind: 'receipt', effect: line.base, quantity: line.quantity, unit: line.unit });
  }
  // Order matters only around counts: a count replaces what came before it.
  steps.sort((a, b) => (a.at < b.at ? -1 : a.at > b.at ? 1 : 0));
  const changes = new Map<string, PendingChange>();
  for (const step of steps) {
    const change = changes.get(step.productId) ?? { delta: ZERO_UNITS, counted: null, transactions: 0, receipts: 0, unconverted: [] };
    if (step.kind === 'receipt') {
      change.receipts += 1;
      if (step.effect === null) change.unconverted = [...change.unconverted, { quantity: step.quantity, unit: step.unit }];
      else change.delta = addUnits(change.delta, step.effect);
    } else if (step.kind === 'count') {
      change.transactions += 1;
      change.counted = step.effect;
      change.delta = ZERO_UNITS;
    } else {
      change.transactions += 1;
      change.delta = addUnits(change.delta, step.effect);
    }
    changes.set(step.productId, change);
  }
  return changes;
}

/** On hand as it will be once the pending changes are posted (as far as this device can tell). */
export function onHandWithPending(onHand: Units, change: PendingChange | null): Units {
  if (!change) return onHand;
  return addUnits(change.counted ?? onHand, change.delta);
}
