import type { OutboxConfig } from './config.js';

/**
 * Wait before the next attempt after `failedAttempts` failures (1 after the
 * first): base × factor^(n-1), capped at max, then jittered to between half
 * and all of it ("equal jitter"). Jitter spreads the retries of many items
 * that failed together (the ERP went down) so they do not return in one
 * burst; the half that stays fixed keeps a failing ERP from being hammered.
 */
export function backoffDelay(config: Pick<OutboxConfig, 'backoffBaseMs' | 'backoffFactor' | 'backoffMaxMs'>, failedAttempts: number, random: () => number = Math.random): number {
  const exponent = Math.max(0, failedAttempts - 1);
  // Computed in floating point and capped before rounding: factor^n overflows nothing, it only grows past max.
  const raw = config.backoffBaseMs * Math.pow(config.backoffFactor, exponent);
  const capped = Math.min(config.backoffMaxMs, Number.isFinite(raw) ? raw : config.backoffMaxMs);
  const r = Math.min(Math.max(random(), 0), 1);
  return Math.round(capped / 2 + (capped / 2) * r);
}
