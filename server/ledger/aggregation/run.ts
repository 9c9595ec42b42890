import type { ChangeNotifier } from '../../store/notifier.js';
import type { Store } from '../../store/open.js';
import type { Writer } from '../../store/write.js';
import { aggregateBatch } from './aggregate.js';
import type { AggregationConfig } from './config.js';
import { deliverErpJournals } from './deliver.js';
import { countLinesAwaitingAggregation } from './erp-journals.js';
import type { ErpJournalSink } from './sink.js';

/** Where ERP journals go with an ERP adapter: its outbox (server/erp/journals-outbox/), which delivers them with retries. */
export interface JournalQueue {
  /** Queues the delivery of new ERP journals inside the aggregation transaction; returns how many items were made. */
  enqueue(writer: Writer, erpJournalIds: string[]): Promise<number>;
  /** Queues journals that owe the ERP something but have no item (made before the outbox delivered them). */
  queueStranded(): Promise<number>;
  /** Of these source documents, those the ERP hears of through their own flow (receipts against ERP purchases). */
  deliveredElsewhere?(writer: Writer, sourceIds: string[]): Promise<ReadonlySet<string>>;
}

export interface AggregationDeps {
  store: Store;
  notifier: ChangeNotifier | undefined;
  config: AggregationConfig;
  /** Undefined: no adapter for the configured ERP yet. Named in the answer; called here only without `queue` (the `none` sink). */
  sink: ErpJournalSink | undefined;
  /**
   * Set with an ERP adapter: ERP journals are queued in the ERP outbox with
   * the aggregation that makes them, and only the outbox hands them to the
   * sink (one path, with its retries, backoff, poison queue and pause).
   */
  queue?: JournalQueue | undefined;
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
  /** ERP journals queued in the ERP outbox by this run (0 with `none`, which posts them at once). */
  queued: number;
  delivered: { journals: number; postedLines: number; createErrorLines: number; postErrorLines: number };
}

/** Batches per run, so one run (and a request that asked for it) has an end however large the backlog. */
const MAX_BATCHES = 20;
const DELIVERY_JOURNALS_PER_ROUND = 50;
const MAX_DELIVERY_ROUNDS = 20;

/** One run: aggregate what is waiting (bounded), then queue the new ERP journals for the outbox, or post them locally (`none`). */
export async function runAggregation(deps: AggregationDeps): Promise<AggregationRunResult> {
  const result: AggregationRunResult = {
    aggregatedLines: 0,
    postingJournals: 0,
    erpJournals: 0,
    erpLines: 0,
    doNotSyncLines: 0,
    remainingLines: 0,
    sink: deps.sink?.name ?? null,
    queued: 0,
    delivered: { journals: 0, postedLines: 0, createErrorLines: 0, postErrorLines: 0 },
  };
  const queue = deps.queue;
  let queued = 0;
  const enqueue = queue
    ? async (writer: Writer, ids: string[]) => {
        queued += await queue.enqueue(writer, ids);
      }
    : undefined;
  for (let i = 0; i < MAX_BATCHES; i++) {
    const before = queued;
    try {
      const batch = await aggregateBatch(deps.store, deps.notifier, deps.config, enqueue, queue?.deliveredElsewhere);
      if (batch.lines === 0) break;
      result.aggregatedLines += batch.lines;
      result.postingJournals += batch.postingJournals;
      result.erpJournals += batch.erpJournals;
      result.erpLines += batch.erpLines;
      result.doNotSyncLines += batch.doNotSyncLines;
      deps.onAggregated?.(batch.lines);
    } catch (error) {
      // The batch rolled back with its items: they do not count.
      queued = before;
      throw error;
    }
  }
  if (queue) {
    queued += await queue.queueStranded();
  } else if (deps.sink) {
    for (let i = 0; i < MAX_DELIVERY_ROUNDS; i++) {
      const round = await deliverErpJournals(deps.store, deps.notifier, deps.sink, DELIVERY_JOURNALS_PER_ROUND);
      if (round.journals === 0) break;
      result.delivered.journals += round.journals;
      result.delivered.postedLines += round.postedLines;
      result.delivered.createErrorLines += round.createErrorLines;
      result.delivered.postErrorLines += round.postErrorLines;
    }
  }
  result.queued = queued;
  result.remainingLines = await countLinesAwaitingAggregation(deps.store.db);
  return result;
}
