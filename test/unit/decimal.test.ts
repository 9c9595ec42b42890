// Quantity arithmetic (shared/decimal.ts): scaled integers, never binary floats.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_QUANTITY,
  QUANTITY_SCALE,
  addUnits,
  formatUnits,
  negateUnits,
  parseQuantity,
  subtractUnits,
  sumUnits,
  toQuantity,
  units,
  type ParseResult,
  type Units,
} from '../../shared/decimal.js';

const MAX_UNITS = MAX_QUANTITY * QUANTITY_SCALE;

/** Any integer number of units a valid quantity can hold. */
const anyUnits = fc.integer({ min: -MAX_UNITS, max: MAX_UNITS }).map((n) => (n === 0 ? 0 : n) as Units);

/** Exact decimal text of a bigint number of units, computed without floating point. */
function bigUnitsToText(value: bigint): string {
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const whole = abs / 10_000n;
  const fraction = (abs % 10_000n).toString().padStart(4, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}

function unitsOf(result: ParseResult): Units {
  if (!result.ok) throw new Error(`expected a valid quantity, got ${result.code}: ${result.message}`);
  return result.units;
}

describe('parseQuantity', () => {
  it('reads 0.1 + 0.2 as exactly 0.3 in units, unlike binary floats', () => {
    expect(0.1 + 0.2).not.toBe(0.3);
    const sum = addUnits(units(0.1), units(0.2));
    expect(sum).toBe(3000);
    expect(sum).toBe(units(0.3));
    expect(toQuantity(sum)).toBe(0.3);
  });

  it('accepts up to four decimals from numbers and strings', () => {
    expect(unitsOf(parseQuantity(12.3456))).toBe(123_456);
    expect(unitsOf(parseQuantity('12.3456'))).toBe(123_456);
    expect(unitsOf(parseQuantity(-0.0001))).toBe(-1);
    expect(unitsOf(parseQuantity('  7 '))).toBe(70_000);
  });

  it('accepts trailing zeros beyond the fourth decimal because they add no precision', () => {
    expect(unitsOf(parseQuantity('1.50000'))).toBe(15_000);
    expect(unitsOf(parseQuantity('2.000000000'))).toBe(20_000);
  });

  it('rejects a fifth significant decimal as precision-exceeded instead of rounding', () => {
    for (const value of ['1.00001', 1.00001, 0.00001, '0.12345', 1e-7, '-3.99999']) {
      const result = parseQuantity(value);
      expect(result.ok, String(value)).toBe(false);
      if (!result.ok) expect(result.code, String(value)).toBe('precision-exceeded');
    }
  });

  it('rejects non-numbers, non-finite numbers, malformed text and out-of-range magnitudes as invalid-quantity', () => {
    const bad: unknown[] = [null, undefined, true, {}, [], NaN, Infinity, -Infinity, '', 'abc', '1.', '.5', '+1', '1,5', '1e3', 1e21, '1000000000000', MAX_QUANTITY + 1];
    for (const value of bad) {
      const result = parseQuantity(value);
      expect(result.ok, String(value)).toBe(false);
      if (!result.ok) expect(result.code, String(value)).toBe('invalid-quantity');
    }
  });

  it('accepts the largest allowed quantity and its negation', () => {
    expect(unitsOf(parseQuantity(MAX_QUANTITY))).toBe(MAX_UNITS);
    expect(unitsOf(parseQuantity(-MAX_QUANTITY))).toBe(-MAX_UNITS);
  });

  it('never produces negative zero', () => {
    expect(Object.is(unitsOf(parseQuantity('-0')), 0)).toBe(true);
    expect(Object.is(unitsOf(parseQuantity(-0)), 0)).toBe(true);
    expect(Object.is(negateUnits(0 as Units), 0)).toBe(true);
    expect(Object.is(toQuantity(-0 as Units), 0)).toBe(true);
  });

  it('units() throws a RangeError for input it cannot read', () => {
    expect(() => units('1.00001')).toThrow(RangeError);
    expect(() => units('x')).toThrow(RangeError);
  });
});

describe('formatUnits', () => {
  it('prints exact decimal text without exponent notation or trailing zeros', () => {
    expect(formatUnits(15_000 as Units)).toBe('1.5');
    expect(formatUnits(-5 as Units)).toBe('-0.0005');
    expect(formatUnits(0 as Units)).toBe('0');
    expect(formatUnits(MAX_UNITS as Units)).toBe('100000000000');
    expect(formatUnits(1 as Units)).toBe('0.0001');
  });
});

describe('decimal properties', () => {
  it('formatUnits then parseQuantity gives back the same units for any integer units within range', () => {
    fc.assert(
      fc.property(anyUnits, (u) => {
        expect(unitsOf(parseQuantity(formatUnits(u)))).toBe(u);
      }),
      { numRuns: 2000 },
    );
  });

  it('toQuantity then parseQuantity gives back the same units, so the wire number is the exact decimal', () => {
    fc.assert(
      fc.property(anyUnits, (u) => {
        const wire = toQuantity(u);
        expect(unitsOf(parseQuantity(wire))).toBe(u);
        // A JSON round trip (what replication does) changes nothing either.
        expect(unitsOf(parseQuantity(JSON.parse(JSON.stringify(wire)) as number))).toBe(u);
      }),
      { numRuns: 2000 },
    );
  });

  it('the sum of parsed quantities equals the parse of the exact decimal sum', () => {
    const smallUnits = fc.integer({ min: -(10 ** 12), max: 10 ** 12 });
    fc.assert(
      fc.property(fc.array(smallUnits, { maxLength: 50 }), (values) => {
        const texts = values.map((v) => bigUnitsToText(BigInt(v)));
        const exact = values.reduce((total, v) => total + BigInt(v), 0n);
        const parsedSum = sumUnits(texts.map((t) => unitsOf(parseQuantity(t))));
        expect(parsedSum).toBe(unitsOf(parseQuantity(bigUnitsToText(exact))));
        // The same through JSON numbers, as quantities arrive on the wire.
        const wireSum = sumUnits(texts.map((t) => unitsOf(parseQuantity(Number(t)))));
        expect(wireSum).toBe(parsedSum);
      }),
      { numRuns: 500 },
    );
  });

  it('adding then subtracting the same quantity is the identity', () => {
    const moderate = fc.integer({ min: -(10 ** 14), max: 10 ** 14 }).map((n) => n as Units);
    fc.assert(
      fc.property(moderate, moderate, (a, b) => {
        expect(subtractUnits(addUnits(a, b), b)).toBe(a);
        expect(addUnits(a, negateUnits(a))).toBe(0);
      }),
    );
  });

  it('any decimal text with a non-zero fifth decimal is rejected as precision-exceeded', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 11n }),
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 1, max: 9 }),
        fc.nat({ max: 5 }),
        fc.boolean(),
        (whole, fourDecimals, fifth, trailingZeros, negative) => {
          const text = `${negative ? '-' : ''}${whole}.${String(fourDecimals).padStart(4, '0')}${fifth}${'0'.repeat(trailingZeros)}`;
          const result = parseQuantity(text);
          expect(result.ok).toBe(false);
          if (!result.ok) expect(result.code).toBe('precision-exceeded');
        },
      ),
    );
  });

  it('trailing zeros after four decimals never change the value', () => {
    fc.assert(
      fc.property(anyUnits, fc.integer({ min: 1, max: 10 }), (u, zeros) => {
        const text = bigUnitsToText(BigInt(u)) + '0'.repeat(zeros);
        expect(unitsOf(parseQuantity(text))).toBe(u);
      }),
    );
  });
});
