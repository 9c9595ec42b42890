import type { AppContext } from '../../context.js';
import { runAggregation, type AggregationRunResult } from './run.js';
import { sinkFor } from './sink.js';

/** One aggregation run with the app's store, configuration, ERP sink and metrics (the timer and the admin route share it). */
export async function runAggregationFor(ctx: AppContext): Promise<AggregationRunResult> {
  try {
    const result = await runAggregation({
      store: ctx.store,
      notifier: ctx.notifier,
      config: ctx.config.aggregation,
      sink: await sinkFor(ctx.config, ctx.erp?.connector),
      onAggregated: (lines) => ctx.metrics.aggregatedLines.inc(lines),
    });
    ctx.metrics.aggregationRuns.inc({ outcome: 'ok' });
    return result;
  } catch (error) {
    ctx.metrics.aggregationRuns.inc({ outcome: 'error' });
    throw error;
  }
}
