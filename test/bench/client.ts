/**
 * The client side of the bench, in the bench's own process: a fresh RxDB
 * database (memory storage) per run, replicating `inventory` from a server
 * process, timed from replication start until every document is stored.
 */
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import { replicateWithWebsocketServer } from 'rxdb/plugins/replication-websocket';
import { pullHandler, pushHandler, type Endpoint } from '../../renderer/sync/http-replication.js';
import type { WireDocument } from '../../shared/collections.js';
import type { InventoryLevel } from '../../shared/schemas/inventory.js';
import type { LoginResponse, PushRow, ReplicationCheckpoint } from '../../shared/wire.js';
import { createInventoryDatabase, type BenchDatabase } from './rxdb.js';

export const PULL_BATCH_SIZE = 1000;

export interface PullRun {
  /** Wall time from replication start until awaitInitialReplication() resolved. */
  ms: number;
  /** CPU time (user + system) this process used in that window. */
  cpuMs: number;
}

const cpuNow = (): number => {
  const usage = process.cpuUsage();
  return (usage.user + usage.system) / 1000;
};

/** A replication error: the client database is left as is (removing it would wait for the stuck replication). */
class ReplicationFailed extends Error {
  constructor(cause: unknown) {
    super(`replication failed: ${describeRxError(cause)}`, { cause });
    this.name = 'ReplicationFailed';
  }
}

/** RxDB's production errors carry only a code; the handler's own errors are in parameters.errors. */
function describeRxError(error: unknown): string {
  const { code, parameters } = (error ?? {}) as { code?: unknown; parameters?: { errors?: { message?: unknown }[] } };
  const inner = (parameters?.errors ?? []).map((e) => String(e.message)).join('; ');
  if (typeof code === 'string') return `${code}${inner ? `: ${inner}` : ''}`;
  return error instanceof Error ? error.message : String(error);
}

/** Creates a fresh client database, runs `work`, and removes the database unless the replication failed. */
async function withClientDatabase<T>(work: (db: BenchDatabase) => Promise<T>): Promise<T> {
  const db = await createInventoryDatabase('bench-client');
  let keep = false;
  try {
    return await work(db);
  } catch (error) {
    keep = error instanceof ReplicationFailed;
    throw error;
  } finally {
    if (!keep) await db.remove();
  }
}

/** Fails the run on the first replication error instead of letting RxDB retry in silence. */
async function replicate<CP>(state: RxReplicationState<InventoryLevel, CP>): Promise<void> {
  let unsubscribe = () => undefined as void;
  const failed = new Promise<never>((_, reject) => {
    const sub = state.error$.subscribe((error) => reject(error instanceof Error ? error : new Error(String(error))));
    unsubscribe = () => sub.unsubscribe();
  });
  failed.catch(() => undefined); // an error after success is not a failure of this run
  try {
    await Promise.race([state.awaitInitialReplication(), failed]);
  } catch (error) {
    // Not awaited: in RxDB 17.6 a live:false replication queues cancel() behind
    // its start, which waits for the initial sync, so cancel() never resolves
    // while the pull keeps failing. The bench exits on this error anyway.
    void state.cancel();
    throw new ReplicationFailed(error);
  } finally {
    unsubscribe();
  }
}

function verifyCount(count: number, expected: number, what: string): void {
  if (count !== expected) throw new Error(`COUNT MISMATCH: ${what}: the client stored ${count} documents, expected ${expected}`);
}

/** Our backend: replicateRxCollection with the app's pull handler (renderer/sync/http-replication.ts). */
export async function pullFromFieldstock(baseUrl: string, token: string, expected: number): Promise<PullRun> {
  return withClientDatabase(async (db) => {
    const endpoint: Endpoint = { baseUrl, collection: 'inventory', accessToken: () => token };
    const cpu = cpuNow();
    const started = performance.now();
    const state = replicateRxCollection<InventoryLevel, ReplicationCheckpoint>({
      replicationIdentifier: `fieldstock-bench:${baseUrl}/inventory`,
      collection: db.inventory,
      live: false,
      waitForLeadership: false,
      toggleOnDocumentVisible: false,
      pull: { handler: pullHandler<WireDocument<'inventory'>>(endpoint), batchSize: PULL_BATCH_SIZE },
    });
    await replicate(state);
    const ms = performance.now() - started;
    const cpuMs = cpuNow() - cpu;
    verifyCount(await db.inventory.count().exec(), expected, `pull from ${baseUrl}`);
    await state.cancel();
    return { ms, cpuMs };
  });
}

/**
 * The client alone: the same replication, but the pull handler answers from
 * pages held in memory as JSON text (parsed per call, as response.json()
 * would), after one event-loop turn (setImmediate), as any I/O answer comes.
 * No server, no network: the floor any server can reach.
 *
 * The turn matters: RxDB's memory storage indexes each written batch lazily,
 * on an idle callback or before the next write. A handler that answers in the
 * same tick lets that work pile up differently and runs about twice as fast
 * at 100k documents, which no real transport can do.
 */
export async function pullFromMemory(pages: string[], expected: number): Promise<PullRun> {
  return withClientDatabase(async (db) => {
    const cpu = cpuNow();
    const started = performance.now();
    const state = replicateRxCollection<InventoryLevel, ReplicationCheckpoint>({
      replicationIdentifier: 'memory-bench:inventory',
      collection: db.inventory,
      live: false,
      waitForLeadership: false,
      toggleOnDocumentVisible: false,
      pull: {
        batchSize: PULL_BATCH_SIZE,
        handler: async (checkpoint) => {
          await new Promise((resolve) => setImmediate(resolve));
          const index = checkpoint?.seq ?? 0;
          const page = pages[index];
          const documents = page === undefined ? [] : (JSON.parse(page) as WireDocument<'inventory'>[]);
          return { documents, checkpoint: { seq: index + 1 } };
        },
      },
    });
    await replicate(state);
    const ms = performance.now() - started;
    const cpuMs = cpuNow() - cpu;
    verifyCount(await db.inventory.count().exec(), expected, 'pull from memory');
    await state.cancel();
    return { ms, cpuMs };
  });
}

/** RxDB's own websocket replication (replicateWithWebsocketServer), same batch size. */
export async function pullFromWebsocket(url: string, expected: number): Promise<PullRun> {
  return withClientDatabase(async (db) => {
    const cpu = cpuNow();
    const started = performance.now();
    const state = await replicateWithWebsocketServer<InventoryLevel, unknown>({
      replicationIdentifier: `websocket-bench:${url}/inventory`,
      collection: db.inventory,
      url,
      batchSize: PULL_BATCH_SIZE,
      live: false,
    });
    await replicate(state);
    const ms = performance.now() - started;
    const cpuMs = cpuNow() - cpu;
    verifyCount(await db.inventory.count().exec(), expected, `pull from ${url}`);
    await state.cancel();
    return { ms, cpuMs };
  });
}

export async function login(baseUrl: string, username: string, password: string): Promise<LoginResponse> {
  const response = await fetch(`${baseUrl}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!response.ok) throw new Error(`login ${username} failed: ${response.status} ${await response.text()}`);
  return (await response.json()) as LoginResponse;
}

/** Pushes rows through the app's push handler in batches; returns the time until the last batch is acknowledged. */
export async function pushInBatches<D>(baseUrl: string, token: string, collection: string, docs: D[], batchSize: number): Promise<number> {
  const push = pushHandler<D>({ baseUrl, collection, accessToken: () => token });
  const started = performance.now();
  for (let i = 0; i < docs.length; i += batchSize) {
    const rows: PushRow<D>[] = docs.slice(i, i + batchSize).map((d) => ({ newDocumentState: d }));
    const conflicts = await push(rows);
    if (conflicts.length > 0) throw new Error(`push of new documents answered ${conflicts.length} conflicts (batch at ${i})`);
  }
  return performance.now() - started;
}

/** Every document of a collection through the app's pull handler (for verification, not timed). */
export async function pullEverything<D>(baseUrl: string, token: string, collection: string): Promise<D[]> {
  const pull = pullHandler<D>({ baseUrl, collection, accessToken: () => token });
  const all: D[] = [];
  let checkpoint: ReplicationCheckpoint | undefined;
  for (;;) {
    const page = await pull(checkpoint, 1000);
    all.push(...page.documents);
    checkpoint = page.checkpoint ?? undefined;
    if (page.documents.length < 1000) return all;
  }
}
