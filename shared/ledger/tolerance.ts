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
  // Percent × 10^4. A percent with more than 4 decimals (5.00001) is truncated to 5, never dropped to 0;
  // truncating the decimal text, not percent × 10^4 (0.0003 × 10^4 is 2.9999999999999996 in binary).
  const digits = /^(\d+)(?:\.(\d{1,4})\d*)?$/.exec(String(percent));
  const parsed = parseQuantity(digits ? `${digits[1]}.${digits[2] ?? '0'}` : 0);
  const pct = BigInt(parsed.ok && parsed.units > 0 ? parsed.units : 0);
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
