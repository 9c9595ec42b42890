// ERP-neutral values (server/erp/values.ts) and Tryton's typed JSON values
// (server/erp/adapters/tryton/values.ts): exact decimals, dates, datetimes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_QUANTITY, QUANTITY_SCALE, type Units } from '../../shared/decimal.js';
import { decodeValue, encodeValue, trytonToUnits, unitsToTryton } from '../../server/erp/adapters/tryton/values.js';
import { ErpDate, ErpDateTime, ErpDecimal } from '../../server/erp/values.js';

const MAX_UNITS = MAX_QUANTITY * QUANTITY_SCALE;
const anyUnits = fc.integer({ min: -MAX_UNITS, max: MAX_UNITS }).map((n) => (n === 0 ? 0 : n) as Units);

describe('Tryton Decimal <-> Units', () => {
  it('encode then decode is the identity on every Units value', () => {
    fc.assert(
      fc.property(anyUnits, (u) => {
        const wire = unitsToTryton(u);
        expect(wire.__class__).toBe('Decimal');
        expect(trytonToUnits(wire)).toEqual({ ok: true, units: u });
        // Through JSON and the generic decoder too, as the client does.
        const decoded = decodeValue(JSON.parse(JSON.stringify(wire)));
        expect(decoded).toBeInstanceOf(ErpDecimal);
        expect((decoded as ErpDecimal).toUnits()).toEqual({ ok: true, units: u });
      }),
    );
  });

  it('writes digits, never float text: 0.1 + 0.2 is "0.3"', () => {
    expect(unitsToTryton((1000 + 2000) as Units)).toEqual({ __class__: 'Decimal', decimal: '0.3' });
    expect(unitsToTryton(-12_345 as Units).decimal).toBe('-1.2345');
    expect(unitsToTryton(MAX_UNITS as Units).decimal).toBe('100000000000');
  });

  it.each([
    ['5.00', 50_000],
    ['5', 50_000],
    ['-0.0001', -1],
    ['1E+2', 1_000_000],
    ['1.5E-3', 15],
    ['0E-10', 0],
    ['-0', 0],
    ['000123.4500', 1_234_500],
  ])('reads Python Decimal text %j exactly', (text, expected) => {
    expect(trytonToUnits({ __class__: 'Decimal', decimal: text })).toEqual({ ok: true, units: expected });
  });

  it('refuses to round a Decimal with more than 4 decimal places', () => {
    const result = trytonToUnits({ __class__: 'Decimal', decimal: '1.23456' });
    expect(result).toMatchObject({ ok: false, code: 'precision-exceeded' });
    // ...but keeps it exactly as an ErpDecimal.
    expect((decodeValue({ __class__: 'Decimal', decimal: '1.23456' }) as ErpDecimal).text).toBe('1.23456');
  });

  it.each([{ __class__: 'Decimal', decimal: 'NaN' }, { __class__: 'Decimal', decimal: '1.2.3' }, { __class__: 'Decimal' }, 5, '5'])('does not take %j for a Decimal', (wire) => {
    expect(trytonToUnits(wire)).toMatchObject({ ok: false });
  });

  it('canonicalizes decimal text (exponent, leading and trailing zeros, negative zero)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: -20, max: 20 }), (mantissa, exponent) => {
        const a = ErpDecimal.parse(`${mantissa}E${exponent}`);
        // The same number written without an exponent, padded with zeros, canonicalizes alike.
        const digits = (mantissa < 0n ? -mantissa : mantissa).toString();
        const sign = mantissa < 0n ? '-' : '';
        const plain = exponent >= 0 ? `${sign}00${digits}${'0'.repeat(exponent)}.000` : `${sign}${'0'.repeat(-exponent + 1)}${digits}`.replace(new RegExp(`(\\d{${-exponent}})$`), '.$1');
        expect(ErpDecimal.parse(plain).text).toBe(a.text);
        expect(a.text).toMatch(/^-?(0|[1-9]\d*)(\.\d*[1-9])?$/);
        expect(a.text).not.toBe('-0');
      }),
    );
  });
});

describe('Tryton date and datetime', () => {
  it('round-trips dates', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2999-12-31T00:00:00Z'), noInvalidDate: true }), (d) => {
        const date = new ErpDate(d.toISOString().slice(0, 10));
        const wire = encodeValue(date) as Record<string, unknown>;
        expect(wire).toEqual({ __class__: 'date', year: d.getUTCFullYear(), month: d.getUTCMonth() + 1, day: d.getUTCDate() });
        expect((decodeValue(wire) as ErpDate).iso).toBe(date.iso);
      }),
    );
  });

  it('round-trips datetimes with microseconds', () => {
    const parts = { year: 2026, month: 11, day: 25, hour: 13, minute: 50, second: 29, microsecond: 99_885 };
    const decoded = decodeValue({ __class__: 'datetime', ...parts }) as ErpDateTime;
    expect(decoded.iso).toBe('2026-11-25T13:50:29.099885Z');
    expect(encodeValue(decoded)).toEqual({ __class__: 'datetime', ...parts });
    // To a Date and back drops sub-millisecond digits, towards earlier (safe for change cursors).
    expect(ErpDateTime.fromDate(decoded.toDate()).iso).toBe('2026-11-25T13:50:29.099000Z');
    expect(decoded.minusMs(1_000).iso).toBe('2026-11-25T13:50:28.099000Z');
  });

  it.each(['2023-02-29', '2024-13-01', '2024-1-01', 'yesterday'])('refuses the date %j', (text) => {
    expect(() => new ErpDate(text)).toThrow(RangeError);
  });

  it('decodes nested records and passes unknown classes through untouched', () => {
    const wire = { id: 3, lines: [{ price: { __class__: 'Decimal', decimal: '2.50' } }], at: { __class__: 'time', hour: 1, minute: 2, second: 3, microsecond: 0 } };
    const decoded = decodeValue(wire) as { lines: { price: ErpDecimal }[]; at: unknown };
    expect(decoded.lines[0]?.price.text).toBe('2.5');
    expect(decoded.at).toEqual(wire.at);
    expect(encodeValue(decoded as never)).toEqual({ ...wire, lines: [{ price: { __class__: 'Decimal', decimal: '2.5' } }] });
  });

  it('refuses a malformed typed value', () => {
    expect(() => decodeValue({ __class__: 'date', year: 2024, month: 'May', day: 1 })).toThrow(RangeError);
    expect(() => encodeValue(Number.NaN)).toThrow(RangeError);
  });
});
