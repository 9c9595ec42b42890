/** Shared pieces of the ERP outbox tests: a test clock, enqueueing, running the worker, reading items. */
import { OUTBOX_DEFAULTS, type OutboxConfig } from '../../server/erp/outbox/config.js';
import { enqueue, type Enqueued } from '../../server/erp/outbox/enqueue.js';
import type { OutboxHandlers } from '../../server/erp/outbox/handlers.js';
import type { OutboxRequest } from '../../server/erp/outbox/types.js';
import { runOutboxOnce, type OutboxRunResult, type OutboxWorkerOptions } from '../../server/erp/outbox/worker.js';
import type { Store } from '../../server/store/open.js';
import type { ErpOutboxTable } from '../../server/store/tables.js';
import { writeTransaction } from '../../server/store/write.js';

/** Small, round numbers so expected backoff windows are easy to read. */
export const TEST_OUTBOX: OutboxConfig = { ...OUTBOX_DEFAULTS, intervalMs: 0, batchSize: 50, maxAttempts: 5, backoffBaseMs: 1_000, backoffFactor: 2, backoffMaxMs: 60_000, leaseMs: 120_000 };

/** A clock the test moves by hand: no decision in the worker reads the wall clock. */
export class TestClock {
  constructor(public ms: number = Date.UTC(2030, 0, 1)) {}
  now = () => this.ms;
  advance(ms: number): void {
    this.ms += ms;
  }
}

export function request(map: string, operation: string, documentId: string, extra: Partial<OutboxRequest> = {}): OutboxRequest {
  // `extra.dedupeKey` names a version of the change; the key made of it is unique per map, document and operation.
  return { map, operation, documentId, payload: { documentId, operation }, ...extra, dedupeKey: `${map}:${documentId}:${operation}:${extra.dedupeKey ?? ''}` };
}

export async function enqueueAll(store: Store, requests: OutboxRequest[]): Promise<Enqueued[]> {
  return writeTransaction(store, undefined, async (writer) => {
    const out: Enqueued[] = [];
    for (const r of requests) out.push(await enqueue(writer, r));
    return out;
  });
}

export async function item(store: Store, id: string): Promise<ErpOutboxTable> {
  return store.db.selectFrom('erp_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}

export async function allItems(store: Store): Promise<ErpOutboxTable[]> {
  return store.db.selectFrom('erp_outbox').selectAll().orderBy('seq').execute();
}

export function runWorker(
  store: Store,
  handlers: OutboxHandlers,
  clock: TestClock,
  options: Partial<Omit<OutboxWorkerOptions, 'store' | 'handlers' | 'now' | 'config'>> & { config?: Partial<OutboxConfig> } = {},
): Promise<OutboxRunResult> {
  const { config, ...rest } = options;
  return runOutboxOnce({
    store,
    handlers,
    now: clock.now,
    callTimeoutMs: 10_000,
    ...rest,
    config: { ...TEST_OUTBOX, ...config },
  });
}
