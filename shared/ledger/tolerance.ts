/** Over-receipt tolerance: how much more than ordered a PO line may receive. */
import { addUnits, formatUnits, parseQuantity, QUANTITY_SCALE, type Units } from '../decimal.js';
import { problem, type LedgerProblem } from './problem.js';

interface HasTolerance {
  overReceiptTolerancePercent?: number | undefined;
}

/** The most specific tolerance wins: the product's, then the vendor's, then the configured default (0 unless set). */
export function tolerancePercent(product: HasTolerance | undefined, vendor: HasTolerance | undefined, defaultPercent = 0): number {
  return product?.overReceiptTolerancePercent ?? vendor?.overReceiptTolerancePercent ?? defaultPercent;
}

/** The most a line may have received in total: ordered × (100 + percent) / 100, rounded down to 4 decimals. */
export function receivableLimit(ordered: Units, percent: number): Units {
  const parsed = parseQuantity(percent);
  const pct = BigInt(parsed.ok && parsed.units > 0 ? parsed.units : 0); // percent × 10^4
  const hundred = 100n * BigInt(QUANTITY_SCALE);
  // BigInt: ordered × (100 + percent) passes 2^53 for large quantities.
  return Number((BigInt(ordered) * (hundred + pct)) / hundred) as Units;
}

/** `over-receipt` when receiving `adding` more takes the line beyond its limit; null when it is within. */
export function overReceiptProblem(line: {
  poNumber: string;
  lineNumber: number;
  unit: string;
  ordered: Units;
  receivedBefore: Units;
  adding: Units;
  percent: number;
}): LedgerProblem | null {
  const total = addUnits(line.receivedBefore, line.adding);
  const limit = receivableLimit(line.ordered, line.percent);
  if (total <= limit) return null;
  const allowance = line.percent > 0 ? ` (tolerance ${line.percent}%: at most ${formatUnits(limit)})` : '';
  return problem(
    'over-receipt',
    `Line ${line.lineNumber} of ${line.poNumber}: receiving ${formatUnits(line.adding)} ${line.unit} makes ${formatUnits(total)} of ${formatUnits(line.ordered)} ordered${allowance}.`,
  );
}
