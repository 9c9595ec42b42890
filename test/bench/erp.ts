/**
 * `npm run bench -- --only=erp`: ERP throughput against a real Tryton
 * (Debian's trytond, test/helpers/tryton/; skipped with the reason when
 * /usr/bin/trytond is missing).
 *
 *   1. Delivery: N adjustment lines (one per warehouse and product, so N ERP
 *      lines) pushed to a Fieldstock server process (FIELDSTOCK_ERP=tryton,
 *      timer off), aggregated, then delivered through the Tryton journal sink
 *      (internal shipments created, then walked to done): lines/s, journals
 *      and Tryton calls, beside the same stock changes as plain stock moves
 *      created and done by direct JSON-RPC (the floor).
 *   2. Lag: single adjustments pushed over HTTP to a server process with a
 *      short FIELDSTOCK_AGGREGATION_INTERVAL_MS, timed until the pull API
 *      shows the ERP line carrying it as posted.
 * Audited after timing (not timed): Tryton's on hand per storage location
 * moved by exactly the pushed quantities; every ERP line posted, with its own
 * Tryton move, and Tryton holds exactly one done move per ERP line.
 */
import { pullHandler, pushHandler } from '../../renderer/sync/http-replication.js';
import type { ErpJournal, PostingJournal } from '../../shared/schemas/journals.js';
import type { ReplicationCheckpoint } from '../../shared/wire.js';
import { trytonUnavailableReason } from '../helpers/tryton/binaries.js';
import { login, pushInBatches } from './client.js';
import { BENCH_ADMIN_PASSWORD } from './constants.js';
import { ERP_BENCH_PAIRS, erpAdjustments, expectedChange, type AggregateResult, type BenchAdjustment, type DeliverResult, type ErpLineRow } from './erp-data.js';
import { assertMoved, directMoves, fieldstockMoves, startTrytonWorld, trytonOnHand, type TrytonWorld } from './erp-tryton.js';
import { fmtInt, fmtMs, fmtRatio, heading, median, note, percentile, settle, table } from './format.js';
import { startServerProcess, type ServerProcess } from './process.js';

export interface ErpOptions {
  runs: number;
  serverNodeArgs: string[];
}

export interface ErpSummary {
  goal: string;
  measured: string;
  result: string;
}

const SIZES = [200, 1000] as const;
const WARM_UP_LINES = 20;
const LAG_INTERVAL_MS = 200;
const LAG_PUSHES = 20;
const LAG_WARM_UP = 2;
const POLL_MS = 10;
const LAG_TIMEOUT_MS = 60_000;

/** Why the ERP bench cannot run here, or undefined. */
export function erpSkipReason(): string | undefined {
  return trytonUnavailableReason();
}

interface DeliveryRun {
  lines: number;
  aggregate: AggregateResult;
  deliver: DeliverResult;
  direct: { ms: number; calls: number };
}

interface DeliveryFigure {
  lines: number;
  runs: DeliveryRun[];
  rate: number;
  directRate: number;
}

const perSecond = (n: number, ms: number) => (n / ms) * 1000;

function serverEnv(world: TrytonWorld, intervalMs: number): Record<string, string> {
  return {
    FIELDSTOCK_ERP: 'tryton',
    FIELDSTOCK_TRYTON_URL: world.server.url,
    FIELDSTOCK_TRYTON_DATABASE: world.server.database,
    FIELDSTOCK_TRYTON_USER: world.server.user,
    FIELDSTOCK_TRYTON_PASSWORD: world.server.password.reveal(),
    FIELDSTOCK_ERP_TIMEOUT_MS: '60000',
    // The inbound sync is not under test: it runs only when asked.
    FIELDSTOCK_ERP_SYNC_INTERVAL_MS: '0',
    FIELDSTOCK_AGGREGATION_INTERVAL_MS: String(intervalMs),
  };
}

/** The pushing device: clerk1, a warehouse user scoped to WH-MAIN and WH-NORTH. */
async function clerkToken(server: ServerProcess): Promise<string> {
  return (await login(server.ready.url, 'clerk1', 'fieldstock-demo')).accessToken;
}

async function push(server: ServerProcess, token: string, adjustments: readonly BenchAdjustment[]): Promise<void> {
  await pushInBatches(
    server.ready.url,
    token,
    'inventoryTransactions',
    adjustments.map((a) => ({ ...a.doc, _deleted: false })),
    1000,
  );
}

/** Every ERP line of this server posted, with a Tryton move no other line has. */
async function auditErpLines(server: ServerProcess, expectedLines: number, what: string): Promise<ErpLineRow[]> {
  const rows = await server.request<ErpLineRow[]>('erpLines');
  const notPosted = rows.filter((r) => r.status !== 'posted');
  if (notPosted.length > 0) throw new Error(`ERP LINES NOT POSTED after ${what}: ${notPosted.length}, e.g. ${JSON.stringify(notPosted[0])}`);
  const moves = new Set(rows.map((r) => r.erpLineId));
  if (rows.length !== expectedLines || moves.size !== rows.length || moves.has(null)) {
    throw new Error(`ERP LINE MISMATCH after ${what}: ${rows.length} lines with ${moves.size} distinct Tryton moves; expected ${expectedLines} of each`);
  }
  return rows;
}

// ---------------------------------------------------------------------------------------
// 1. Delivery throughput

async function deliveryRun(server: ServerProcess, world: TrytonWorld, token: string, count: number, first: number, label: string): Promise<DeliveryRun> {
  const ours = erpAdjustments(count, first, label);
  const direct = erpAdjustments(count, first, `${label} direct`);
  const expected = expectedChange(ours);

  let before = await trytonOnHand(world);
  await push(server, token, ours);
  await settle();
  const aggregate = await server.request<AggregateResult>('aggregate');
  if (aggregate.lines !== count || aggregate.erpLines !== count) throw new Error(`AGGREGATION MISMATCH: ${aggregate.lines} posting lines into ${aggregate.erpLines} ERP lines; expected ${count} and ${count}`);
  await settle();
  const deliver = await server.request<DeliverResult>('deliver');
  if (deliver.postedLines !== count || deliver.createErrorLines + deliver.postErrorLines > 0) {
    throw new Error(`DELIVERY MISMATCH: ${deliver.postedLines} posted, ${deliver.createErrorLines} create errors, ${deliver.postErrorLines} post errors; expected ${count} posted`);
  }
  let after = await trytonOnHand(world);
  assertMoved(before, after, expected, `delivering ${count} lines`);

  before = after;
  await settle();
  const directRun = await directMoves(world, direct);
  after = await trytonOnHand(world);
  assertMoved(before, after, expectedChange(direct), `${count} direct moves`);
  return { lines: count, aggregate, deliver, direct: directRun };
}

async function deliverySection(world: TrytonWorld, options: ErpOptions): Promise<{ figures: DeliveryFigure[]; delivered: number }> {
  const server = await startServerProcess('./erp-serve.ts', serverEnv(world, 0), options.serverNodeArgs);
  try {
    const token = await clerkToken(server);
    let first = 0;
    let delivered = 0;
    // Warm-up, not counted: the server's JIT and statement caches, the sink's Tryton session and look-ups, trytond's caches.
    await deliveryRun(server, world, token, WARM_UP_LINES, first, 'erp bench warm-up');
    first += WARM_UP_LINES;
    delivered += WARM_UP_LINES;
    const figures: DeliveryFigure[] = [];
    for (const size of SIZES) {
      const runs: DeliveryRun[] = [];
      for (let i = 0; i < options.runs; i += 1) {
        runs.push(await deliveryRun(server, world, token, size, first, `erp bench ${size}`));
        first = (first + size) % ERP_BENCH_PAIRS;
        delivered += size;
      }
      figures.push({
        lines: size,
        runs,
        rate: median(runs.map((r) => perSecond(r.lines, r.deliver.ms))),
        directRate: median(runs.map((r) => perSecond(r.lines, r.direct.ms))),
      });
    }
    await auditErpLines(server, delivered, 'the delivery runs');
    return { figures, delivered };
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------
// 2. Push-to-posted lag

interface LagResult {
  lags: number[];
  acks: number[];
  pushes: number;
}

/** Follows the journals collection (as an admin's app would) until the ERP line carrying `docId` reads posted. */
class JournalWatch {
  readonly #pull: (checkpoint: ReplicationCheckpoint | undefined, batch: number) => Promise<{ documents: unknown[]; checkpoint: ReplicationCheckpoint | undefined }>;
  #checkpoint: ReplicationCheckpoint | undefined;
  readonly #erpOf = new Map<string, string>();
  readonly #posted = new Set<string>();

  constructor(baseUrl: string, token: string) {
    this.#pull = pullHandler<unknown>({ baseUrl, collection: 'journals', accessToken: () => token });
  }

  async catchUp(): Promise<void> {
    for (;;) {
      const page = await this.#pull(this.#checkpoint, 1000);
      this.#checkpoint = page.checkpoint;
      for (const raw of page.documents) {
        const doc = raw as PostingJournal | ErpJournal;
        if (doc.kind === 'posting') {
          const link = doc.lines[0]?.erpJournal;
          if (link) this.#erpOf.set(doc.sourceId, link.id);
        } else if (doc.status === 'posted') this.#posted.add(doc.id);
      }
      if (page.documents.length < 1000) return;
    }
  }

  postedInErp(docId: string): boolean {
    const erp = this.#erpOf.get(docId);
    return erp !== undefined && this.#posted.has(erp);
  }
}

async function lagSection(world: TrytonWorld, options: ErpOptions): Promise<LagResult> {
  const server = await startServerProcess('./erp-serve.ts', serverEnv(world, LAG_INTERVAL_MS), options.serverNodeArgs);
  try {
    const token = await clerkToken(server);
    const admin = (await login(server.ready.url, 'admin', BENCH_ADMIN_PASSWORD)).accessToken;
    const device = pushHandler<unknown>({ baseUrl: server.ready.url, collection: 'inventoryTransactions', accessToken: () => token });
    const watch = new JournalWatch(server.ready.url, admin);
    await watch.catchUp();
    const before = await trytonOnHand(world);
    const pushed: BenchAdjustment[] = [];
    const lags: number[] = [];
    const acks: number[] = [];
    const total = LAG_WARM_UP + LAG_PUSHES;
    for (let i = 0; i < total; i += 1) {
      // A different pair each time, away from the delivery runs' first pairs.
      const [adjustment] = erpAdjustments(1, (ERP_BENCH_PAIRS / 2 + i * 37) % ERP_BENCH_PAIRS, 'erp bench lag');
      if (!adjustment) throw new Error('ERP bench: no adjustment');
      pushed.push(adjustment);
      // A random phase against the aggregation timer, as a device's push would have.
      await new Promise((resolve) => setTimeout(resolve, Math.random() * LAG_INTERVAL_MS));
      const started = performance.now();
      const conflicts = await device([{ newDocumentState: { ...adjustment.doc, _deleted: false } }]);
      if (conflicts.length > 0) throw new Error(`lag push answered ${conflicts.length} conflicts`);
      const ack = performance.now() - started;
      for (;;) {
        await watch.catchUp();
        if (watch.postedInErp(adjustment.doc.id)) break;
        if (performance.now() - started > LAG_TIMEOUT_MS) throw new Error(`push ${i + 1} was not posted in Tryton after ${fmtMs(LAG_TIMEOUT_MS)}`);
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
      if (i >= LAG_WARM_UP) {
        lags.push(performance.now() - started);
        acks.push(ack);
      }
    }
    assertMoved(before, await trytonOnHand(world), expectedChange(pushed), `${total} single pushes`);
    await auditErpLines(server, total, 'the lag pushes');
    return { lags, acks, pushes: total };
  } finally {
    await server.stop();
  }
}

// ---------------------------------------------------------------------------------------

export async function erpSection(options: ErpOptions): Promise<ErpSummary[]> {
  heading('5. ERP: journal lines delivered to a real Tryton, and the lag from a device\'s push to the ERP posting');
  const skip = erpSkipReason();
  if (skip) {
    note(`skipped: ${skip}`);
    return [{ goal: 'ERP delivery to Tryton and push-to-posted lag', measured: `skipped: ${skip}`, result: 'SKIPPED' }];
  }
  const world = await startTrytonWorld();
  try {
    const version = await world.rpc.version();
    note(`Tryton ${version} (trytond on SQLite, one process, ${world.server.url}); pristine database + company, 2 warehouses (WH-MAIN, WH-NORTH),`);
    note(`${fmtInt(world.products.size)} products matched to Fieldstock's by code, ready in ${fmtMs(world.setupMs)} (template ${fmtMs(world.server.timings.templateMs)})`);
    note('Fieldstock: a server process (erp-serve.ts, SQLite, demo seed + the same products), FIELDSTOCK_ERP=tryton, signed in as clerk1 (WH-MAIN + WH-NORTH)');
    note('delivery: N adjustments, one per (warehouse, product), pushed (not timed) -> aggregated (timed apart) into ERP journals of N lines in');
    note('          all -> delivered (timed): deliverErpJournals with the Tryton sink, one internal shipment per journal, created with its');
    note('          moves in one call, then wait / assign_force / done; "Tryton calls" = HTTP requests the server process sent to trytond');
    note('direct:   the same changes as plain stock moves, Lost and Found -> storage, one create + one do call per warehouse, from this');
    note('          process (no shipment, no reference, no idempotency): the floor of what Tryton takes');
    note(`each size: a warm-up of ${WARM_UP_LINES} lines first (not counted); median of ${options.runs} run(s); each Fieldstock run is followed by its direct run\n`);

    const { figures, delivered } = await deliverySection(world, options);
    table(
      ['lines', 'runs Fieldstock (lines/s)', 'median lines/s', 'journals', 'Tryton calls', 'aggregation', 'direct moves/s', 'direct calls', 'Fieldstock / direct'],
      figures.map((f) => {
        const last = f.runs[f.runs.length - 1];
        return [
          fmtInt(f.lines),
          f.runs.map((r) => fmtInt(perSecond(r.lines, r.deliver.ms))).join(' / '),
          fmtInt(f.rate),
          fmtInt(last?.deliver.journals ?? NaN),
          fmtInt(last?.deliver.trytonCalls ?? NaN),
          fmtMs(median(f.runs.map((r) => r.aggregate.ms))),
          fmtInt(f.directRate),
          fmtInt(last?.direct.calls ?? NaN),
          fmtRatio(f.rate / f.directRate),
        ];
      }),
    );
    note('Fieldstock / direct: delivered lines/s over direct moves/s (1.00x = as fast as Tryton alone takes the same moves)');

    console.log('');
    note(`lag: ${LAG_WARM_UP} warm-up + ${LAG_PUSHES} timed pushes of one adjustment each (clerk1, pushHandler) to a server process with`);
    note(`     FIELDSTOCK_AGGREGATION_INTERVAL_MS=${LAG_INTERVAL_MS}, each after a random wait of up to one interval; timed from the push until`);
    note(`     the admin's pull of the journals collection (every ${POLL_MS} ms) shows the ERP journal carrying it as posted\n`);
    const lag = await lagSection(world, options);
    table(
      ['aggregation interval', 'pushes', 'push ack median', 'lag median', 'lag p95', 'lag min / max'],
      [
        [
          fmtMs(LAG_INTERVAL_MS),
          fmtInt(lag.lags.length),
          fmtMs(median(lag.acks)),
          fmtMs(median(lag.lags)),
          fmtMs(percentile(lag.lags, 95)),
          `${fmtInt(Math.min(...lag.lags))} / ${fmtInt(Math.max(...lag.lags))}`,
        ],
      ],
    );
    note('the lag is set by the aggregation interval: a push waits on average half an interval (up to a whole one) for the next run, then');
    note('one aggregation + one delivery (shipment create, wait, assign_force, done: a few Tryton calls) follow; at this short interval the');
    note('two are of the same size, at the default 60 s the interval dominates (expect ~30 s)');

    // Audit (not timed): Tryton holds exactly one done move per ERP line of both servers.
    const expectedLines = delivered + lag.pushes;
    const tryton = await fieldstockMoves(world);
    if (tryton.moves !== expectedLines || tryton.done !== expectedLines || tryton.notDoneShipments > 0) {
      throw new Error(`TRYTON AUDIT: ${tryton.moves} moves (${tryton.done} done) in ${tryton.shipments} Fieldstock shipments (${tryton.notDoneShipments} not done); expected ${expectedLines} done moves`);
    }
    note(`\n  audit: ${fmtInt(expectedLines)} ERP lines posted, each with its own Tryton move; Tryton holds ${fmtInt(tryton.moves)} done moves in the ${fmtInt(tryton.shipments)} done`);
    note('         Fieldstock shipments (one move per ERP line, none made twice); on hand per storage location moved by exactly the pushed quantities: OK');

    const summary: ErpSummary[] = figures.map((f) => ({
      goal: `ERP delivery of ${fmtInt(f.lines)} lines to Tryton (create + post through the sink) vs direct moves`,
      measured: `${fmtInt(f.rate)} lines/s vs ${fmtInt(f.directRate)} moves/s direct: ${fmtRatio(f.rate / f.directRate)}`,
      result: 'no goal',
    }));
    summary.push({
      goal: `push -> ERP line posted in Tryton, aggregation every ${fmtMs(LAG_INTERVAL_MS)}`,
      measured: `median ${fmtMs(median(lag.lags))}, p95 ${fmtMs(percentile(lag.lags, 95))} over ${lag.lags.length} pushes (interval-bound)`,
      result: 'no goal',
    });
    summary.push({ goal: 'ERP: Tryton on hand moved by the pushed quantities; every ERP line posted once', measured: 'verified', result: 'OK' });
    return summary;
  } finally {
    await world.dispose();
  }
}
