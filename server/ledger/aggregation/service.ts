import type { AppContext } from '../../context.js';
import { deliversThroughOutbox } from '../../erp/journals-outbox/register.js';
import { enqueueJournalDeliveries, queueStrandedJournals, receiptsDeliveredElsewhere } from '../../erp/journals-outbox/queue.js';
import { runAggregation, type AggregationRunResult, type JournalQueue } from './run.js';
import { sinkFor } from './sink.js';

/** Journals queued per run that were made before the outbox delivered them; the next run takes more. */
const STRANDED_PER_RUN = 500;

/** One aggregation run with the app's store, configuration, ERP sink or outbox, and metrics (the timer and the admin route share it). */
export async function runAggregationFor(ctx: AppContext): Promise<AggregationRunResult> {
  try {
    const queue: JournalQueue | undefined = deliversThroughOutbox(ctx.config)
      ? {
          enqueue: enqueueJournalDeliveries,
          queueStranded: () => queueStrandedJournals(ctx.store, ctx.notifier, STRANDED_PER_RUN),
          deliveredElsewhere: receiptsDeliveredElsewhere,
        }
      : undefined;
    const result = await runAggregation({
      store: ctx.store,
      notifier: ctx.notifier,
      config: ctx.config.aggregation,
      // With the outbox the sink is only named here: no ERP connection is needed to aggregate and queue.
      sink: queue ? ctx.erp?.connector.journals : await sinkFor(ctx.config, ctx.erp?.connector),
      queue,
      onAggregated: (lines) => ctx.metrics.aggregatedLines.inc(lines),
    });
    ctx.metrics.aggregationRuns.inc({ outcome: 'ok' });
    return result;
  } catch (error) {
    ctx.metrics.aggregationRuns.inc({ outcome: 'error' });
    throw error;
  }
}
