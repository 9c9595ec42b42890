/**
 * Units of measure: goods are bought in a purchase unit (a box) and stocked in
 * the product's base unit (each). Conversions use exact integer arithmetic on
 * scaled quantities (shared/decimal.ts), never binary floats.
 */
import type { Product, ReferenceData } from '../collections.js';
import { formatUnits, MAX_QUANTITY, parseQuantity, QUANTITY_SCALE, subtractUnits, type Units } from '../decimal.js';
import { problem, type LedgerProblem } from './problem.js';

/** Read-only on purpose: RxDB hands out frozen documents. */
type ConvertibleProduct = Pick<Product, 'number' | 'unit'> & { readonly unitConversions?: readonly { readonly unit: string; readonly factor: number }[] };

/**
 * How many base units one `unit` of the product holds, as scaled units
 * (12 base units per box = 120000). The product's own conversions win, then
 * the base unit itself (1), then a unit in referenceData with a factor
 * (for units that mean the same for every product, such as a dozen).
 */
export function unitFactor(
  product: ConvertibleProduct,
  unit: string,
  sharedUnits: Iterable<Pick<ReferenceData, 'kind' | 'code' | 'factor' | 'active'>> = [],
): { ok: true; factor: Units } | { ok: false; problem: LedgerProblem } {
  const own = product.unitConversions?.find((c) => c.unit === unit);
  let raw: number | undefined = own?.factor;
  if (raw === undefined && unit === product.unit) raw = 1;
  if (raw === undefined) {
    for (const u of sharedUnits) {
      if (u.kind === 'unit' && u.code === unit && u.active && u.factor !== undefined) raw = u.factor;
    }
  }
  if (raw === undefined) {
    return { ok: false, problem: problem('unknown-unit', `Product ${product.number} has no conversion from ${unit} to its base unit ${product.unit}.`) };
  }
  const parsed = parseQuantity(raw);
  if (!parsed.ok || parsed.units <= 0) {
    return { ok: false, problem: problem('unknown-unit', `The conversion of ${unit} for product ${product.number} is not a positive quantity with at most 4 decimals.`) };
  }
  return { ok: true, factor: parsed.units };
}

const SCALE = BigInt(QUANTITY_SCALE);
const LIMIT = BigInt(MAX_QUANTITY) * SCALE;

/**
 * `quantity` purchase units in base units, rounded half away from zero to the
 * 4 decimals quantities carry. Throws RangeError beyond the quantity limit.
 */
export function toBaseUnits(quantity: Units, factor: Units): Units {
  const exact = BigInt(quantity) * BigInt(factor); // scaled by 10^8
  const negative = exact < 0n;
  const magnitude = negative ? -exact : exact;
  let rounded = magnitude / SCALE;
  if ((magnitude % SCALE) * 2n >= SCALE) rounded += 1n;
  if (rounded > LIMIT) throw new RangeError(`${formatUnits(quantity)} × ${formatUnits(factor)} is beyond the largest quantity`);
  return Number(negative ? -rounded : rounded) as Units;
}

/**
 * The base units one receipt adds to a PO line, as the difference of the
 * converted running totals. Whatever the partial receipts, their base
 * quantities add up to the converted total received: a fraction rounded away
 * in one receipt comes back in the next, never lost and never counted twice.
 */
export function receivedBaseDelta(receivedBefore: Units, adding: Units, factor: Units): Units {
  return subtractUnits(toBaseUnits((receivedBefore + adding) as Units, factor), toBaseUnits(receivedBefore, factor));
}
