import type { AppContext } from '../../context.js';
import { startAggregationTimer } from '../../ledger/aggregation/timer.js';
import { ANY_COLLECTION } from '../../store/notifier.js';
import { OutboxAlerts } from './alerts.js';
import { runOutboxOnce, type OutboxCounters, type OutboxLog, type OutboxRunResult } from './worker.js';

export interface OutboxService {
  /** One run now (the timer's run; tests call it too). */
  runOnce(): Promise<OutboxRunResult>;
  /** Stops the timer; a run in progress releases the items it has not started and is waited for. */
  stop(): Promise<void>;
  /** A run now rather than at the next interval (something was just queued); nothing when the interval is 0. */
  wake(): void;
}

/**
 * Collections whose commits may have queued outbox items: ERP journals
 * (aggregation queues their delivery), receipts (a receipt against an ERP
 * purchase) and the two-way maps' collections (a pushed change). A commit
 * there (or another process's, seen as "any collection") wakes the worker,
 * so an item waits for one run, not for the interval; the interval stays as
 * the safety net (retries, a notification lost).
 */
const WAKING_COLLECTIONS: ReadonlySet<string> = new Set(['journals', 'receipts', 'warehouses', 'referenceData', 'customerAssets', ANY_COLLECTION]);

/** Wakes the outbox on commits that may have queued items; returns the unsubscribe. */
export function wakeOnCommits(notifier: AppContext['notifier'], service: Pick<OutboxService, 'wake'>): () => void {
  return notifier.subscribe((collection) => {
    if (WAKING_COLLECTIONS.has(collection)) service.wake();
  });
}

/** The metrics the worker counts into, from the app's registry. */
export function outboxCounters(metrics: AppContext['metrics']): OutboxCounters {
  return {
    delivered: (map, operation, outcome) => metrics.erpOutboxDeliveries.inc({ map, operation, outcome }),
    failed: (map, code) => metrics.erpOutboxErrors.inc({ map, code }),
  };
}

/**
 * The app's outbox worker: a run every FIELDSTOCK_ERP_OUTBOX_INTERVAL_MS
 * (one at a time), with the app's handlers (ctx.outboxHandlers). A failed run is
 * logged and the next one tries again; nothing here may crash the server.
 */
export function startErpOutbox(ctx: AppContext, log: OutboxLog): OutboxService {
  let stopping = false;
  const alerts = new OutboxAlerts(ctx.config.erpOutbox.alertThreshold, log);
  const counters = outboxCounters(ctx.metrics);
  const runOnce = async () => {
    const result = await runOutboxOnce({
      store: ctx.store,
      notifier: ctx.notifier,
      handlers: ctx.outboxHandlers,
      config: ctx.config.erpOutbox,
      callTimeoutMs: ctx.config.erpTimeoutMs,
      log,
      counters,
      stopping: () => stopping,
    });
    const changed = result.done + result.retried + result.poisoned + result.reclaimed > 0;
    if (alerts.needsCheck(changed)) await alerts.check(ctx.store.db);
    return result;
  };
  const timer = startAggregationTimer(ctx.config.erpOutbox.intervalMs, runOnce, (error) => log.error({ err: error }, 'ERP outbox run failed'));
  return {
    runOnce,
    async stop() {
      stopping = true;
      await timer.stop();
    },
    wake: () => timer.wake(),
  };
}
