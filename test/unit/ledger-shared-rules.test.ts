// The ledger rules the server enforces and the app warns with (shared/ledger).
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { units, type Units } from '../../shared/decimal.js';
import { countVariance, negativeStockProblem } from '../../shared/ledger/stock.js';
import { overReceiptProblem, receivableLimit, tolerancePercent } from '../../shared/ledger/tolerance.js';
import { receivedBaseDelta, toBaseUnits, unitFactor } from '../../shared/ledger/units.js';

const product = { number: 'P-1', unit: 'EA', unitConversions: [{ unit: 'BOX', factor: 12 }, { unit: 'THIRD', factor: 0.3333 }] };

describe('unit factors', () => {
  it('the product’s own conversion wins, then its base unit, then a shared unit', () => {
    const shared = [
      { kind: 'unit' as const, code: 'BOX', factor: 10, active: true },
      { kind: 'unit' as const, code: 'DOZ', factor: 12, active: true },
      { kind: 'unit' as const, code: 'OLD', factor: 5, active: false },
    ];
    expect(unitFactor(product, 'BOX', shared)).toEqual({ ok: true, factor: units(12) });
    expect(unitFactor(product, 'EA', shared)).toEqual({ ok: true, factor: units(1) });
    expect(unitFactor(product, 'DOZ', shared)).toEqual({ ok: true, factor: units(12) });
    const inactive = unitFactor(product, 'OLD', shared);
    expect(inactive.ok ? null : inactive.problem.code).toBe('unknown-unit');
  });

  it('refuses a conversion that is not a positive 4-decimal quantity', () => {
    for (const factor of [0, -2, 0.00001]) {
      const result = unitFactor({ number: 'P-2', unit: 'EA', unitConversions: [{ unit: 'BOX', factor }] }, 'BOX');
      expect(result.ok ? null : result.problem.code).toBe('unknown-unit');
    }
  });
});

describe('conversion to base units', () => {
  it('multiplies exactly and rounds half away from zero to 4 decimals', () => {
    expect(toBaseUnits(units(2), units(12))).toBe(units(24));
    expect(toBaseUnits(units(0.0001), units(0.5))).toBe(units(0.0001)); // 0.00005 rounds up
    expect(toBaseUnits(units(0.0001), units(0.4999))).toBe(units(0)); // 0.00004999 rounds down
    expect(toBaseUnits(units(-0.0001), units(0.5))).toBe(units(-0.0001));
    expect(toBaseUnits(units(1.5), units(0.3333))).toBe(units(0.5)); // 0.49995 → 0.5
  });

  it('refuses a result beyond the largest quantity instead of losing digits', () => {
    expect(() => toBaseUnits(units(100_000_000_000), units(10))).toThrow(RangeError);
  });

  it('partial receipts add up to the converted total: no fraction lost or counted twice', () => {
    const quantity = fc.integer({ min: 1, max: 5_000_000 }).map((n) => n as Units);
    fc.assert(
      fc.property(fc.array(quantity, { minLength: 1, maxLength: 30 }), fc.integer({ min: 1, max: 10_000_000 }), (receipts, rawFactor) => {
        const factor = rawFactor as Units;
        let before = 0 as Units;
        let posted = 0;
        for (const q of receipts) {
          posted += receivedBaseDelta(before, q, factor);
          before = (before + q) as Units;
        }
        expect(posted).toBe(toBaseUnits(before, factor));
      }),
    );
  });

  it('a third of a unit received three times posts exactly one whole base unit', () => {
    const factor = units(3); // one THIRD-pack holds 3 base units; receive 0.3333 + 0.3333 + 0.3334 packs
    const deltas = [units(0.3333), units(0.3333), units(0.3334)].reduce<{ before: Units; total: number }>(
      (acc, q) => ({ before: (acc.before + q) as Units, total: acc.total + receivedBaseDelta(acc.before, q, factor) }),
      { before: 0 as Units, total: 0 },
    );
    expect(deltas.total).toBe(units(3));
  });
});

describe('over-receipt tolerance', () => {
  it('the product’s tolerance wins over the vendor’s, which wins over the default', () => {
    expect(tolerancePercent({ overReceiptTolerancePercent: 2 }, { overReceiptTolerancePercent: 5 }, 10)).toBe(2);
    expect(tolerancePercent({}, { overReceiptTolerancePercent: 5 }, 10)).toBe(5);
    expect(tolerancePercent({}, undefined, 10)).toBe(10);
    expect(tolerancePercent(undefined, undefined)).toBe(0);
    expect(tolerancePercent({ overReceiptTolerancePercent: 0 }, { overReceiptTolerancePercent: 5 })).toBe(0);
  });

  it('the limit rounds down to 0.0001 and takes fractional percents', () => {
    expect(receivableLimit(units(3.3333), 10)).toBe(units(3.6666));
    expect(receivableLimit(units(10), 2.5)).toBe(units(10.25));
    expect(receivableLimit(units(10), 0)).toBe(units(10));
    // More than 4 decimals in the percent: truncated, not dropped.
    expect(receivableLimit(units(10), 5.00001)).toBe(units(10.5));
    expect(receivableLimit(units(10_000), 0.0003)).toBe(units(10_000.03));
    // Large quantities: no float overflow in ordered × (100 + percent).
    expect(receivableLimit(units(60_000_000_000), 50)).toBe(units(90_000_000_000));
  });

  it('exactly at the limit passes; 0.0001 above fails with a message that names the line', () => {
    const line = { poNumber: 'PO-1', lineNumber: 2, unit: 'BOX', ordered: units(10), receivedBefore: units(4), percent: 10 };
    expect(overReceiptProblem({ ...line, adding: units(7) })).toBeNull();
    const over = overReceiptProblem({ ...line, adding: units(7.0001) });
    expect(over?.code).toBe('over-receipt');
    expect(over?.message).toContain('Line 2 of PO-1');
    expect(over?.message).toContain('at most 11');
  });
});

describe('stock rules', () => {
  const strict = { code: 'TRUCK-1', allowNegativeStock: false };
  it('taking below zero is a problem only where the warehouse forbids it', () => {
    expect(negativeStockProblem(strict, units(2), units(-2))).toBeNull();
    expect(negativeStockProblem(strict, units(2), units(-2.0001))?.code).toBe('insufficient-stock');
    expect(negativeStockProblem({ ...strict, allowNegativeStock: true }, units(2), units(-5))).toBeNull();
    expect(negativeStockProblem(strict, units(-3), units(1))).toBeNull(); // adding never fails
  });

  it('a count variance beyond the tolerance asks for a second look', () => {
    expect(countVariance(units(11), units(10))).toEqual({ variance: units(1), beyondTolerance: false });
    expect(countVariance(units(8.9999), units(10)).beyondTolerance).toBe(true);
    expect(countVariance(units(1), units(0)).beyondTolerance).toBe(true);
    expect(countVariance(units(0), units(0))).toEqual({ variance: 0, beyondTolerance: false });
  });
});
