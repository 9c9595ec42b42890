import type { InventoryTransaction } from '../../shared/collections.js';
import { negateUnits, parseQuantity, subtractUnits, addUnits, type Units } from '../../shared/decimal.js';
import { negativeStockProblem } from '../../shared/ledger/stock.js';
import type { SessionUser } from '../../shared/wire.js';
import { inScope } from '../replication/scope.js';
import type { LedgerState, LineEffect } from './state.js';
import { normalizeOccurredAt, reject, type Rejection } from './rejection.js';

export interface Evaluated {
  effects: LineEffect[];
  occurredAt: string;
  /** A count records when it was taken, so later-arriving earlier lines stop moving the level. */
  countAt?: string;
}

/**
 * Checks one inventory transaction against master data, scope and stock
 * policy, and computes what it moves. Applies nothing.
 */
export async function evaluateTransaction(
  tx: InventoryTransaction,
  user: SessionUser,
  state: LedgerState,
  now: number,
): Promise<Evaluated | Rejection> {
  const from = state.warehouses.get(tx.warehouseId);
  if (!from) return reject('unknown-warehouse', `Warehouse ${tx.warehouseId} does not exist.`);
  const to = tx.type === 'transfer' && tx.toWarehouseId ? state.warehouses.get(tx.toWarehouseId) : undefined;
  if (tx.type === 'transfer') {
    if (!tx.toWarehouseId) return reject('invalid-document', 'A transfer needs toWarehouseId.');
    if (!to) return reject('unknown-warehouse', `Warehouse ${tx.toWarehouseId} does not exist.`);
    if (tx.toWarehouseId === tx.warehouseId) return reject('same-warehouse', 'A transfer needs two different warehouses.');
    if (!inScope(user, tx.warehouseId) && !inScope(user, tx.toWarehouseId)) {
      return reject('warehouse-not-in-scope', `Neither ${from.code} nor ${to.code} is in your warehouses.`);
    }
  } else {
    if (tx.toWarehouseId !== undefined) return reject('invalid-document', `toWarehouseId is only for transfers, not ${tx.type}.`);
    if (!inScope(user, tx.warehouseId)) return reject('warehouse-not-in-scope', `Warehouse ${from.code} is not in your warehouses.`);
  }
  if (!state.products.has(tx.productId)) return reject('unknown-product', `Product ${tx.productId} does not exist.`);
  const parsed = parseQuantity(tx.quantity);
  if (!parsed.ok) return reject(parsed.code, parsed.message);
  const q = parsed.units;
  if ((tx.type === 'transfer' || tx.type === 'consumption') && q <= 0) {
    return reject('invalid-quantity', `A ${tx.type} needs a positive quantity.`);
  }
  if (tx.type === 'count' && q < 0) return reject('invalid-quantity', 'A counted quantity cannot be negative.');
  if (tx.type === 'adjustment' && q === 0) return reject('invalid-quantity', 'An adjustment of 0 changes nothing.');
  const time = normalizeOccurredAt(tx.occurredAt, now);
  if ('code' in time) return time;
  const at = time.iso;

  const line = async (warehouseId: string, requested: Units): Promise<LineEffect> => {
    const level = state.level(warehouseId, tx.productId);
    // A line dated at or before the latest count is already inside the counted level.
    const superseded = level.lastCountAt !== null && at <= level.lastCountAt;
    return { warehouseId, productId: tx.productId, requested, applied: superseded ? (0 as Units) : requested };
  };

  let effects: LineEffect[];
  switch (tx.type) {
    case 'adjustment':
      effects = [await line(tx.warehouseId, q)];
      break;
    case 'consumption':
      effects = [await line(tx.warehouseId, negateUnits(q))];
      break;
    case 'transfer':
      effects = [await line(tx.warehouseId, negateUnits(q)), await line(tx.toWarehouseId as string, q)];
      break;
    case 'count': {
      const level = state.level(tx.warehouseId, tx.productId);
      if (level.lastCountAt !== null && at <= level.lastCountAt) {
        // An older count arriving late: a newer count already fixed the level.
        return { effects: [{ warehouseId: tx.warehouseId, productId: tx.productId, requested: q, applied: 0 as Units }], occurredAt: at };
      }
      // The level as of now = what was counted + what happened after the count.
      const after = await state.appliedAfter(tx.warehouseId, tx.productId, at);
      const target = addUnits(q, after);
      return {
        effects: [{ warehouseId: tx.warehouseId, productId: tx.productId, requested: q, applied: subtractUnits(target, level.onHand) }],
        occurredAt: at,
        countAt: at,
      };
    }
  }
  for (const e of effects) {
    const warehouse = state.warehouses.get(e.warehouseId);
    // The same rule the app warns with before saving (shared/ledger/stock.ts).
    const problem = warehouse ? negativeStockProblem(warehouse, state.level(e.warehouseId, e.productId).onHand, e.applied) : null;
    if (problem) return problem;
  }
  return { effects, occurredAt: at };
}

/** Applies evaluated effects to the in-batch projection. */
export function applyEffects(state: LedgerState, evaluated: Evaluated): void {
  for (const e of evaluated.effects) {
    const level = state.level(e.warehouseId, e.productId);
    level.onHand = addUnits(level.onHand, e.applied);
    if (evaluated.countAt) level.lastCountAt = evaluated.countAt;
    level.dirty = true;
  }
}
