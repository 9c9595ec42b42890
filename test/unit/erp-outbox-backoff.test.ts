// Backoff of the ERP outbox (server/erp/outbox/backoff.ts): exponential, capped, with equal jitter.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { backoffDelay } from '../../server/erp/outbox/backoff.js';

const config = { backoffBaseMs: 1_000, backoffFactor: 2, backoffMaxMs: 60_000 };

describe('backoffDelay', () => {
  it('grows by the factor per failed attempt (without jitter at its top)', () => {
    expect([1, 2, 3, 4, 5].map((n) => backoffDelay(config, n, () => 1))).toEqual([1_000, 2_000, 4_000, 8_000, 16_000]);
  });

  it('never exceeds the maximum, even after very many attempts', () => {
    expect(backoffDelay(config, 7, () => 1)).toBe(60_000);
    expect(backoffDelay(config, 5_000, () => 1)).toBe(60_000);
  });

  it('jitters down to half of the wait, never below', () => {
    expect(backoffDelay(config, 3, () => 0)).toBe(2_000);
    expect(backoffDelay(config, 3, () => 0.5)).toBe(3_000);
  });

  it('stays within [half, all] of the capped exponential for any attempt, random value and settings', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 100_000 }),
        fc.integer({ min: 1, max: 10 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (base, factor, extra, attempts, r) => {
          const c = { backoffBaseMs: base, backoffFactor: factor, backoffMaxMs: base + extra };
          const full = Math.min(c.backoffMaxMs, base * Math.pow(factor, attempts - 1));
          const delay = backoffDelay(c, attempts, () => r);
          expect(delay).toBeGreaterThanOrEqual(Math.floor(full / 2));
          expect(delay).toBeLessThanOrEqual(Math.ceil(full));
          expect(Number.isSafeInteger(delay)).toBe(true);
        },
      ),
    );
  });

  it('spreads items that failed together', () => {
    const delays = new Set(Array.from({ length: 50 }, () => backoffDelay(config, 4)));
    expect(delays.size).toBeGreaterThan(10);
  });
});
