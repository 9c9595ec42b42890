/**
 * Bundled by test/bench/renderer.ts (esbuild) into test/bench/browser/dist and
 * loaded into headless Chromium: the renderer's own database (openDatabase,
 * RxDB on Dexie/IndexedDB) and its pull handler, driven from the bench.
 *
 * Every call opens a fresh database (a new user name, so a new IndexedDB
 * database), does one timed thing, checks the count and removes the database
 * again: RxDB's free build allows 13 open collections per page and a database
 * has nine, so two can never be open at once.
 */
import { replicateRxCollection } from 'rxdb/plugins/replication';
import { RXDB_VERSION } from 'rxdb/plugins/utils';
import type { WireDocument } from '../../../shared/collections.js';
import type { InventoryLevel } from '../../../shared/schemas/inventory.js';
import type { ReplicationCheckpoint } from '../../../shared/wire.js';
import { openDatabase, type FieldstockDatabase } from '../../../renderer/db/database.js';
import { pullHandler, type Endpoint } from '../../../renderer/sync/http-replication.js';

type InventoryWire = WireDocument<'inventory'>;

export interface BrowserRun {
  /** Timed part only: replication start until awaitInitialReplication(), or the bulkInsert call. */
  ms: number;
  /** Not timed: opening the fresh database (nine collections). */
  openMs: number;
  count: number;
}

export interface RendererBench {
  rxdbVersion: string;
  userAgent: string;
  firstSync(baseUrl: string, token: string, batchSize: number, expected: number): Promise<BrowserRun>;
  /** The same replication, its pull handler answering from the loaded documents in memory: no network, no server. */
  firstSyncFromMemory(batchSize: number, expected: number): Promise<BrowserRun>;
  /** Pulls every inventory document once (not timed) and keeps them for bulkInsert(). */
  loadDocuments(baseUrl: string, token: string, batchSize: number): Promise<number>;
  /** bulkInsert of the loaded documents; `pageSize` below their number: one call per page, one after another. */
  bulkInsert(expected: number, pageSize?: number): Promise<BrowserRun>;
}

let runCounter = 0;
let loaded: InventoryLevel[] = [];

/** A fresh, empty database as the app opens it (Dexie storage), single-instance as in Electron's one window. */
async function freshDatabase(baseUrl: string, kind: string): Promise<{ db: FieldstockDatabase; openMs: number }> {
  runCounter += 1;
  const started = performance.now();
  const db = await openDatabase({ serverUrl: baseUrl, username: `bench-${kind}-${Date.now().toString(36)}-${runCounter}`, multiInstance: false });
  const openMs = performance.now() - started;
  const existing = await db.inventory.count().exec();
  if (existing !== 0) throw new Error(`the fresh database already holds ${existing} inventory documents`);
  return { db, openMs };
}

function describe(error: unknown): string {
  const { code, parameters } = (error ?? {}) as { code?: unknown; parameters?: { errors?: { message?: unknown }[] } };
  const inner = (parameters?.errors ?? []).map((e) => String(e.message)).join('; ');
  if (typeof code === 'string') return `${code}${inner ? `: ${inner}` : ''}`;
  return error instanceof Error ? error.message : String(error);
}

function endpoint(baseUrl: string, token: string): Endpoint {
  return { baseUrl, collection: 'inventory', accessToken: () => token };
}

type PullHandler = (checkpoint: ReplicationCheckpoint | undefined, batchSize: number) => Promise<{ documents: InventoryWire[]; checkpoint: ReplicationCheckpoint | undefined }>;

/** A fresh database, then replicateRxCollection (live: false) with `handler`, timed until awaitInitialReplication(). */
async function timedFirstSync(baseUrl: string, handler: PullHandler, batchSize: number, expected: number, what: string): Promise<BrowserRun> {
  const { db, openMs } = await freshDatabase(baseUrl, 'sync');
  try {
    const started = performance.now();
    const state = replicateRxCollection<InventoryLevel, ReplicationCheckpoint>({
      replicationIdentifier: `fieldstock:${baseUrl}:inventory`,
      collection: db.inventory,
      live: false,
      waitForLeadership: false,
      toggleOnDocumentVisible: false,
      pull: { handler, batchSize },
    });
    // Fail on the first replication error instead of letting RxDB retry in silence.
    let stopWatching = () => undefined as void;
    const failed = new Promise<never>((_, reject) => {
      const sub = state.error$.subscribe((error) => reject(new Error(`${what} failed: ${describe(error)}`)));
      stopWatching = () => sub.unsubscribe();
    });
    failed.catch(() => undefined);
    try {
      await Promise.race([state.awaitInitialReplication(), failed]);
    } finally {
      stopWatching();
    }
    const ms = performance.now() - started;
    const count = await db.inventory.count().exec();
    if (count !== expected) throw new Error(`COUNT MISMATCH: ${what} stored ${count} inventory documents, expected ${expected}`);
    await state.cancel();
    await db.remove();
    return { ms, openMs, count };
  } catch (error) {
    // Not awaited: a failed live:false replication can hold cancel() and remove() back; the bench fails anyway.
    void db.remove();
    throw error;
  }
}

const bench: RendererBench = {
  rxdbVersion: RXDB_VERSION,
  userAgent: navigator.userAgent,

  firstSync(baseUrl, token, batchSize, expected) {
    return timedFirstSync(baseUrl, pullHandler<InventoryWire>(endpoint(baseUrl, token)), batchSize, expected, 'first sync');
  },

  firstSyncFromMemory(batchSize, expected) {
    if (loaded.length !== expected) throw new Error(`COUNT MISMATCH: ${loaded.length} documents loaded, expected ${expected}`);
    // Pages as JSON text, parsed per call as response.json() would, answered after one macrotask as I/O is.
    const pages: string[] = [];
    for (let i = 0; i < loaded.length; i += batchSize) pages.push(JSON.stringify(loaded.slice(i, i + batchSize).map((d) => ({ ...d, _deleted: false }))));
    const handler: PullHandler = async (checkpoint) => {
      await new Promise((resolve) => setTimeout(resolve, 0));
      const index = checkpoint?.seq ?? 0;
      const page = pages[index];
      return { documents: page === undefined ? [] : (JSON.parse(page) as InventoryWire[]), checkpoint: { seq: index + 1 } };
    };
    return timedFirstSync('http://memory.invalid', handler, batchSize, expected, 'replication from memory');
  },

  async loadDocuments(baseUrl, token, batchSize) {
    const pull = pullHandler<InventoryWire>(endpoint(baseUrl, token));
    const all: InventoryLevel[] = [];
    let checkpoint: ReplicationCheckpoint | undefined;
    for (;;) {
      const page = await pull(checkpoint, batchSize);
      // bulkInsert takes documents, not wire rows: drop the replication's deleted flag.
      for (const { _deleted, ...doc } of page.documents) {
        if (_deleted) throw new Error(`the pull returned a deleted inventory document ${doc.id}`);
        all.push(doc);
      }
      checkpoint = page.checkpoint ?? undefined;
      if (page.documents.length < batchSize) break;
    }
    loaded = all;
    return all.length;
  },

  async bulkInsert(expected, pageSize = expected) {
    if (loaded.length !== expected) throw new Error(`COUNT MISMATCH: ${loaded.length} documents loaded for bulkInsert, expected ${expected}`);
    // A copy per run (not timed): RxDB may keep or extend the objects it is given.
    const docs = structuredClone(loaded);
    const { db, openMs } = await freshDatabase('http://bench.invalid', 'bulk');
    try {
      let inserted = 0;
      const started = performance.now();
      for (let i = 0; i < docs.length; i += pageSize) {
        const result = await db.inventory.bulkInsert(docs.slice(i, i + pageSize));
        if (result.error.length > 0) throw new Error(`bulkInsert failed for ${result.error.length} documents: ${result.error[0]?.status ?? ''}`);
        inserted += result.success.length;
      }
      const ms = performance.now() - started;
      const count = await db.inventory.count().exec();
      if (count !== expected || inserted !== expected) {
        throw new Error(`COUNT MISMATCH: bulkInsert stored ${count} (${inserted} reported), expected ${expected}`);
      }
      return { ms, openMs, count };
    } finally {
      await db.remove();
    }
  },
};

(globalThis as { fieldstockBench?: RendererBench }).fieldstockBench = bench;
document.title = 'fieldstock renderer bench: ready';
