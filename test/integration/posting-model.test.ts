/**
 * Model-based test of exactly-once posting (fast-check commands): random
 * sequences of new pushes, re-pushes of old documents, pushes whose answer is
 * cut after the server processed them, duplicates from a second user at the
 * same moment, and restarts of the backend on the same SQLite folder. After
 * each run the clients retry what was never acknowledged; then every
 * transaction is posted exactly once and each on-hand level equals its
 * opening plus the sum of what was posted (integer units).
 */
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Units } from '../../shared/decimal.js';
import { httpRequest, isNetworkError, startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import { auditStore, expectedLevels, levelDifferences, levelKey, postedTwice, type PushedAdjustment } from '../helpers/ledger-audit.js';
import { adjustment, demo, startTestServer, type TestServer } from '../helpers/server.js';
import { tempDir, type TempDir } from '../helpers/tmp.js';

type Doc = Record<string, unknown>;
type User = 'admin' | 'clerk1';

const PUSH_PATH = '/api/v1/replication/inventoryTransactions/push';
const WAREHOUSES = [demo.warehouse('WH-MAIN'), demo.warehouse('WH-NORTH')];
const PRODUCTS = [1001, 1002, 1003].map((n) => demo.product(`P-${n}`));

interface Model {
  /** Documents the server has processed (posted), whether or not the client heard back. */
  committed: Map<string, PushedAdjustment & Doc>;
  /** Ids whose push got an HTTP 200. */
  acknowledged: Set<string>;
}

interface Real {
  server: TestServer;
  proxy: FaultProxy;
  tokens: Record<User, string>;
  restarts: number;
  cuts: number;
}

interface DocSpec {
  warehouse: number;
  product: number;
  units: number;
}

const docSpec: fc.Arbitrary<DocSpec> = fc.record({
  warehouse: fc.integer({ min: 0, max: WAREHOUSES.length - 1 }),
  product: fc.integer({ min: 0, max: PRODUCTS.length - 1 }),
  units: fc.integer({ min: -99_999, max: 99_999 }).filter((u) => u !== 0),
});

const makeDoc = (spec: DocSpec): PushedAdjustment & Doc =>
  adjustment({ warehouseId: WAREHOUSES[spec.warehouse] as string, productId: PRODUCTS[spec.product] as string, quantity: spec.units / 10_000 });

function push(baseUrl: string, token: string, docs: Doc[]) {
  return httpRequest<Doc[]>(baseUrl, { method: 'POST', path: PUSH_PATH, token, body: docs.map((d) => ({ newDocumentState: d })) });
}

function expectPostedMasters(body: Doc[], docs: PushedAdjustment[]): void {
  expect(body).toHaveLength(docs.length);
  const byId = new Map(body.map((d) => [String(d.id), d]));
  for (const d of docs) expect(byId.get(d.id)).toMatchObject({ id: d.id, status: 'posted', quantity: d.quantity });
}

class PushNew implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly specs: DocSpec[],
    readonly user: User,
  ) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const docs = this.specs.map(makeDoc);
    const res = await push(r.server.url, r.tokens[this.user], docs);
    expect(res).toEqual({ status: 200, body: [] });
    for (const d of docs) {
      m.committed.set(d.id, d);
      m.acknowledged.add(d.id);
    }
  }
  toString = () => `PushNew(${this.specs.length} by ${this.user})`;
}

class PushCutAfterProcessing implements fc.AsyncCommand<Model, Real> {
  constructor(readonly specs: DocSpec[]) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const docs = this.specs.map(makeDoc);
    r.proxy.setMode('cut-response', 1);
    await expect(push(r.proxy.url, r.tokens.clerk1, docs)).rejects.toSatisfy(isNetworkError);
    r.cuts += 1;
    // The proxy cuts only once the server answers, and it answers after COMMIT.
    for (const d of docs) m.committed.set(d.id, d);
  }
  toString = () => `PushCut(${this.specs.length})`;
}

class RePushOld implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly pick: number,
    readonly user: User,
    readonly viaProxy: boolean,
  ) {}
  check = (m: Readonly<Model>) => m.committed.size > 0;
  async run(m: Model, r: Real) {
    const ids = [...m.committed.keys()];
    const doc = m.committed.get(ids[this.pick % ids.length] as string) as PushedAdjustment & Doc;
    const res = await push(this.viaProxy ? r.proxy.url : r.server.url, r.tokens[this.user], [doc]);
    expect(res.status).toBe(200);
    expectPostedMasters(res.body, [doc]);
    m.acknowledged.add(doc.id);
  }
  toString = () => `RePushOld(#${this.pick} by ${this.user}${this.viaProxy ? ' via proxy' : ''})`;
}

class DuplicateAtOnce implements fc.AsyncCommand<Model, Real> {
  constructor(readonly spec: DocSpec) {}
  check = () => true;
  async run(m: Model, r: Real) {
    const doc = makeDoc(this.spec);
    const answers = await Promise.all([push(r.server.url, r.tokens.admin, [doc]), push(r.proxy.url, r.tokens.clerk1, [doc])]);
    expect(answers.map((a) => a.status)).toEqual([200, 200]);
    const bodies = answers.map((a) => a.body).sort((a, b) => a.length - b.length);
    expect(bodies[0]).toEqual([]);
    expectPostedMasters(bodies[1] as Doc[], [doc]);
    m.committed.set(doc.id, doc);
    m.acknowledged.add(doc.id);
  }
  toString = () => 'DuplicateAtOnce';
}

class Restart implements fc.AsyncCommand<Model, Real> {
  check = () => true;
  async run(_m: Model, r: Real) {
    const { dataDir } = r.server;
    await r.server.close();
    r.server = await startTestServer({ reuse: { databaseUrl: undefined, dataDir } });
    r.proxy.setTarget(Number(new URL(r.server.url).port));
    r.restarts += 1;
  }
  toString = () => 'Restart';
}

const user = fc.constantFrom<User>('admin', 'clerk1');
const commandArbs = [
  fc.tuple(fc.array(docSpec, { minLength: 1, maxLength: 4 }), user).map(([specs, u]) => new PushNew(specs, u)),
  fc.array(docSpec, { minLength: 1, maxLength: 4 }).map((specs) => new PushCutAfterProcessing(specs)),
  fc.tuple(fc.nat(), user, fc.boolean()).map(([pick, u, viaProxy]) => new RePushOld(pick, u, viaProxy)),
  docSpec.map((spec) => new DuplicateAtOnce(spec)),
  fc.constant(new Restart()),
];

describe('posting model (sqlite)', () => {
  let dir: TempDir;
  let real: Real;

  beforeAll(async () => {
    dir = tempDir('posting-model');
    const server = await startTestServer({ reuse: { databaseUrl: undefined, dataDir: dir.path } });
    real = {
      server,
      proxy: await startFaultProxy(Number(new URL(server.url).port)),
      tokens: { admin: await server.token('admin'), clerk1: await server.token('clerk1') },
      restarts: 0,
      cuts: 0,
    };
  });

  afterAll(async () => {
    await real?.proxy.close();
    await real?.server.close();
    dir?.cleanup();
  });

  it('any mix of retries, cut answers, simultaneous duplicates and restarts posts each transaction exactly once', async () => {
    let runs = 0;
    let pushed = 0;
    await fc.assert(
      fc.asyncProperty(fc.commands(commandArbs, { maxCommands: 15 }), async (cmds) => {
        runs += 1;
        const before = await auditStore(real.server.fieldstock.ctx.store.db, []);
        const opening: Map<string, Units> = before.onHand;
        const model: Model = { committed: new Map(), acknowledged: new Set() };
        await fc.asyncModelRun(() => ({ model, real }), cmds);

        // Clients retry whatever was never acknowledged: they get the posted master back.
        const unacknowledged = [...model.committed.values()].filter((d) => !model.acknowledged.has(d.id));
        if (unacknowledged.length > 0) {
          const res = await push(real.server.url, real.tokens.clerk1, unacknowledged);
          expect(res.status).toBe(200);
          expectPostedMasters(res.body, unacknowledged);
        }

        const docs = [...model.committed.values()];
        const ids = docs.map((d) => d.id);
        pushed += ids.length;
        const audit = await auditStore(real.server.fieldstock.ctx.store.db, ids);
        expect(ids.filter((id) => audit.postings.get(id) !== 1 || audit.journalsBySource.get(id) !== 1 || audit.transactionStatus.get(id) !== 'posted')).toEqual([]);
        expect(postedTwice(audit)).toEqual([]);
        const expected = expectedLevels(opening, docs);
        const keys = new Set(docs.map((d) => levelKey(d.warehouseId, d.productId)));
        expect(levelDifferences(expected, audit.onHand, keys)).toEqual([]);
        expect(levelDifferences(expected, audit.inventoryDocs, keys)).toEqual([]);
      }),
      { numRuns: 15, endOnFailure: true },
    );
    console.log(`[posting-model] ${runs} runs, ${pushed} transactions, ${real.cuts} cut answers, ${real.restarts} restarts: each posted exactly once`);
    expect(real.cuts).toBeGreaterThan(0);
    expect(real.restarts).toBeGreaterThan(0);
  }, 60_000);
});
