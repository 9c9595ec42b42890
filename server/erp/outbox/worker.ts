import type { ErpOutboxTable } from '../../store/tables.js';
import type { ChangeNotifier } from '../../store/notifier.js';
import type { Store } from '../../store/open.js';
import { writeTransaction } from '../../store/write.js';
import { backoffDelay } from './backoff.js';
import { anythingDue, claimDue } from './claim.js';
import type { OutboxConfig } from './config.js';
import { callHandler } from './deliver-one.js';
import type { OutboxHandlers } from './handlers.js';
import { recordOutcome, type Outcome } from './record.js';
import type { OutboxItemRef } from './types.js';

/** pino-shaped, so the app's logger fits. */
export interface OutboxLog {
  info(fields: object, message: string): void;
  warn(fields: object, message: string): void;
  error(fields: object, message: string): void;
}

export interface OutboxCounters {
  /** One delivery ended: done, retry (failed, will try again), poison, or stale (another worker's claim had taken over). */
  delivered(map: string, operation: string, outcome: 'done' | 'retry' | 'poison' | 'stale'): void;
  failed(map: string, code: string): void;
}

export interface OutboxWorkerOptions {
  store: Store;
  /** For hooks that change replicated documents. */
  notifier?: ChangeNotifier | undefined;
  handlers: OutboxHandlers;
  config: OutboxConfig;
  /** Longest one delivery may take (the ERP timeout); must be shorter than the lease. */
  callTimeoutMs: number;
  /** Injected in tests; every time decision reads it (never Date.now directly). */
  now?: () => number;
  random?: () => number;
  log?: OutboxLog | undefined;
  counters?: OutboxCounters | undefined;
  /** True once the server is stopping: items not yet started go back to pending. */
  stopping?: () => boolean;
}

export interface OutboxRunResult {
  claimed: number;
  done: number;
  retried: number;
  poisoned: number;
  /** Claimed but not started (lease too short or stopping); back to pending. */
  released: number;
  /** Outcomes not recorded because the claim had expired and been taken over. */
  stale: number;
  /** In-flight items past their lease put back (to pending, or poison past max attempts). */
  reclaimed: number;
}

/**
 * One run: claim due items under the write lock, deliver each one outside
 * any transaction (an ERP call must never hold the lock every push waits
 * for), record each outcome in its own short transaction.
 *
 * Within a run items are delivered one at a time in claim order; a claim
 * holds at most one item per (map, document), so document order holds
 * across runs and instances.
 */
export async function runOutboxOnce(options: OutboxWorkerOptions): Promise<OutboxRunResult> {
  const now = options.now ?? Date.now;
  const result: OutboxRunResult = { claimed: 0, done: 0, retried: 0, poisoned: 0, released: 0, stale: 0, reclaimed: 0 };
  const pairs = options.handlers.pairs();
  if (!(await anythingDue(options.store.db, now(), pairs))) return result;
  const claim = await writeTransaction(options.store, options.notifier, (writer) =>
    claimDue(writer, { now: now(), limit: options.config.batchSize, leaseMs: options.config.leaseMs, maxAttempts: options.config.maxAttempts, pairs }),
  );
  result.claimed = claim.items.length;
  result.reclaimed = claim.reclaimed + claim.reclaimedToPoison;
  if (result.reclaimed > 0) options.log?.warn({ pending: claim.reclaimed, poison: claim.reclaimedToPoison }, 'ERP outbox: items left in flight past their lease were put back');

  for (const item of claim.items) {
    const ref: OutboxItemRef = { id: item.id, map: item.map_name, operation: item.operation, documentId: item.document_id, payload: JSON.parse(item.payload) as unknown };
    const registered = options.handlers.get(item.map_name, item.operation);
    // Start a delivery only if it can end inside the lease: past it another worker may take the item over.
    const canStart = registered !== undefined && !options.stopping?.() && now() + options.callTimeoutMs < claim.leaseExpiresAt;
    if (!canStart) {
      await record(options, item, claim.claimId, { kind: 'release' }, ref, now);
      result.released += 1;
      continue;
    }
    const answer = await callHandler(registered.handler, { ...ref, attempt: item.attempts, idempotencyKey: item.id }, options.callTimeoutMs);
    let outcome: Outcome;
    if (answer.ok) outcome = { kind: 'done', erpId: answer.erpId };
    else if (answer.retryable && item.attempts < options.config.maxAttempts) {
      outcome = { kind: 'retry', error: answer.error, nextAttemptAt: now() + backoffDelay(options.config, item.attempts, options.random) };
    } else outcome = { kind: 'poison', error: answer.error };
    if (!answer.ok) options.counters?.failed(item.map_name, answer.error.code);
    const recorded = await record(options, item, claim.claimId, outcome, ref, now);
    if (recorded === 'failed') continue;
    if (recorded === 'stale') {
      result.stale += 1;
      options.counters?.delivered(item.map_name, item.operation, 'stale');
      options.log?.warn({ item: item.id, map: item.map_name }, 'ERP outbox: a delivery outlived its lease and another worker took the item over; its outcome was not recorded');
      continue;
    }
    switch (outcome.kind) {
      case 'done':
        result.done += 1;
        break;
      case 'retry':
        result.retried += 1;
        break;
      case 'poison':
        result.poisoned += 1;
        options.log?.warn(
          { item: item.id, map: item.map_name, operation: item.operation, document: item.document_id, code: outcome.error.code },
          `ERP outbox: item set aside as poison: ${outcome.error.message}`,
        );
        break;
    }
    options.counters?.delivered(item.map_name, item.operation, outcome.kind);
  }
  return result;
}

/** Records one outcome with its hook in one transaction. A failing hook is logged; the item then stays in flight until its lease ends. */
async function record(
  options: OutboxWorkerOptions,
  item: ErpOutboxTable,
  claimId: string,
  outcome: Outcome,
  ref: OutboxItemRef,
  now: () => number,
): Promise<'recorded' | 'stale' | 'failed'> {
  const hooks = options.handlers.get(item.map_name, item.operation)?.hooks;
  try {
    return await writeTransaction(options.store, options.notifier, async (writer) => {
      if (!(await recordOutcome(writer, item, claimId, outcome, now()))) return 'stale' as const;
      if (outcome.kind === 'done') await hooks?.onDone?.(writer, ref, outcome.erpId);
      if (outcome.kind === 'poison') await hooks?.onPoison?.(writer, ref, outcome.error);
      return 'recorded' as const;
    });
  } catch (error) {
    options.log?.error({ err: error, item: item.id, map: item.map_name }, 'ERP outbox: recording a delivery failed; the item is delivered again after its lease');
    return 'failed';
  }
}
