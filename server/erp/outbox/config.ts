/** How the ERP outbox worker runs (FIELDSTOCK_ERP_OUTBOX_*; defaults in server/config.ts). */
export interface OutboxConfig {
  /** How often the worker looks for due items; 0: never on its own (tests, or a server that must not write to the ERP). */
  intervalMs: number;
  /** Most items one run claims and delivers. */
  batchSize: number;
  /** Deliveries an item gets before it is set aside as poison. */
  maxAttempts: number;
  /** Backoff after the n-th failed attempt: min(max, base × factor^(n-1)), then jittered down to half at random. */
  backoffBaseMs: number;
  backoffFactor: number;
  backoffMaxMs: number;
  /**
   * How long a claimed item may stay in flight. A worker that crashed leaves
   * its items in flight; past the lease they are delivered again (handlers
   * are idempotent by item id). Must exceed the longest ERP call.
   */
  leaseMs: number;
  /** Poison items, or items waiting to be retried, in one map at which an alert is raised. */
  alertThreshold: number;
}

export const OUTBOX_DEFAULTS: OutboxConfig = {
  intervalMs: 5_000,
  batchSize: 20,
  maxAttempts: 20,
  backoffBaseMs: 2_000,
  backoffFactor: 2,
  backoffMaxMs: 600_000,
  leaseMs: 300_000,
  alertThreshold: 10,
};
