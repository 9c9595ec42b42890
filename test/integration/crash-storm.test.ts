/**
 * kill -9 of the real backend process in the middle of a push storm, twice,
 * then a restart on the same data: no acknowledged adjustment is lost, no
 * adjustment is posted twice, each batch is all-or-nothing, and on hand is
 * exactly the opening level plus what was posted (integer units, no floats).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openStore } from '../../server/store/open.js';
import type { Units } from '../../shared/decimal.js';
import type { LoginResponse } from '../../shared/wire.js';
import { httpRequest, isNetworkError } from '../helpers/fault-proxy.js';
import {
  auditStore,
  expectedLevels,
  inventoryLevels,
  levelDifferences,
  levelKey,
  postedTwice,
  pullAllFresh,
  randomQuantity,
  unitsOf,
  type PushedAdjustment,
} from '../helpers/ledger-audit.js';
import { createTestDatabase, describeIfPg, type TestDatabase } from '../helpers/postgres.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { ADMIN_PASSWORD, adjustment, demo, DEMO_PASSWORD, type Engine } from '../helpers/server.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

type Doc = Record<string, unknown>;
type User = 'admin' | 'clerk1';

interface Batch {
  n: number;
  user: User;
  docs: (PushedAdjustment & Doc)[];
  /** An HTTP 200 was received for a push of this batch. */
  acked: boolean;
  /** Known after a restart (or an ack): whether the batch's transaction committed. */
  committed: boolean | undefined;
  attempts: number;
  /** The round whose kill caught a push of this batch in flight. */
  inFlightAt?: number;
}

const PUSH_PATH = '/api/v1/replication/inventoryTransactions/push';
const PUSHERS = 4;
const KILL_AFTER_ROWS = 300;
const WAREHOUSES = [demo.warehouse('WH-MAIN'), demo.warehouse('WH-NORTH')];
const PRODUCTS = Array.from({ length: 30 }, (_, i) => demo.product(`P-${1001 + i}`));

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

async function login(url: string, username: User): Promise<string> {
  const r = await httpRequest<LoginResponse>(url, {
    method: 'POST',
    path: '/api/v1/auth/login',
    body: { username, password: username === 'admin' ? ADMIN_PASSWORD : DEMO_PASSWORD },
  });
  if (r.status !== 200) throw new Error(`login ${username}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body.accessToken;
}

/** What a push of `batch` must answer: nothing new conflicts; a batch already committed comes back whole, posted. */
function checkPushAnswer(batch: Batch, body: Doc[], problems: string[]): void {
  if (batch.committed === true) {
    const byId = new Map(body.map((d) => [String(d.id), d]));
    const wrong = batch.docs.filter((d) => byId.get(d.id)?.status !== 'posted' || byId.get(d.id)?.quantity !== d.quantity);
    if (body.length !== batch.docs.length || wrong.length > 0) problems.push(`batch ${batch.n}: re-push did not return its ${batch.docs.length} posted masters (got ${body.length})`);
  } else if (body.length !== 0) {
    problems.push(`batch ${batch.n}: a first-time push answered ${body.length} conflicts`);
  }
}

function crashSuite(engine: Engine) {
  let dir: TempDir;
  let database: TestDatabase | undefined;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    dir = tempDir(`crash-storm-${engine}`);
    if (engine === 'postgres') database = await createTestDatabase();
  });

  afterAll(async () => {
    await server?.kill9();
    await database?.drop();
    dir?.cleanup();
  });

  it('kill -9 twice during a push storm loses no acknowledged adjustment, posts none twice, and keeps every batch all-or-nothing', async () => {
    const seed = engine === 'sqlite' ? 20_250_101 : 20_250_202;
    const random = seeded(seed);
    const start = (port?: number) => spawnServer({ dataDir: dir.path, databaseUrl: database?.url, demo: true, ...(port ? { port } : {}) });
    server = await start();
    const port = server.port;
    // Tokens live in the store: they stay valid across the restarts, as a client's would.
    const tokens: Record<User, string> = { admin: await login(server.url, 'admin'), clerk1: await login(server.url, 'clerk1') };
    const opening = await inventoryLevels(server.url, tokens.admin);

    const batches: Batch[] = [];
    const problems: string[] = [];
    const newBatch = (pusher: number): Batch => {
      const size = 10 + Math.floor(random() * 16);
      const docs = Array.from({ length: size }, () =>
        adjustment({
          warehouseId: WAREHOUSES[Math.floor(random() * WAREHOUSES.length)] as string,
          productId: PRODUCTS[Math.floor(random() * PRODUCTS.length)] as string,
          quantity: randomQuantity(random),
        }),
      );
      const batch: Batch = { n: batches.length, user: pusher % 2 === 0 ? 'admin' : 'clerk1', docs, acked: false, committed: false, attempts: 0 };
      batches.push(batch);
      return batch;
    };

    /** Pushers send retries first, then new batches, until the server is killed after `killAfter` acknowledged rows. */
    const storm = async (round: number, target: ServerProcess, retries: Batch[], killAfter: number) => {
      let ackedRows = 0;
      let killed = false;
      let kill: Promise<void> | undefined;
      const pusher = async (k: number) => {
        while (!killed) {
          const batch = retries.shift() ?? newBatch(k);
          batch.attempts += 1;
          try {
            const r = await httpRequest<Doc[]>(target.url, { method: 'POST', path: PUSH_PATH, token: tokens[batch.user], body: batch.docs.map((d) => ({ newDocumentState: d })) });
            if (r.status !== 200) {
              problems.push(`batch ${batch.n}: HTTP ${r.status} ${JSON.stringify(r.body)}`);
              return;
            }
            checkPushAnswer(batch, r.body, problems);
            batch.acked = true;
            batch.committed = true;
            ackedRows += batch.docs.length;
            if (ackedRows >= killAfter && !kill) {
              // A random moment a little later, while the pushers keep going: some pushes die
              // before their commit, some after it but before their answer is read.
              const delay = Math.floor(random() * 25);
              kill = new Promise((resolve) => setTimeout(resolve, delay)).then(() => {
                killed = true;
                return target.kill9();
              });
            }
          } catch (error) {
            if (!killed || !isNetworkError(error)) {
              problems.push(`batch ${batch.n}: ${error instanceof Error ? error.message : String(error)}`);
              return;
            }
            // In flight when the server died: committed or not, we cannot know yet.
            batch.committed = undefined;
            batch.inFlightAt = round;
          }
        }
      };
      await Promise.all(Array.from({ length: PUSHERS }, (_, k) => pusher(k)));
      await kill;
      return ackedRows;
    };

    /** After a restart, before anything is re-pushed: every unacknowledged batch is fully posted or fully absent. */
    const checkAllOrNothing = async (target: ServerProcess) => {
      const status = new Map((await pullAllFresh<Doc>(target.url, tokens.admin, 'inventoryTransactions')).map((d) => [String(d.id), d.status]));
      let committedUnacked = 0;
      let absent = 0;
      for (const batch of batches) {
        const posted = batch.docs.filter((d) => status.get(d.id) === 'posted').length;
        if (batch.acked) {
          expect(posted, `acknowledged batch ${batch.n} lost rows`).toBe(batch.docs.length);
          continue;
        }
        expect([0, batch.docs.length], `batch ${batch.n} is half posted`).toContain(posted);
        batch.committed = posted === batch.docs.length;
        if (batch.committed) committedUnacked += 1;
        else absent += 1;
      }
      return { committedUnacked, absent };
    };

    const report: string[] = [];
    for (let round = 1; round <= 2; round++) {
      const retries = batches.filter((b) => !b.acked);
      const acked = await storm(round, server, retries, KILL_AFTER_ROWS);
      const inFlight = batches.filter((b) => !b.acked && b.inFlightAt === round);
      expect(problems).toEqual([]);
      // Pushers never wait between batches, so the others are mid-request when the kill lands.
      expect(inFlight.length).toBeGreaterThan(0);
      server = await start(port);
      const { committedUnacked, absent } = await checkAllOrNothing(server);
      report.push(
        `round ${round}: killed after ${acked} acknowledged rows; ${inFlight.length} batches (${inFlight.reduce((s, b) => s + b.docs.length, 0)} rows) unacknowledged: ` +
          `${committedUnacked} had committed, ${absent} were absent`,
      );
    }

    // The clients re-push every unacknowledged batch, and a sample of acknowledged ones (duplicates), some from the other user.
    const unacked = batches.filter((b) => !b.acked);
    const duplicates = batches.filter((b, i) => b.acked && i % 3 === 0);
    let conflictsReturned = 0;
    for (const batch of [...unacked, ...duplicates]) {
      const user: User = batch.acked && batch.n % 2 === 0 ? (batch.user === 'admin' ? 'clerk1' : 'admin') : batch.user;
      const r = await httpRequest<Doc[]>(server.url, { method: 'POST', path: PUSH_PATH, token: tokens[user], body: batch.docs.map((d) => ({ newDocumentState: d })) });
      expect(r.status).toBe(200);
      checkPushAnswer(batch, r.body, problems);
      conflictsReturned += r.body.length;
      batch.acked = true;
      batch.committed = true;
    }
    expect(problems).toEqual([]);

    const all = batches.flatMap((b) => b.docs);
    const ids = all.map((d) => d.id);
    expect(new Set(ids).size).toBe(ids.length);
    const expected = expectedLevels(opening, all);
    const keys = new Set(all.map((d) => levelKey(d.warehouseId, d.productId)));

    // Over HTTP, as clients see it.
    const status = new Map((await pullAllFresh<Doc>(server.url, tokens.admin, 'inventoryTransactions')).map((d) => [String(d.id), d.status]));
    expect(ids.filter((id) => status.get(id) !== 'posted')).toEqual([]);
    const journals = await pullAllFresh<Doc>(server.url, tokens.admin, 'journals');
    const journalCount = new Map<string, number>();
    for (const j of journals) journalCount.set(String(j.sourceId), (journalCount.get(String(j.sourceId)) ?? 0) + 1);
    expect(ids.filter((id) => journalCount.get(id) !== 1)).toEqual([]);
    expect([...journalCount].filter(([, n]) => n > 1)).toEqual([]);
    expect(levelDifferences(expected, await inventoryLevels(server.url, tokens.admin), keys)).toEqual([]);

    // SIGTERM drains and exits 0; then the store itself is read.
    expect(await server.stop()).toBe(0);
    server = undefined;
    const store = await openStore({ databaseUrl: database?.url, dataDir: dir.path });
    try {
      const audit = await auditStore(store.db, ids);
      expect(ids.filter((id) => audit.postings.get(id) !== 1)).toEqual([]);
      expect(all.filter((d) => audit.journalLines.get(d.id)?.count !== 1 || audit.journalLines.get(d.id)?.total !== unitsOf(d.quantity)).map((d) => d.id)).toEqual([]);
      expect(postedTwice(audit)).toEqual([]);
      expect(levelDifferences(expected, audit.onHand, keys)).toEqual([]);
      expect(levelDifferences(expected, audit.inventoryDocs, keys)).toEqual([]);
      // Levels nobody touched did not move.
      const untouched = [...opening.keys()].filter((k) => !keys.has(k));
      expect(levelDifferences(opening, audit.onHand, untouched)).toEqual([]);
    } finally {
      await store.close();
    }

    const totalUnits = all.reduce((s, d) => s + unitsOf(d.quantity), 0) as Units;
    console.log(
      `[crash-storm ${engine}] seed ${seed}; ${batches.length} batches, ${all.length} adjustments over ${keys.size} levels (net ${totalUnits} units); ` +
        `${report.join('; ')}; final re-push of ${unacked.length} unacknowledged + ${duplicates.length} duplicate batches returned ${conflictsReturned} posted conflicts; ` +
        `every adjustment posted exactly once (${all.length} postings, ${all.length} journals)`,
    );
  }, 120_000);
}

describe('crash during a push storm (sqlite)', () => crashSuite('sqlite'));
describeIfPg('crash during a push storm (postgres)', () => crashSuite('postgres'));
