/**
 * Decimal-safe quantities.
 *
 * Quantities travel as JSON numbers but are never added as binary floats:
 * they are converted to integers scaled by 10^4 ("units"), added as integers,
 * and converted back once for the wire. 0.1 + 0.2 is 0.3 here.
 */

export const QUANTITY_DECIMALS = 4;
export const QUANTITY_SCALE = 10_000;
/** Largest absolute quantity accepted: keeps every sum far below 2^53 units. */
export const MAX_QUANTITY = 100_000_000_000;

/** An integer number of 1/10,000ths of a unit. */
export type Units = number & { readonly __units: true };

export type QuantityError = 'invalid-quantity' | 'precision-exceeded';

export type ParseResult = { ok: true; units: Units } | { ok: false; code: QuantityError; message: string };

const DECIMAL = /^(-)?(\d+)(?:\.(\d+))?$/;

/**
 * Parses a quantity from a JSON number or a decimal string.
 * More than four decimal places is an error, never a silent rounding.
 */
export function parseQuantity(value: unknown): ParseResult {
  let text: string;
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) return invalid('a quantity must be a finite number');
    // String() gives the shortest text that reads back as the same double, so
    // 0.1 is "0.1", not 0.1000000000000000055511151231257827.
    text = String(value);
    if (/e/i.test(text)) {
      return Math.abs(value) < 1
        ? { ok: false, code: 'precision-exceeded', message: `${text} has more than ${QUANTITY_DECIMALS} decimal places` }
        : invalid(`${text} is too large`);
    }
  } else if (typeof value === 'string') {
    text = value.trim();
  } else {
    return invalid('a quantity must be a number');
  }
  const match = DECIMAL.exec(text);
  if (!match) return invalid(`"${text}" is not a decimal number`);
  const [, sign, whole = '0', rawFraction = ''] = match;
  const fraction = rawFraction.replace(/0+$/, '');
  if (fraction.length > QUANTITY_DECIMALS) {
    return { ok: false, code: 'precision-exceeded', message: `${text} has more than ${QUANTITY_DECIMALS} decimal places` };
  }
  if (whole.replace(/^0+/, '').length > 12) return invalid(`${text} is too large`);
  const magnitude = Number(whole) * QUANTITY_SCALE + Number(fraction.padEnd(QUANTITY_DECIMALS, '0'));
  if (magnitude > MAX_QUANTITY * QUANTITY_SCALE) return invalid(`${text} is too large`);
  const units = sign ? -magnitude : magnitude;
  return { ok: true, units: (units === 0 ? 0 : units) as Units };
}

function invalid(message: string): ParseResult {
  return { ok: false, code: 'invalid-quantity', message };
}

/** Parses a quantity that is known to be valid (server-made values); throws otherwise. */
export function units(value: number | string): Units {
  const parsed = parseQuantity(value);
  if (!parsed.ok) throw new RangeError(parsed.message);
  return parsed.units;
}

/** Converts scaled units back to the JSON number that prints as the exact decimal. */
export function toQuantity(value: Units): number {
  // An integer divided by 10^4 rounds once, to the double nearest the decimal:
  // the same double that parsing "12.3456" gives.
  const result = value / QUANTITY_SCALE;
  return result === 0 ? 0 : result;
}

export function addUnits(a: Units, b: Units): Units {
  return (a + b) as Units;
}

export function subtractUnits(a: Units, b: Units): Units {
  return (a - b) as Units;
}

export function negateUnits(a: Units): Units {
  return (a === 0 ? 0 : -a) as Units;
}

export function sumUnits(values: Iterable<Units>): Units {
  let total = 0;
  for (const v of values) total += v;
  return total as Units;
}

export const ZERO_UNITS = 0 as Units;

/** Decimal text of a quantity, for messages and CSV (never exponent notation). */
export function formatUnits(value: Units): string {
  const negative = value < 0;
  const abs = Math.abs(value);
  const whole = Math.floor(abs / QUANTITY_SCALE);
  const fraction = String(abs % QUANTITY_SCALE).padStart(QUANTITY_DECIMALS, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}
