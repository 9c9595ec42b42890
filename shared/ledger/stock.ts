/** Stock rules the server enforces and the app warns about before saving. */
import type { Warehouse } from '../collections.js';
import { addUnits, formatUnits, negateUnits, subtractUnits, type Units } from '../decimal.js';
import { problem, type LedgerProblem } from './problem.js';

/** `insufficient-stock` when taking stock would go below zero where the warehouse forbids it. */
export function negativeStockProblem(
  warehouse: Pick<Warehouse, 'code' | 'allowNegativeStock'>,
  onHand: Units,
  change: Units,
): LedgerProblem | null {
  if (change >= 0 || warehouse.allowNegativeStock || addUnits(onHand, change) >= 0) return null;
  return problem(
    'insufficient-stock',
    `${warehouse.code} has ${formatUnits(onHand)} on hand; taking ${formatUnits(negateUnits(change))} would go below zero, which this warehouse does not allow.`,
  );
}

/** Counts whose variance is beyond this share of the expected level get a second look before posting. */
export const COUNT_VARIANCE_WARNING_PERCENT = 10;

export interface CountVariance {
  variance: Units;
  /** True when the count differs from the expected level by more than the tolerance (any difference from 0 expected). */
  beyondTolerance: boolean;
}

export function countVariance(counted: Units, expected: Units, tolerancePercent = COUNT_VARIANCE_WARNING_PERCENT): CountVariance {
  const variance = subtractUnits(counted, expected);
  const magnitude = BigInt(Math.abs(variance)) * 100n;
  const allowed = BigInt(Math.abs(expected)) * BigInt(Math.round(tolerancePercent));
  return { variance, beyondTolerance: variance !== 0 && magnitude > allowed };
}
