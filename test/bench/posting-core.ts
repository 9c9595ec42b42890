/**
 * The posting core, timed in this process: batches of mixed traffic through
 * pushRows (server/replication/push.ts: schema validation, writeTransaction,
 * postNewDocuments, the docs table and change sequence), exactly what the
 * push endpoint runs once it has parsed the request. No HTTP, no second
 * thread: on SQLite (better-sqlite3 is synchronous) a run uses one core.
 */
import { loadConfig } from '../../server/config.js';
import { pushRows, type PushDeps } from '../../server/replication/push.js';
import { createRegistry, type CollectionPolicy } from '../../server/replication/registry.js';
import { ChangeNotifier } from '../../server/store/notifier.js';
import { openStore, type Store } from '../../server/store/open.js';
import type { DocsTable, JournalLinesTable, OnHandTable, PostingsTable } from '../../server/store/tables.js';
import type { SessionUser } from '../../shared/wire.js';
import { tempDir } from '../helpers/tmp.js';
import { settle } from './format.js';
import { auditPosting, type PostingAudit } from './posting-audit.js';
import { POSTING_USER, PostingTraffic, seedPostingWorld, type PostingBatch, type PostingWorld } from './posting-data.js';
import type { BenchCluster } from './postgres-cluster.js';

export type PostingEngine = 'SQLite' | 'PostgreSQL';

export interface BenchStore {
  store: Store;
  /** The SQLite file (SQLite only). */
  sqliteFile?: string;
  /** The database's URL (PostgreSQL only). */
  databaseUrl?: string;
  dispose(): Promise<void>;
}

/** A fresh, empty, migrated store: a new SQLite folder or a new PostgreSQL database. */
export async function freshStore(engine: PostingEngine, cluster: BenchCluster | undefined, name: string): Promise<BenchStore> {
  if (engine === 'PostgreSQL') {
    if (!cluster) throw new Error('PostgreSQL posting bench without a cluster');
    const databaseUrl = await cluster.createDatabase(name);
    const store = await openStore({ databaseUrl, dataDir: '' });
    return { store, databaseUrl, dispose: () => store.close() };
  }
  const dir = tempDir('bench-posting');
  const store = await openStore({ dataDir: dir.path });
  return {
    store,
    sqliteFile: store.description.slice('sqlite:'.length),
    async dispose() {
      await store.close();
      dir.cleanup();
    },
  };
}

/**
 * Every row one push (one writeTransaction, one commit) wrote, read back after
 * the run: what the raw-insert baseline inserts, in as many commits.
 */
export interface CapturedCommit {
  /** The batch the push belongs to (a batch is one or two pushes: transactions, then receipts). */
  batch: number;
  docs: DocsTable[];
  onhand: OnHandTable[];
  journalLines: JournalLinesTable[];
  postings: PostingsTable[];
  /** The change counter after the push. */
  seq: number;
}

export interface PostingRun {
  /** Documents pushed in the timed batches. */
  documents: number;
  batchMs: number[];
  /** CPU time of this process over the timed batches (user + system). */
  cpuMs: number;
  audit: PostingAudit;
  captured: CapturedCommit[];
}

export const postingUser = (world: PostingWorld): SessionUser => ({
  id: 'bench-poster',
  username: POSTING_USER,
  role: 'warehouse',
  warehouseIds: world.warehouses.map((w) => w.id),
});

/** A batch as a client pushes it: the transactions, then the receipts (each push is its own database transaction). */
const parts = (batch: PostingBatch): [string, Record<string, unknown>[]][] =>
  (
    [
      ['inventoryTransactions', batch.transactions],
      ['receipts', batch.receipts],
    ] as [string, Record<string, unknown>[]][]
  ).filter(([, docs]) => docs.length > 0);

/** pushRows as the push route calls it; a conflict or a set-aside row is a bench bug. */
export function poster(store: Store, world: PostingWorld): (collection: string, docs: Record<string, unknown>[]) => Promise<number> {
  const registry = createRegistry();
  const deps: PushDeps = { store, notifier: new ChangeNotifier(store), ledger: loadConfig({}).ledger };
  const user = postingUser(world);
  return async (collection, docs) => {
    const outcome = await pushRows(deps, registry.get(collection) as CollectionPolicy, user, docs.map((d) => ({ newDocumentState: d })));
    if (outcome.conflicts.length > 0 || outcome.quarantined > 0) {
      throw new Error(`posting bench: ${collection} push answered ${outcome.conflicts.length} conflicts, ${outcome.quarantined} set aside`);
    }
    return outcome.posted + outcome.rejected;
  };
}

const counter = async (store: Store) => Number((await store.db.selectFrom('change_counter').select('value').where('id', '=', 1).executeTakeFirstOrThrow()).value);

/** One run on a fresh store: seed, `warmUp` batches untimed, `batches` timed, then audit and capture (untimed). */
export async function postingRun(
  bench: BenchStore,
  world: PostingWorld,
  options: { batchSize: number; batches: number; warmUp: number; seed: number },
): Promise<PostingRun> {
  const { store } = bench;
  await seedPostingWorld(store, world);
  const push = poster(store, world);
  const traffic = new PostingTraffic(world, options.seed);
  let pushed = 0;
  for (let i = 0; i < options.warmUp; i += 1) {
    for (const [collection, docs] of parts(traffic.batch(options.batchSize))) pushed += await push(collection, docs);
  }

  const seqStart = await counter(store);
  const batches = Array.from({ length: options.batches }, () => traffic.batch(options.batchSize));
  const batchMs: number[] = [];
  const commits: { batch: number; seq: number; ids: string[] }[] = [];
  let documents = 0;
  let cpuMs = 0;
  await settle();
  for (const [index, batch] of batches.entries()) {
    let ms = 0;
    for (const [collection, docs] of parts(batch)) {
      const cpu = process.cpuUsage();
      const started = performance.now();
      documents += await push(collection, docs);
      ms += performance.now() - started;
      const used = process.cpuUsage(cpu);
      cpuMs += (used.user + used.system) / 1000;
      // Not timed: where this commit's rows end, for the baseline.
      commits.push({ batch: index, seq: await counter(store), ids: docs.map((d) => String(d.id)) });
    }
    batchMs.push(ms);
  }
  pushed += documents;
  const audit = await auditPosting(store.db, world.opening, pushed);
  return { documents, batchMs, cpuMs, audit, captured: await capture(store, seqStart, commits) };
}

async function capture(store: Store, seqStart: number, commits: { batch: number; seq: number; ids: string[] }[]): Promise<CapturedCommit[]> {
  const commitOf = new Map<string, number>();
  commits.forEach((c, i) => {
    for (const id of c.ids) commitOf.set(id, i);
  });
  const captured: CapturedCommit[] = commits.map((c) => ({ batch: c.batch, docs: [], onhand: [], journalLines: [], postings: [], seq: c.seq }));
  const at = (i: number | undefined) => (i === undefined ? undefined : captured[i]);
  const onhand = new Map<string, OnHandTable>();
  for (const r of await store.db.selectFrom('onhand').selectAll().execute()) onhand.set(`${r.warehouse_id}~${r.product_id}`, r);
  for (const d of await store.db.selectFrom('docs').selectAll().where('seq', '>', seqStart).orderBy('seq').execute()) {
    const commit = at(commits.findIndex((c) => d.seq <= c.seq));
    if (!commit) continue;
    commit.docs.push(d);
    if (d.collection === 'inventory') {
      const level = JSON.parse(d.data) as { warehouseId: string; productId: string };
      const row = onhand.get(`${level.warehouseId}~${level.productId}`);
      if (row) commit.onhand.push(row);
    }
  }
  for (const p of await store.db.selectFrom('postings').selectAll().execute()) at(commitOf.get(p.source_id))?.postings.push(p);
  for (const l of await store.db.selectFrom('journal_lines').selectAll().execute()) at(commitOf.get(l.source_id))?.journalLines.push(l);
  return captured;
}
