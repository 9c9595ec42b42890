import type { ChangeNotifier } from '../../store/notifier.js';
import type { Store } from '../../store/open.js';
import { aggregateBatch } from './aggregate.js';
import type { AggregationConfig } from './config.js';
import { deliverErpJournals } from './deliver.js';
import { countLinesAwaitingAggregation } from './erp-journals.js';
import type { ErpJournalSink } from './sink.js';

export interface AggregationDeps {
  store: Store;
  notifier: ChangeNotifier | undefined;
  config: AggregationConfig;
  /** Undefined: no adapter for the configured ERP yet; ERP journals wait in `created`. */
  sink: ErpJournalSink | undefined;
  /** Told after each batch, for metrics. */
  onAggregated?: (lines: number) => void;
}

export interface AggregationRunResult {
  aggregatedLines: number;
  postingJournals: number;
  erpJournals: number;
  erpLines: number;
  doNotSyncLines: number;
  /** Posting lines still waiting after this run (a run takes a bounded number of batches). */
  remainingLines: number;
  sink: string | null;
  delivered: { journals: number; postedLines: number; createErrorLines: number; postErrorLines: number };
}

/** Batches per run, so one run (and a request that asked for it) has an end however large the backlog. */
const MAX_BATCHES = 20;
const DELIVERY_JOURNALS_PER_ROUND = 50;
const MAX_DELIVERY_ROUNDS = 20;

/** One run: aggregate what is waiting (bounded), then hand new ERP journals to the sink. */
export async function runAggregation(deps: AggregationDeps): Promise<AggregationRunResult> {
  const result: AggregationRunResult = {
    aggregatedLines: 0,
    postingJournals: 0,
    erpJournals: 0,
    erpLines: 0,
    doNotSyncLines: 0,
    remainingLines: 0,
    sink: deps.sink?.name ?? null,
    delivered: { journals: 0, postedLines: 0, createErrorLines: 0, postErrorLines: 0 },
  };
  for (let i = 0; i < MAX_BATCHES; i++) {
    const batch = await aggregateBatch(deps.store, deps.notifier, deps.config);
    if (batch.lines === 0) break;
    result.aggregatedLines += batch.lines;
    result.postingJournals += batch.postingJournals;
    result.erpJournals += batch.erpJournals;
    result.erpLines += batch.erpLines;
    result.doNotSyncLines += batch.doNotSyncLines;
    deps.onAggregated?.(batch.lines);
  }
  if (deps.sink) {
    for (let i = 0; i < MAX_DELIVERY_ROUNDS; i++) {
      const round = await deliverErpJournals(deps.store, deps.notifier, deps.sink, DELIVERY_JOURNALS_PER_ROUND);
      if (round.journals === 0) break;
      result.delivered.journals += round.journals;
      result.delivered.postedLines += round.postedLines;
      result.delivered.createErrorLines += round.createErrorLines;
      result.delivered.postErrorLines += round.postErrorLines;
    }
  }
  result.remainingLines = await countLinesAwaitingAggregation(deps.store.db);
  return result;
}
