/**
 * `npm run bench`: Fieldstock sync benchmark. Not a test: it asserts no
 * times; it prints figures and ratios, and fails loudly when a count is wrong.
 *
 *   1. Initial pull of N inventory documents into a fresh RxDB client (memory
 *      storage, batch 1000) from our backend (SQLite; PostgreSQL at 20k) and
 *      from RxDB's own websocket replication server. Every server runs in its
 *      own process; the client runs in this one.
 *   2. 10,000 adjustments pushed through the push endpoint and posted, on
 *      SQLite and PostgreSQL, each run on a fresh store; every posting and the
 *      on-hand sums verified.
 *   3. Posting throughput (test/bench/posting.ts): mixed transactions posted
 *      in batches of 500 and 1,000 in this process on SQLite and PostgreSQL
 *      beside a raw insert of the same rows, and over HTTP push.
 *   4. The renderer's first sync in headless Chromium (/usr/bin/chromium):
 *      20,000 inventory documents through openDatabase (RxDB on Dexie,
 *      IndexedDB) and the app's pull handler, against RxDB's bulkInsert of the
 *      same documents on the same page (test/bench/renderer.ts).
 *   5. ERP delivery to a real Tryton and the push-to-posted lag (test/bench/erp.ts;
 *      skipped with the reason when /usr/bin/trytond is missing).
 *
 * Options (after `npm run bench --`):
 *   --runs=N          timed runs per figure (default 3; the median is reported)
 *   --sizes=a,b       pull sizes (default 20000,100000)
 *   --no-pg           skip PostgreSQL
 *   --only=pull|push|posting|renderer|erp  run one part only
 *   --quick           --runs=1 --sizes=20000, 10,000 documents per posting run (else 20,000)
 * BENCH_SERVER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" profiles the server processes.
 */
import { randomUUID } from 'node:crypto';
import os from 'node:os';
import SqliteDatabase from 'better-sqlite3';
import pg from 'pg';
import { demoProducts } from '../../server/demo/data.js';
import type { InventoryTransaction } from '../../shared/collections.js';
import { parseQuantity } from '../../shared/decimal.js';
import type { SessionUser } from '../../shared/wire.js';
import { benchData } from './data.js';
import { collectGarbage, fmtInt, fmtMs, fmtRate, fmtRatio, heading, loadAverage, median, note, settle, table } from './format.js';
import { login, pullEverything, pullFromFieldstock, pullFromMemory, pullFromWebsocket, pushInBatches, PULL_BATCH_SIZE, type PullRun } from './client.js';
import { BENCH_CLERK, BENCH_CLERK_PASSWORD, type FieldstockStats } from './constants.js';
import { startBenchCluster, type BenchCluster } from './postgres-cluster.js';
import { startServerProcess, type ServerProcess } from './process.js';
import { erpSection } from './erp.js';
import { postingSection } from './posting.js';
import { RENDERER_GOAL_RATIO, rendererSection, rendererSkipReason, type RendererResult } from './renderer.js';

// ---------------------------------------------------------------------------------------
// Options, constants, output helpers

interface Options {
  runs: number;
  sizes: number[];
  pg: boolean;
  only: 'pull' | 'push' | 'posting' | 'renderer' | 'erp' | undefined;
  /** Documents per timed posting run. */
  postingDocuments: number;
}

function parseOptions(argv: string[]): Options {
  const options: Options = { runs: 3, sizes: [20_000, 100_000], pg: true, only: undefined, postingDocuments: 20_000 };
  for (const arg of argv) {
    if (arg === '--quick') {
      options.runs = 1;
      options.sizes = [20_000];
      options.postingDocuments = 10_000;
    } else if (arg === '--no-pg') options.pg = false;
    else if (arg === '--only=pull' || arg === '--only=push') options.only = arg === '--only=pull' ? 'pull' : 'push';
    else if (arg === '--only=renderer') options.only = 'renderer';
    else if (arg === '--only=posting') options.only = 'posting';
    else if (arg === '--only=erp') options.only = 'erp';
    else if (arg.startsWith('--runs=')) options.runs = positive(arg.slice(7), arg);
    else if (arg.startsWith('--sizes=')) options.sizes = arg.slice(8).split(',').map((s) => positive(s, arg));
    else throw new Error(`unknown option ${arg} (see the top of test/bench/run.ts)`);
  }
  return options;
}

function positive(text: string, arg: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value < 1) throw new Error(`${arg}: expected a positive integer`);
  return value;
}

const ADJUSTMENTS = 10_000;
const PUSH_BATCH_SIZE = 1000;
/** RxDB's default push batch size, shown for reference. */
const PUSH_BATCH_SIZE_SMALL = 100;
/** Pushed (and verified) before every timed push run: warms the fresh server process up. */
const PUSH_WARM_UP = 1000;
const PG_PULL_SIZE = 20_000;
/** Consecutive 10k pushes on one store, to show the cost as the ledger grows. */
const SUSTAINED_ROUNDS = 5;
const PULL_GOAL_RATIO = 1.3;
const PUSH_GOAL_MS = 1000;
/** A size whose first run pair takes longer than this gets one run only. */
const SLOW_RUN_PAIR_MS = 25_000;

const serverNodeArgs = (process.env.BENCH_SERVER_NODE_ARGS ?? '').split(/\s+/).filter(Boolean);

// ---------------------------------------------------------------------------------------
// 1. Initial pull

interface Sample {
  ms: number;
  clientCpuMs: number;
  serverCpuMs: number;
}

interface Figure {
  label: string;
  docs: number;
  samples: Sample[];
  ms: number;
  clientCpuMs: number;
  serverCpuMs: number;
  note: string;
}

function figure(label: string, docs: number, samples: Sample[], extra = ''): Figure {
  return {
    label,
    docs,
    samples,
    ms: median(samples.map((s) => s.ms)),
    clientCpuMs: median(samples.map((s) => s.clientCpuMs)),
    serverCpuMs: median(samples.map((s) => s.serverCpuMs)),
    note: extra,
  };
}

/** One timed client run against one server, with the server's CPU time over the run. */
async function sample(server: ServerProcess, run: () => Promise<PullRun>): Promise<Sample> {
  await settle();
  const serverCpu = await server.request<number>('cpu');
  const result = await run();
  return { ms: result.ms, clientCpuMs: result.cpuMs, serverCpuMs: (await server.request<number>('cpu')) - serverCpu };
}

function startFieldstock(inventoryDocs: number, extra: Record<string, string> = {}): Promise<ServerProcess> {
  return startServerProcess('./serve-fieldstock.ts', { BENCH_INVENTORY_DOCS: String(inventoryDocs), ...extra }, serverNodeArgs);
}

interface PullPair {
  engine: 'SQLite' | 'PostgreSQL';
  ours: Figure;
  ws: Figure;
  /** The client alone, pages from memory: the floor for any server (SQLite pairs only). */
  floor: Figure | undefined;
  seed: string;
}

/** The N documents as pages of JSON text, for the client-only floor. */
function memoryPages(size: number): string[] {
  const docs = benchData(size).inventory;
  const pages: string[] = [];
  for (let i = 0; i < docs.length; i += PULL_BATCH_SIZE) pages.push(JSON.stringify(docs.slice(i, i + PULL_BATCH_SIZE)));
  return pages;
}

async function floorSample(pages: string[], size: number): Promise<Sample> {
  await settle();
  const result = await pullFromMemory(pages, size);
  return { ms: result.ms, clientCpuMs: result.cpuMs, serverCpuMs: 0 };
}

/**
 * One size against our backend (SQLite, or PostgreSQL when databaseUrl is
 * given) and RxDB's websocket server holding the same documents, runs
 * interleaved so both see the same machine load.
 */
async function pullSize(size: number, options: Options, warm: boolean, databaseUrl?: string): Promise<PullPair> {
  const engine = databaseUrl ? 'PostgreSQL' : 'SQLite';
  // Both servers seed at once (one process each); during a run only the measured one works.
  const [ours, ws] = await Promise.all([
    startFieldstock(size, databaseUrl ? { BENCH_DATABASE_URL: databaseUrl } : {}),
    startServerProcess('./serve-websocket.ts', { BENCH_INVENTORY_DOCS: String(size) }, serverNodeArgs),
  ]);
  try {
    const token = (await login(ours.ready.url, BENCH_CLERK, BENCH_CLERK_PASSWORD)).accessToken;
    const runOurs = () => sample(ours, () => pullFromFieldstock(ours.ready.url, token, size));
    const runWs = () => sample(ws, () => pullFromWebsocket(ws.ready.url, size));
    const pages = databaseUrl ? undefined : memoryPages(size);
    const runFloor = pages ? () => floorSample(pages, size) : undefined;
    if (!warm || databaseUrl) {
      // Warm-up, not counted: the client's JIT, the server's statement plans and pool.
      await runOurs();
      await runWs();
      await runFloor?.();
    }
    const oursSamples: Sample[] = [];
    const wsSamples: Sample[] = [];
    const floorSamples: Sample[] = [];
    let runs = options.runs;
    let reduced = '';
    for (let i = 0; i < runs; i += 1) {
      // Alternate which peer goes first, so neither always runs right after the other.
      if (i % 2 === 0) {
        oursSamples.push(await runOurs());
        wsSamples.push(await runWs());
      } else {
        wsSamples.push(await runWs());
        oursSamples.push(await runOurs());
      }
      if (runFloor) floorSamples.push(await runFloor());
      const pairMs = (oursSamples[0]?.ms ?? 0) + (wsSamples[0]?.ms ?? 0);
      if (i === 0 && runs > 1 && pairMs > SLOW_RUN_PAIR_MS) {
        runs = 1;
        reduced = `1 run only: the first pair took ${fmtMs(pairMs)}`;
      }
    }
    return {
      engine,
      ours: figure(`ours, ${engine}`, size, oursSamples, reduced),
      ws: figure('RxDB websocket', size, wsSamples, reduced),
      floor: runFloor ? figure('client alone (no server)', size, floorSamples, reduced) : undefined,
      seed: `N=${fmtInt(size)} seeded in ${fmtMs(ours.ready.seedMs)} (ours, ${engine}, writeTransaction) / ${fmtMs(ws.ready.seedMs)} (websocket server, bulkInsert)`,
    };
  } finally {
    await Promise.all([ours.stop(), ws.stop()]);
  }
}

async function pullSection(options: Options, cluster: BenchCluster | undefined): Promise<PullPair[]> {
  heading(`1. Initial pull of inventory into a fresh RxDB client (memory storage, pull batch ${PULL_BATCH_SIZE}, live: false)`);
  note('ours: replicateRxCollection + pullHandler (renderer/sync/http-replication.ts) -> GET /api/v1/replication/inventory/pull,');
  note('      signed in as a warehouse user scoped to every bench truck (the read-scope filter applies)');
  note('websocket: replicateWithWebsocketServer -> startWebsocketServer (rxdb/plugins/replication-websocket), server RxDB on memory storage');
  note('timed from replication start until awaitInitialReplication(); then the client count is checked == N');
  note('each ours row is interleaved with the websocket row below it (same documents, same machine load)');
  note('CPU: client = this process during the run; server = the server process over the run (both user + system;');
  note('     PostgreSQL\'s own backend processes are not counted)\n');
  const pairs: PullPair[] = [];
  for (const [i, size] of options.sizes.entries()) pairs.push(await pullSize(size, options, i > 0));
  if (cluster) pairs.push(await pullSize(PG_PULL_SIZE, options, true, await cluster.createDatabase(`fieldstock_bench_pull_${PG_PULL_SIZE}`)));

  const row = (f: Figure, ratio: string) => [
    f.label,
    fmtInt(f.docs),
    f.samples.map((s) => fmtInt(s.ms)).join(' / '),
    fmtMs(f.ms),
    fmtRate(f.docs, f.ms),
    `${fmtInt(f.clientCpuMs)} + ${fmtInt(f.serverCpuMs)}`,
    ratio,
    f.note,
  ];
  const rows: string[][] = [];
  for (const { ours, ws, floor } of pairs) {
    rows.push(row(ours, fmtRatio(ws.ms / ours.ms)), row(ws, ''));
    if (floor) rows.push(row(floor, `(${fmtRatio(ws.ms / floor.ms)})`));
  }
  table(['peer', 'docs', 'runs (ms)', 'median', 'throughput', 'CPU ms client + server', 'ours/ws', 'note'], rows);
  for (const { seed } of pairs) note(seed);
  note('client alone: the same RxDB client and replication, its pull handler answering from JSON pages in memory after one event-loop');
  note('              turn (a zero-cost transport); no server can pull faster, so (ws / client alone) bounds the reachable ratio');
  return pairs;
}

// ---------------------------------------------------------------------------------------
// 2. Push and post adjustments

interface PushSample {
  ms: number;
  serverCpuMs: number;
}

interface PushFigure {
  engine: string;
  batchSize: number;
  samples: PushSample[];
  ms: number;
  serverCpuMs: number;
}

function makeAdjustments(count: number, warehouseIds: string[]): { docs: InventoryTransaction[]; expected: Map<string, number> } {
  const fractions = ['0', '25', '5', '0005', '125'];
  const offset = Math.floor(Math.random() * demoProducts.length);
  const docs: InventoryTransaction[] = [];
  const expected = new Map<string, number>();
  const occurredAt = new Date().toISOString();
  for (let i = 0; i < count; i += 1) {
    const warehouseId = warehouseIds[i % warehouseIds.length];
    const product = demoProducts[(i * 7 + offset) % demoProducts.length];
    if (!warehouseId || !product) throw new Error('no demo warehouse or product');
    const sign = i % 3 === 0 ? '-' : '';
    const quantity = Number(`${sign}${1 + ((i * 13) % 40)}.${fractions[i % fractions.length] ?? '0'}`);
    const parsed = parseQuantity(quantity);
    if (!parsed.ok) throw new Error(`bench made an invalid quantity ${quantity}`);
    const key = `${warehouseId}~${product.id}`;
    expected.set(key, (expected.get(key) ?? 0) + parsed.units);
    docs.push({
      id: randomUUID(),
      type: 'adjustment',
      warehouseId,
      productId: product.id,
      quantity,
      reasonCode: i % 2 === 0 ? 'CORRECTION' : 'FOUND',
      note: `bench adjustment ${i + 1}`,
      occurredAt,
      status: 'pending',
    });
  }
  return { docs, expected };
}

/** Pushes `count` new adjustments, then verifies every posting (not timed). */
async function pushAndVerify(server: ServerProcess, token: string, user: SessionUser, count: number, batchSize: number): Promise<PushSample> {
  const before = await server.request<FieldstockStats>('stats');
  const { docs, expected } = makeAdjustments(count, user.warehouseIds);
  const wire = docs.map((d) => ({ ...d, _deleted: false }));
  await settle();
  const serverCpu = await server.request<number>('cpu');
  const ms = await pushInBatches(server.ready.url, token, 'inventoryTransactions', wire, batchSize);
  const serverCpuMs = (await server.request<number>('cpu')) - serverCpu;

  const after = await server.request<FieldstockStats>('stats');
  const posted = after.postedInventoryTransactions - before.postedInventoryTransactions;
  const rejected = after.rejectedInventoryTransactions - before.rejectedInventoryTransactions;
  const lines = after.journalLines - before.journalLines;
  if (posted !== count || rejected !== 0 || lines !== count) {
    throw new Error(`COUNT MISMATCH after push: ${posted} posted, ${rejected} rejected, ${lines} journal lines; expected ${count}, 0, ${count}`);
  }
  let movedTotal = 0;
  let expectedTotal = 0;
  for (const key of new Set([...Object.keys(after.onHand), ...expected.keys()])) {
    const moved = (after.onHand[key] ?? 0) - (before.onHand[key] ?? 0);
    const want = expected.get(key) ?? 0;
    if (moved !== want) throw new Error(`ON HAND MISMATCH for ${key}: moved ${moved} units, expected ${want}`);
    movedTotal += moved;
    expectedTotal += want;
  }
  if (movedTotal !== expectedTotal) throw new Error(`ON HAND MISMATCH: moved ${movedTotal} units in total, expected ${expectedTotal}`);

  // What a client sees: every pushed document's master state is posted, with its journal.
  const ids = new Set(docs.map((d) => d.id));
  const pulled = (await pullEverything<InventoryTransaction>(server.ready.url, token, 'inventoryTransactions')).filter((d) => ids.has(d.id));
  const postedDocs = pulled.filter((d) => d.status === 'posted' && typeof d.journalId === 'string');
  if (pulled.length !== count || postedDocs.length !== count) {
    throw new Error(`PULL MISMATCH after push: ${pulled.length} of the pushed documents pulled back, ${postedDocs.length} posted; expected ${count}`);
  }
  return { ms, serverCpuMs };
}

/** One timed run on a fresh store: new server process, demo seed, warm-up, then ADJUSTMENTS adjustments. */
async function pushRun(engine: 'SQLite' | 'PostgreSQL', batchSize: number, cluster: BenchCluster | undefined, index: number): Promise<PushSample> {
  const databaseUrl = engine === 'PostgreSQL' && cluster ? await cluster.createDatabase(`fieldstock_bench_push_${index}`) : undefined;
  const server = await startFieldstock(0, { BENCH_DEMO: '1', ...(databaseUrl ? { BENCH_DATABASE_URL: databaseUrl } : {}) });
  try {
    // clerk1: a warehouse user whose scope is WH-MAIN and WH-NORTH.
    const session = await login(server.ready.url, 'clerk1', 'fieldstock-demo');
    await pushAndVerify(server, session.accessToken, session.user, PUSH_WARM_UP, batchSize);
    return await pushAndVerify(server, session.accessToken, session.user, ADJUSTMENTS, batchSize);
  } finally {
    await server.stop();
  }
}

/** Consecutive timed pushes on one store: how the cost moves as the ledger grows. */
async function pushSustained(engine: 'SQLite' | 'PostgreSQL', rounds: number, cluster: BenchCluster | undefined): Promise<PushSample[]> {
  const databaseUrl = engine === 'PostgreSQL' && cluster ? await cluster.createDatabase('fieldstock_bench_push_sustained') : undefined;
  const server = await startFieldstock(0, { BENCH_DEMO: '1', ...(databaseUrl ? { BENCH_DATABASE_URL: databaseUrl } : {}) });
  try {
    const session = await login(server.ready.url, 'clerk1', 'fieldstock-demo');
    await pushAndVerify(server, session.accessToken, session.user, PUSH_WARM_UP, PUSH_BATCH_SIZE);
    const samples: PushSample[] = [];
    for (let i = 0; i < rounds; i += 1) samples.push(await pushAndVerify(server, session.accessToken, session.user, ADJUSTMENTS, PUSH_BATCH_SIZE));
    return samples;
  } finally {
    await server.stop();
  }
}

async function pushEngine(engine: 'SQLite' | 'PostgreSQL', runs: number, cluster: BenchCluster | undefined): Promise<PushFigure[]> {
  const figures: PushFigure[] = [];
  let index = 0;
  for (const [batchSize, count] of [
    [PUSH_BATCH_SIZE, runs],
    [PUSH_BATCH_SIZE_SMALL, 1],
  ] as const) {
    const samples: PushSample[] = [];
    for (let i = 0; i < count; i += 1) samples.push(await pushRun(engine, batchSize, cluster, index++));
    figures.push({ engine, batchSize, samples, ms: median(samples.map((s) => s.ms)), serverCpuMs: median(samples.map((s) => s.serverCpuMs)) });
  }
  return figures;
}

async function pushSection(options: Options, cluster: BenchCluster | undefined, pgSkipped: string): Promise<PushFigure[]> {
  heading(`2. ${fmtInt(ADJUSTMENTS)} adjustments pushed and posted (POST /api/v1/replication/inventoryTransactions/push)`);
  note(`user clerk1 (role warehouse, scope WH-MAIN + WH-NORTH); new adjustments with unique ids over ${demoProducts.length} demo products x 2 warehouses`);
  note(`each run: a fresh store with the demo seed in a new server process, ${fmtInt(PUSH_WARM_UP)} warm-up adjustments, then the timed ${fmtInt(ADJUSTMENTS)}`);
  note('sent one request after another through pushHandler (renderer/sync/http-replication.ts), timed until the last batch is acknowledged');
  note(`then verified (not timed): +${fmtInt(ADJUSTMENTS)} postings, 0 rejected, +${fmtInt(ADJUSTMENTS)} journal lines, every on-hand level moved by the exact sum,`);
  note(`all ${fmtInt(ADJUSTMENTS)} pulled back as posted\n`);
  const figures = await pushEngine('SQLite', options.runs, undefined);
  if (cluster) figures.push(...(await pushEngine('PostgreSQL', options.runs, cluster)));
  table(
    ['store', 'batch', 'requests', 'runs (ms)', 'median', 'throughput', 'server CPU ms'],
    figures.map((f) => [
      f.engine,
      fmtInt(f.batchSize),
      fmtInt(Math.ceil(ADJUSTMENTS / f.batchSize)),
      f.samples.map((s) => fmtInt(s.ms)).join(' / '),
      fmtMs(f.ms),
      fmtRate(ADJUSTMENTS, f.ms),
      fmtInt(f.serverCpuMs),
    ]),
  );
  if (!cluster) note(`PostgreSQL ${pgSkipped}`);

  console.log('');
  note(`sustained: ${SUSTAINED_ROUNDS} pushes of ${fmtInt(ADJUSTMENTS)} one after another on one store (batch ${fmtInt(PUSH_BATCH_SIZE)}), each verified as above\n`);
  const sustained: string[][] = [];
  for (const engine of cluster ? (['SQLite', 'PostgreSQL'] as const) : (['SQLite'] as const)) {
    const samples = await pushSustained(engine, SUSTAINED_ROUNDS, cluster);
    const first = samples[0]?.ms ?? NaN;
    const last = samples[samples.length - 1]?.ms ?? NaN;
    sustained.push([engine, samples.map((x) => fmtInt(x.ms)).join(' / '), samples.map((x) => fmtInt(x.serverCpuMs)).join(' / '), fmtRatio(last / first)]);
  }
  table(['store', `ms per ${fmtInt(ADJUSTMENTS)}, ledger ${fmtInt(PUSH_WARM_UP)} -> ${fmtInt(PUSH_WARM_UP + (SUSTAINED_ROUNDS - 1) * ADJUSTMENTS)} before`, 'server CPU ms', 'last / first'], sustained);
  return figures;
}

// ---------------------------------------------------------------------------------------
// 4. The renderer's first sync in Chromium

const RENDERER_DOCS = 20_000;

async function rendererBench(options: Options): Promise<RendererResult | string> {
  heading(`4. First sync in the renderer: ${fmtInt(RENDERER_DOCS)} inventory documents into RxDB on Dexie (IndexedDB) in headless Chromium, pull batch 1000`);
  const skip = rendererSkipReason();
  if (skip) {
    note(`skipped: ${skip}`);
    return skip;
  }
  note('first sync: openDatabase (renderer/db/database.ts, Dexie storage) + replicateRxCollection with pullHandler (renderer/sync/http-replication.ts),');
  note('            live: false, from a backend process (SQLite) signed in as the bench clerk; timed until awaitInitialReplication()');
  note('bulkInsert: the same documents (pulled once beforehand, not timed) in one db.inventory.bulkInsert() into a fresh database on the same page');
  note('replication alone: the same replication with a pull handler answering from those documents in the page (no network, no server)');
  note('each run opens a fresh database and removes it afterwards; first sync and bulkInsert are interleaved\n');
  return rendererSection(RENDERER_DOCS, options.runs);
}

// ---------------------------------------------------------------------------------------

function sqliteVersion(): string {
  const db = new SqliteDatabase(':memory:');
  try {
    return (db.prepare('select sqlite_version() as v').get() as { v: string }).v;
  } finally {
    db.close();
  }
}

async function postgresVersion(cluster: BenchCluster): Promise<string> {
  const client = new pg.Client({ connectionString: cluster.adminUrl });
  await client.connect();
  try {
    const result = await client.query<{ server_version: string }>('show server_version');
    return result.rows[0]?.server_version ?? '?';
  } finally {
    await client.end();
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const started = performance.now();
  const cpus = os.cpus();
  const loadAtStart = loadAverage();
  const { RXDB_VERSION } = await import('rxdb/plugins/utils');

  console.log('# Fieldstock sync bench');
  console.log('');
  console.log(`machine : ${cpus.length} CPUs (${cpus[0]?.model.trim() ?? 'unknown'}), ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB RAM, ${os.platform()} ${os.release()}`);
  console.log(`load    : ${loadAtStart} (1 / 5 / 15 min) at start`);
  console.log(`runtime : Node ${process.version}, RxDB ${RXDB_VERSION}, SQLite ${sqliteVersion()} (better-sqlite3, WAL, synchronous=FULL)`);
  console.log('layout  : every server in its own process (node --import tsx test/bench/serve-*.ts); the RxDB client in this one');
  console.log(
    `runs    : median of ${options.runs} timed run(s) per figure, after a warm-up; ${collectGarbage ? 'a full GC before each run' : 'no --expose-gc, so runs share the heap'}`,
  );

  let cluster: BenchCluster | undefined;
  let pgSkipped = options.pg ? '' : 'skipped (--no-pg)';
  if (options.pg && options.only !== 'renderer' && options.only !== 'erp') {
    const result = await startBenchCluster();
    if (typeof result === 'string') pgSkipped = `skipped: ${result}`;
    else {
      cluster = result;
      console.log(`postgres: PostgreSQL ${await postgresVersion(cluster)} (${cluster.description})`);
    }
  }
  if (pgSkipped) console.log(`postgres: ${pgSkipped}`);
  // Ctrl-C: stop the throwaway cluster (the server processes exit when this one disconnects).
  const interrupted = (signal: NodeJS.Signals) => {
    console.error(`\n${signal}: stopping`);
    void (cluster?.stop() ?? Promise.resolve()).finally(() => process.exit(130));
  };
  process.once('SIGINT', interrupted);
  process.once('SIGTERM', interrupted);

  try {
    const runs = (part: NonNullable<Options['only']>) => options.only === undefined || options.only === part;
    const pairs = runs('pull') ? await pullSection(options, cluster) : [];
    const pushFigures = runs('push') ? await pushSection(options, cluster, pgSkipped) : [];
    const posting = runs('posting')
      ? await postingSection({ runs: options.runs, documents: options.postingDocuments, serverNodeArgs }, cluster, pgSkipped)
      : [];
    const renderer = runs('renderer') ? await rendererBench(options) : undefined;
    const erp = runs('erp') ? await erpSection({ runs: options.runs, serverNodeArgs }) : [];

    heading('Summary');
    const rows: string[][] = [];
    for (const { engine, ours, ws, floor } of pairs) {
      const ratio = ws.ms / ours.ms;
      const goal = engine === 'SQLite';
      rows.push([
        `initial pull of ${fmtInt(ours.docs)}, ${engine}: ours${goal ? ` >= ${PULL_GOAL_RATIO}x` : ' vs'} the websocket server`,
        `${fmtRatio(ratio)} (${fmtRate(ours.docs, ours.ms)} vs ${fmtRate(ws.docs, ws.ms)})${floor ? `; bound ws / client alone ${fmtRatio(ws.ms / floor.ms)}` : ''}`,
        goal ? (ratio >= PULL_GOAL_RATIO ? 'MET' : 'NOT MET') : 'no goal',
      ]);
    }
    for (const f of pushFigures.filter((p) => p.batchSize === PUSH_BATCH_SIZE)) {
      const goal = f.engine === 'SQLite';
      rows.push([
        `push + post ${fmtInt(ADJUSTMENTS)} adjustments, ${f.engine}, batch ${fmtInt(f.batchSize)}${goal ? ` < ${fmtMs(PUSH_GOAL_MS)}` : ''}`,
        `${fmtMs(f.ms)} (${fmtRate(ADJUSTMENTS, f.ms)}); server CPU ${fmtMs(f.serverCpuMs)}`,
        goal ? (f.ms < PUSH_GOAL_MS ? 'MET' : 'NOT MET') : 'no goal',
      ]);
    }
    for (const p of posting) rows.push([p.goal, p.measured, p.result]);
    if (typeof renderer === 'string') rows.push([`renderer first sync of ${fmtInt(RENDERER_DOCS)} <= ${RENDERER_GOAL_RATIO}x bulkInsert`, `skipped: ${renderer}`, 'SKIPPED']);
    else if (renderer) {
      rows.push([
        `renderer first sync of ${fmtInt(renderer.docs)} (Chromium, Dexie) <= ${RENDERER_GOAL_RATIO}x bulkInsert`,
        `${fmtRatio(renderer.ratio)} (${fmtMs(renderer.syncMs)}, ${fmtRate(renderer.docs, renderer.syncMs)} vs ${fmtMs(renderer.bulkMs)}, ${fmtRate(renderer.docs, renderer.bulkMs)}); replication alone ${fmtRatio(renderer.memoryMs / renderer.bulkMs)}`,
        renderer.ratio <= RENDERER_GOAL_RATIO ? 'MET' : 'NOT MET',
      ]);
    }
    for (const e of erp) rows.push([e.goal, e.measured, e.result]);
    rows.push(['every count: client == N; postings, journal lines, on hand (projection and documents), pulled back', 'verified', 'OK']);
    table(['goal', 'measured', 'result'], rows);
    const loadAtEnd = loadAverage();
    console.log(`\nload average ${loadAtStart} at start, ${loadAtEnd} at end, on ${cpus.length} CPUs.`);
    if (Math.max(...os.loadavg()) > cpus.length) {
      console.log('The machine was busy with other work: absolute times are inflated and noisy; the interleaved ratios hold up better.');
    }
    console.log(`bench finished in ${((performance.now() - started) / 1000).toFixed(1)} s`);
  } finally {
    await cluster?.stop();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`\nBENCH FAILED: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
    process.exit(1);
  },
);
