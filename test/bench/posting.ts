/**
 * `npm run bench -- --only=posting`: posting throughput, in transactions per
 * second with validation, journals and projection updates.
 *
 *   core: batches of mixed traffic (test/bench/posting-data.ts) through
 *         pushRows in this process, on a fresh SQLite file (WAL,
 *         synchronous=FULL) and a fresh PostgreSQL database (durable), each
 *         run beside a raw-insert baseline of the very rows it wrote
 *         (test/bench/posting-baseline.ts): "posting is X times the raw insert cost".
 *   HTTP: the same traffic pushed to a server process over
 *         POST /api/v1/replication/{inventoryTransactions,receipts}/push.
 * Every run is audited afterwards (not timed): one postings row per document,
 * a journal per posting, on hand = opening + journal lines in the projection
 * and in every inventory document.
 */
import { pushHandler } from '../../renderer/sync/http-replication.js';
import type { PushRow } from '../../shared/wire.js';
import { login } from './client.js';
import { fmtInt, fmtMs, fmtRatio, heading, median, note, percentile, settle, table } from './format.js';
import type { PostingAudit } from './posting-audit.js';
import { baselineRun } from './posting-baseline.js';
import { freshStore, postingRun, type CapturedCommit, type PostingEngine } from './posting-core.js';
import { POSTING_PASSWORD, POSTING_USER, PostingTraffic, postingWorld, type PostingBatch } from './posting-data.js';
import type { BenchCluster } from './postgres-cluster.js';
import { startServerProcess } from './process.js';

export const POSTING_GOAL_TX_PER_S = 20_000;
const BATCH_SIZES = [500, 1000] as const;
const HTTP_BATCH_SIZE = 1000;
/** Untimed batches before the timed ones: JIT, statement caches, the pool. */
const WARM_UP_BATCHES = 2;

export interface PostingOptions {
  runs: number;
  /** Documents per timed run. */
  documents: number;
  serverNodeArgs: string[];
}

interface PostingFigure {
  path: 'core' | 'HTTP';
  engine: PostingEngine;
  batchSize: number;
  documents: number;
  /** tx/s per run. */
  rates: number[];
  rate: number;
  p50: number;
  p95: number;
  /** Raw-insert tx/s per run (core only). */
  rawRates: number[];
  rawRate: number;
  rawP95: number;
  cpuShare: number;
  audit: PostingAudit | undefined;
}

const rateOf = (documents: number, batchMs: number[]) => (documents / batchMs.reduce((a, b) => a + b, 0)) * 1000;

async function coreFigure(engine: PostingEngine, batchSize: number, options: PostingOptions, cluster: BenchCluster | undefined): Promise<PostingFigure> {
  const world = postingWorld();
  const batches = Math.max(1, Math.round(options.documents / batchSize));
  const rates: number[] = [];
  const rawRates: number[] = [];
  const allMs: number[] = [];
  const rawMs: number[] = [];
  let cpuMs = 0;
  let wallMs = 0;
  let documents = 0;
  let audit: PostingAudit | undefined;
  for (let run = 0; run < options.runs; run += 1) {
    const bench = await freshStore(engine, cluster, 'fieldstock_bench_posting');
    let captured: CapturedCommit[] = [];
    try {
      const result = await postingRun(bench, world, { batchSize, batches, warmUp: WARM_UP_BATCHES, seed: 1000 + run });
      rates.push(rateOf(result.documents, result.batchMs));
      allMs.push(...result.batchMs);
      cpuMs += result.cpuMs;
      wallMs += result.batchMs.reduce((a, b) => a + b, 0);
      documents = result.documents;
      audit = result.audit;
      captured = result.captured;
    } finally {
      await bench.dispose();
    }
    await settle();
    const baseline = await baselineRun(engine, cluster, world, captured);
    rawRates.push(rateOf(documents, baseline));
    rawMs.push(...baseline);
    await settle();
  }
  return {
    path: 'core',
    engine,
    batchSize,
    documents,
    rates,
    rate: median(rates),
    p50: percentile(allMs, 50),
    p95: percentile(allMs, 95),
    rawRates,
    rawRate: median(rawRates),
    rawP95: percentile(rawMs, 95),
    cpuShare: cpuMs / wallMs,
    audit,
  };
}

async function httpFigure(engine: PostingEngine, options: PostingOptions, cluster: BenchCluster | undefined): Promise<PostingFigure> {
  const world = postingWorld();
  const batches = Math.max(1, Math.round(options.documents / HTTP_BATCH_SIZE));
  const rates: number[] = [];
  const allMs: number[] = [];
  let documents = 0;
  let audit: PostingAudit | undefined;
  for (let run = 0; run < options.runs; run += 1) {
    const databaseUrl = engine === 'PostgreSQL' && cluster ? await cluster.createDatabase('fieldstock_bench_posting_http') : undefined;
    const server = await startServerProcess('./serve-fieldstock.ts', { BENCH_POSTING: '1', ...(databaseUrl ? { BENCH_DATABASE_URL: databaseUrl } : {}) }, options.serverNodeArgs);
    try {
      const { accessToken } = await login(server.ready.url, POSTING_USER, POSTING_PASSWORD);
      const pushers = {
        inventoryTransactions: pushHandler<unknown>({ baseUrl: server.ready.url, collection: 'inventoryTransactions', accessToken: () => accessToken }),
        receipts: pushHandler<unknown>({ baseUrl: server.ready.url, collection: 'receipts', accessToken: () => accessToken }),
      };
      const push = async (batch: PostingBatch) => {
        for (const [name, docs] of [
          ['inventoryTransactions', batch.transactions],
          ['receipts', batch.receipts],
        ] as const) {
          if (docs.length === 0) continue;
          const conflicts = await pushers[name](docs.map((d): PushRow<unknown> => ({ newDocumentState: d })));
          if (conflicts.length > 0) throw new Error(`posting bench: ${name} push over HTTP answered ${conflicts.length} conflicts`);
        }
        return batch.transactions.length + batch.receipts.length;
      };
      const traffic = new PostingTraffic(world, 2000 + run);
      let pushed = 0;
      for (let i = 0; i < WARM_UP_BATCHES; i += 1) pushed += await push(traffic.batch(HTTP_BATCH_SIZE));
      const timed = Array.from({ length: batches }, () => traffic.batch(HTTP_BATCH_SIZE));
      const batchMs: number[] = [];
      documents = 0;
      await settle();
      for (const batch of timed) {
        const started = performance.now();
        documents += await push(batch);
        batchMs.push(performance.now() - started);
      }
      pushed += documents;
      audit = await server.request<PostingAudit>('postingAudit', pushed);
      rates.push(rateOf(documents, batchMs));
      allMs.push(...batchMs);
    } finally {
      await server.stop();
    }
  }
  return {
    path: 'HTTP',
    engine,
    batchSize: HTTP_BATCH_SIZE,
    documents,
    rates,
    rate: median(rates),
    p50: percentile(allMs, 50),
    p95: percentile(allMs, 95),
    rawRates: [],
    rawRate: NaN,
    rawP95: NaN,
    cpuShare: NaN,
    audit,
  };
}

export interface PostingSummary {
  goal: string;
  measured: string;
  result: string;
}

export async function postingSection(options: PostingOptions, cluster: BenchCluster | undefined, pgSkipped: string): Promise<PostingSummary[]> {
  heading('3. Posting throughput: mixed transactions posted with validation, journals and on-hand projection');
  note('traffic: adjustments 44%, consumptions 25%, transfers 15%, counts 10%, receipts 5% (pushed as their own batch), 1% outside the');
  note('         poster\'s scope; 20 warehouses (half forbid negative stock) x 500 products; dates jitter back up to 2 minutes, so');
  note('         counts meet later lines and late lines are superseded by counts; some consumptions are rejected for stock');
  note(`core: pushRows (schema validation + writeTransaction + postNewDocuments) in this process, ${WARM_UP_BATCHES} untimed warm-up batches,`);
  note(`      then ~${fmtInt(options.documents)} documents per run on a fresh store. SQLite (WAL, synchronous=FULL) runs on this single`);
  note('      thread: one core ("CPU/wall": this process\'s CPU time over the timed batches, all its threads, so GC helpers can');
  note('      push it past 100%; below 100% the thread waited, mostly on fsync). PostgreSQL (durable: fsync,');
  note('      synchronous_commit on) does its share in its own backend process');
  note('raw insert: a fresh store seeded the same way; per push, one transaction inserting the rows that push wrote (documents +');
  note('      change sequence, on-hand rows, journal lines, postings): same rows, same commits, no reads, no validation: the storage floor');
  note(`HTTP: the same traffic pushed in batches of ${fmtInt(HTTP_BATCH_SIZE)} to a server process (Fastify, one request after another)`);
  note('tx/s = documents / sum of batch times; median over runs; p50 / p95 over every timed batch of every run\n');

  const engines: PostingEngine[] = cluster ? ['SQLite', 'PostgreSQL'] : ['SQLite'];
  const figures: PostingFigure[] = [];
  for (const engine of engines) {
    for (const batchSize of BATCH_SIZES) figures.push(await coreFigure(engine, batchSize, options, cluster));
  }
  for (const engine of engines) figures.push(await httpFigure(engine, options, cluster));

  const rawFor = (f: PostingFigure) => figures.find((c) => c.path === 'core' && c.engine === f.engine && c.batchSize === f.batchSize)?.rawRate ?? NaN;
  table(
    ['path', 'store', 'batch', 'docs/run', 'runs (tx/s)', 'median tx/s', 'p50 batch', 'p95 batch', 'CPU/wall', 'raw insert tx/s', 'posting / raw cost'],
    figures.map((f) => [
      f.path,
      f.engine,
      fmtInt(f.batchSize),
      fmtInt(f.documents),
      f.rates.map(fmtInt).join(' / '),
      fmtInt(f.rate),
      `${f.p50.toFixed(1)} ms`,
      `${f.p95.toFixed(1)} ms`,
      Number.isNaN(f.cpuShare) ? '' : `${Math.round(f.cpuShare * 100)}%`,
      f.path === 'core' ? `${fmtInt(f.rawRate)} (p95 ${f.rawP95.toFixed(1)} ms)` : '',
      fmtRatio(rawFor(f) / f.rate),
    ]),
  );
  note('posting / raw cost: raw insert tx/s / posting tx/s, i.e. posting costs that many times the bare writes of the same rows');
  note('                    (HTTP rows: against the core raw insert of the same batch size)');
  if (!cluster) note(`PostgreSQL ${pgSkipped}`);
  for (const f of figures) {
    const a = f.audit;
    if (a) note(`audit ${f.path} ${f.engine} ${f.batchSize} (last run): ${fmtInt(a.postings)} postings (${fmtInt(a.posted)} posted, ${fmtInt(a.rejected)} rejected), ${fmtInt(a.journalLines)} journal lines, ${fmtInt(a.levels)} levels = opening + lines: OK`);
  }

  const summary: PostingSummary[] = [];
  const goal = figures.find((f) => f.path === 'core' && f.engine === 'SQLite' && f.batchSize === 1000);
  if (goal) {
    summary.push({
      goal: `posting core, SQLite, one core, batch 1,000 >= ${fmtInt(POSTING_GOAL_TX_PER_S)} tx/s`,
      measured: `${fmtInt(goal.rate)} tx/s (p95 batch ${fmtMs(goal.p95)}); ${fmtRatio(goal.rawRate / goal.rate)} the raw insert cost`,
      result: goal.rate >= POSTING_GOAL_TX_PER_S ? 'MET' : 'NOT MET',
    });
  }
  for (const f of figures.filter((x) => x !== goal && (x.path === 'HTTP' || x.batchSize === 1000))) {
    summary.push({ goal: `posting ${f.path}, ${f.engine}, batch ${fmtInt(f.batchSize)}`, measured: `${fmtInt(f.rate)} tx/s (p95 batch ${fmtMs(f.p95)})`, result: 'no goal' });
  }
  return summary;
}
