/**
 * The warnings the form gives before saving, with the same shared rules the
 * server posts with. The device's numbers can be behind the server's (another
 * device's change not synced yet), so these warn; the server decides.
 */
import type { DeepReadonly } from 'rxdb';
import type { InventoryTransaction, Warehouse } from '../../shared/collections.js';
import { negateUnits, units, type Units } from '../../shared/decimal.js';
import type { LedgerProblem } from '../../shared/ledger/problem.js';
import { countVariance, negativeStockProblem, type CountVariance } from '../../shared/ledger/stock.js';

export interface CountCheck extends CountVariance {
  expected: Units;
  counted: Units;
}

export interface MoveChecks {
  /** Reasons the server is likely to reject the move. */
  problems: LedgerProblem[];
  /** A count's difference from the expected level; null for other moves or when the level is unknown here. */
  count: CountCheck | null;
}

/** What the move takes out of its (from) warehouse, as a negative change; null when it takes nothing. */
function outgoing(tx: InventoryTransaction): Units | null {
  const q = units(tx.quantity);
  switch (tx.type) {
    case 'adjustment':
      return q < 0 ? q : null;
    case 'consumption':
    case 'transfer':
      return negateUnits(q);
    case 'count':
      return null;
  }
}

/**
 * `expected` is the level of the move's product in a warehouse as this device
 * sees it (server on hand plus this device's pending changes), or null where
 * the device does not hold that warehouse's stock.
 */
export function checkMove(tx: InventoryTransaction, expected: Units | null, warehouse: DeepReadonly<Warehouse> | undefined): MoveChecks {
  if (expected === null || !warehouse) return { problems: [], count: null };
  if (tx.type === 'count') {
    const counted = units(tx.quantity);
    return { problems: [], count: { expected, counted, ...countVariance(counted, expected) } };
  }
  const change = outgoing(tx);
  const problem = change === null ? null : negativeStockProblem(warehouse, expected, change);
  return { problems: problem ? [problem] : [], count: null };
}
