/**
 * No pull skips a late commit. Writers on two backend instances over one store
 * commit concurrently, some of them slowly (a random delay just before COMMIT,
 * while they hold the write lock); readers page through pulls with small
 * limits from their last checkpoint the whole time. At the end each reader's
 * replica must equal a fresh full pull, every written id must be in it, and
 * the checkpoints it saw must strictly increase.
 *
 * A negative control shows the checker catches a skip: a rogue writer that
 * takes its sequence number before the lock and commits after a reader moved
 * past it leaves a document that the reader never gets.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WriteHooks } from '../../server/store/write.js';
import type { PullResponse, ReplicationCheckpoint } from '../../shared/wire.js';
import { randomQuantity } from '../helpers/ledger-audit.js';
import { describeIfPg } from '../helpers/postgres.js';
import { spawnServer, type ServerProcess } from '../helpers/server-process.js';
import { adjustment, api, demo, pullAll, pushNew, startTestServer, type Engine, type TestServer } from '../helpers/server.js';

type Doc = Record<string, unknown>;
type Endpoint = Pick<TestServer, 'url'>;

const WRITERS = 4;
const BATCHES_PER_WRITER = 25;
const READ_LIMIT = 3;
const WAREHOUSES = [demo.warehouse('WH-MAIN'), demo.warehouse('WH-NORTH')];
const PRODUCTS = Array.from({ length: 8 }, (_, i) => demo.product(`P-${1001 + i}`));

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/** Half of the writes wait 0-30 ms before COMMIT, holding the lock: the slow writer the pull must not outrun. */
function slowCommits(random: () => number): WriteHooks & { delayed: number } {
  const hooks = {
    delayed: 0,
    beforeCommit: async () => {
      if (random() < 0.5) return;
      hooks.delayed += 1;
      await new Promise((resolve) => setTimeout(resolve, Math.floor(random() * 31)));
    },
  };
  return hooks;
}

/** A client replica built only from pulls that continue from the last checkpoint. */
class Replica {
  readonly docs = new Map<string, Doc>();
  readonly checkpoints: number[] = [];
  readonly violations: string[] = [];
  private checkpoint: ReplicationCheckpoint | null = null;
  pulls = 0;

  constructor(
    readonly collection: string,
    private readonly token: string,
  ) {}

  /** One page from `endpoint`; returns how many documents it brought. */
  async pull(endpoint: Endpoint, limit = READ_LIMIT): Promise<number> {
    const qs = new URLSearchParams({ limit: String(limit) });
    if (this.checkpoint) qs.set('checkpoint', JSON.stringify(this.checkpoint));
    const r = await api<PullResponse<Doc>>(endpoint, this.token, 'GET', `/api/v1/replication/${this.collection}/pull?${qs.toString()}`);
    if (r.status !== 200) throw new Error(`pull ${this.collection}: ${r.status} ${JSON.stringify(r.body)}`);
    this.pulls += 1;
    const { documents, checkpoint } = r.body;
    const previous = this.checkpoint?.seq ?? 0;
    if (documents.length === 0) {
      if ((checkpoint?.seq ?? 0) !== previous) this.violations.push(`an empty page moved the checkpoint from ${previous} to ${checkpoint?.seq}`);
      return 0;
    }
    if (!checkpoint || checkpoint.seq <= previous) this.violations.push(`checkpoint went from ${previous} to ${checkpoint?.seq}`);
    if (documents.length > limit) this.violations.push(`a page of limit ${limit} had ${documents.length} documents`);
    for (const d of documents) this.docs.set(String(d.id), d);
    this.checkpoint = checkpoint;
    if (checkpoint) this.checkpoints.push(checkpoint.seq);
    return documents.length;
  }

  /** Pulls until a page comes back empty. */
  async drain(endpoint: Endpoint): Promise<void> {
    while ((await this.pull(endpoint, 50)) > 0);
  }
}

interface ReplicaDiff {
  /** In the full pull, never delivered to the replica: skipped. */
  missing: string[];
  /** Delivered, but not at the latest state. */
  stale: string[];
  /** In the replica but not in the full pull. */
  unexpected: string[];
}

function compareReplica(replica: ReadonlyMap<string, Doc>, full: readonly Doc[]): ReplicaDiff {
  const truth = new Map(full.map((d) => [String(d.id), d]));
  const diff: ReplicaDiff = { missing: [], stale: [], unexpected: [] };
  for (const [id, doc] of truth) {
    const seen = replica.get(id);
    if (!seen) diff.missing.push(id);
    else if (JSON.stringify(seen) !== JSON.stringify(doc)) diff.stale.push(id);
  }
  for (const id of replica.keys()) if (!truth.has(id)) diff.unexpected.push(id);
  return diff;
}

interface Scenario {
  /** Instances writers and readers use, round robin. */
  endpoints: Endpoint[];
  tokens: { admin: string; clerk1: string };
  random: () => number;
}

/** Runs the writers and the readers together; returns the replicas and every id written. */
async function writeWhileReading({ endpoints, tokens, random }: Scenario) {
  const readers = ['inventoryTransactions', 'journals', 'inventory'].map((c) => new Replica(c, tokens.admin));
  // Every replica starts from the beginning and follows along.
  const written = new Set<string>();
  const problems: string[] = [];
  let writing = true;

  const writer = async (w: number) => {
    const endpoint = endpoints[w % endpoints.length] as Endpoint;
    const token = w % 2 === 0 ? tokens.admin : tokens.clerk1;
    for (let b = 0; b < BATCHES_PER_WRITER; b++) {
      const docs = Array.from({ length: 1 + Math.floor(random() * 3) }, () =>
        adjustment({
          warehouseId: WAREHOUSES[Math.floor(random() * WAREHOUSES.length)] as string,
          productId: PRODUCTS[Math.floor(random() * PRODUCTS.length)] as string,
          quantity: randomQuantity(random),
        }),
      );
      const r = await pushNew(endpoint, token, 'inventoryTransactions', docs);
      if (r.status !== 200 || r.body.length !== 0) problems.push(`writer ${w}: ${r.status} ${JSON.stringify(r.body).slice(0, 200)}`);
      for (const d of docs) written.add(d.id);
    }
  };

  const reader = async (replica: Replica) => {
    let i = 0;
    while (writing) {
      const got = await replica.pull(endpoints[i++ % endpoints.length] as Endpoint);
      if (got === 0) await new Promise((resolve) => setTimeout(resolve, 1));
    }
  };

  const reading = readers.map(reader);
  await Promise.all(Array.from({ length: WRITERS }, (_, w) => writer(w)));
  writing = false;
  await Promise.all(reading);
  for (const replica of readers) await replica.drain(endpoints[0] as Endpoint);
  return { readers, written, problems };
}

async function expectNothingSkipped(endpoint: Endpoint, adminToken: string, result: Awaited<ReturnType<typeof writeWhileReading>>, label: string) {
  expect(result.problems).toEqual([]);
  const summary: string[] = [];
  for (const replica of result.readers) {
    expect(replica.violations, replica.collection).toEqual([]);
    const full = await pullAll<Doc>(endpoint, adminToken, replica.collection);
    expect(compareReplica(replica.docs, full), replica.collection).toEqual({ missing: [], stale: [], unexpected: [] });
    for (let i = 1; i < replica.checkpoints.length; i++) {
      expect(replica.checkpoints[i] as number).toBeGreaterThan(replica.checkpoints[i - 1] as number);
    }
    summary.push(`${replica.collection}: ${replica.pulls} pulls, ${replica.docs.size} docs`);
  }
  const transactions = result.readers[0] as Replica;
  const written = [...result.written];
  expect(written.filter((id) => !transactions.docs.has(id))).toEqual([]);
  expect(written.filter((id) => transactions.docs.get(id)?.status !== 'posted')).toEqual([]);
  const journals = result.readers[1] as Replica;
  const journalled = new Set([...journals.docs.values()].map((j) => String(j.sourceId)));
  expect(written.filter((id) => !journalled.has(id))).toEqual([]);
  console.log(`[late-commit ${label}] ${WRITERS} writers pushed ${written.length} adjustments in ${WRITERS * BATCHES_PER_WRITER} batches; ${summary.join('; ')}`);
}

async function tokensOf(server: TestServer) {
  return { admin: await server.token('admin'), clerk1: await server.token('clerk1') };
}

function lateCommitSuite(engine: Engine) {
  const random = seeded(engine === 'sqlite' ? 7 : 8);
  const hooksA = slowCommits(random);
  const hooksB = slowCommits(random);
  let first: TestServer;
  let secondInProcess: TestServer | undefined;
  let secondProcess: ServerProcess | undefined;

  beforeAll(async () => {
    first = await startTestServer({ engine, hooks: hooksA });
    const reuse = { databaseUrl: first.databaseUrl, dataDir: first.dataDir };
    if (engine === 'postgres') {
      secondInProcess = await startTestServer({ engine, hooks: hooksB, reuse });
    } else {
      // better-sqlite3 waits for a busy lock synchronously: a second instance in this
      // process would block the event loop while the first one sleeps in its hook,
      // holding the lock. A second instance is a second process, as in production.
      secondProcess = await spawnServer({ dataDir: first.dataDir });
    }
  });

  afterAll(async () => {
    await secondInProcess?.close();
    if (secondProcess) await secondProcess.stop();
    await first?.close();
  });

  it('readers paging with small limits from their checkpoints never skip a write that commits late, across two instances', async () => {
    const second: Endpoint = secondInProcess ?? (secondProcess as ServerProcess);
    const tokens = await tokensOf(first);
    const result = await writeWhileReading({ endpoints: [first, second], tokens, random });
    expect(hooksA.delayed + hooksB.delayed).toBeGreaterThan(0);
    await expectNothingSkipped(first, tokens.admin, result, `${engine}, ${hooksA.delayed + hooksB.delayed} slow commits`);
  }, 60_000);
}

describe('late commits and pulls (sqlite, two processes on one file)', () => lateCommitSuite('sqlite'));
describeIfPg('late commits and pulls (postgres, two instances on one database)', () => lateCommitSuite('postgres'));

describe('the skip detector (negative control)', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer();
  });
  afterAll(async () => {
    await server?.close();
  });

  it('flags a document whose sequence was taken before the lock and committed after the reader moved past it', async () => {
    const admin = await server.token('admin');
    const db = server.fieldstock.ctx.store.db;
    const replica = new Replica('inventoryTransactions', admin);
    await replica.drain(server);

    // The rogue writer takes a sequence number outside the lock, like a nextval() that commits later.
    const taken = await db.updateTable('change_counter').set((eb) => ({ value: eb('value', '+', 1) })).where('id', '=', 1).returning('value').executeTakeFirstOrThrow();
    // Meanwhile a well-behaved write commits with higher sequences, and the reader sees it.
    const honest = adjustment({ warehouseId: demo.warehouse('WH-MAIN'), productId: demo.product('P-1001'), quantity: 1 });
    expect((await pushNew(server, admin, 'inventoryTransactions', [honest])).body).toEqual([]);
    await replica.drain(server);
    expect(replica.docs.has(honest.id)).toBe(true);
    // Now the rogue writer commits its document with the old, lower sequence.
    const rogue = adjustment({ warehouseId: demo.warehouse('WH-MAIN'), productId: demo.product('P-1002'), quantity: 1 });
    await db
      .insertInto('docs')
      .values({ collection: 'inventoryTransactions', id: rogue.id, seq: taken.value, deleted: 0, scope_a: rogue.warehouseId, scope_b: null, owner_id: null, natural_key: null, data: JSON.stringify(rogue) })
      .execute();
    await replica.drain(server);

    const full = await pullAll<Doc>(server, admin, 'inventoryTransactions');
    expect(full.map((d) => d.id)).toContain(rogue.id);
    expect(compareReplica(replica.docs, full)).toEqual({ missing: [rogue.id], stale: [], unexpected: [] });
  });
});
