/**
 * Exactly-once posting: whatever a client retries or duplicates, each
 * inventory transaction is posted once, on hand moves once, and the retry
 * gets the posted master state back as a conflict.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Units } from '../../shared/decimal.js';
import { httpRequest, isNetworkError, startFaultProxy, type FaultProxy } from '../helpers/fault-proxy.js';
import {
  auditStore,
  expectedLevels,
  inventoryLevels,
  levelDifferences,
  levelKey,
  postedTwice,
  randomQuantity,
  type PushedAdjustment,
} from '../helpers/ledger-audit.js';
import { describeIfPg } from '../helpers/postgres.js';
import { spawnServer } from '../helpers/server-process.js';
import { adjustment, demo, pushNew, startTestServer, type Engine, type TestServer } from '../helpers/server.js';

type Doc = Record<string, unknown>;

const WH_MAIN = demo.warehouse('WH-MAIN');
const WH_NORTH = demo.warehouse('WH-NORTH');
const PUSH_PATH = '/api/v1/replication/inventoryTransactions/push';

/** A small deterministic generator, so a failing run can be replayed. */
function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function newAdjustments(count: number, random: () => number, warehouses = [WH_MAIN, WH_NORTH]): (PushedAdjustment & Doc)[] {
  return Array.from({ length: count }, () => {
    const warehouseId = warehouses[Math.floor(random() * warehouses.length)] as string;
    const productId = demo.product(`P-${1001 + Math.floor(random() * 6)}`);
    return adjustment({ warehouseId, productId, quantity: randomQuantity(random) });
  });
}

const rowsOf = (docs: Doc[]) => docs.map((d) => ({ newDocumentState: d }));

function expectPostedMaster(conflict: Doc | undefined, sent: PushedAdjustment): void {
  expect(conflict).toMatchObject({ id: sent.id, status: 'posted', quantity: sent.quantity, warehouseId: sent.warehouseId, productId: sent.productId });
  expect(typeof conflict?.journalId).toBe('string');
}

function engineSuite(engine: Engine) {
  let server: TestServer;
  /** A second backend instance on the same store: duplicates may arrive through either. */
  let second: Pick<TestServer, 'url'>;
  let closeSecond: (() => Promise<unknown>) | undefined;
  let admin: string;
  let clerk: string;
  /** Everything pushed in this file, to check that nothing else moved. */
  const allPushed: PushedAdjustment[] = [];
  let opening: Map<string, Units>;

  beforeAll(async () => {
    server = await startTestServer({ engine });
    if (engine === 'postgres') {
      const instance = await startTestServer({ engine, reuse: { databaseUrl: server.databaseUrl, dataDir: server.dataDir } });
      second = instance;
      closeSecond = () => instance.close();
    } else {
      // On SQLite the second instance is a second process on the same file, as in production:
      // its writes really race with this process's for the file's write lock.
      const instance = await spawnServer({ dataDir: server.dataDir });
      second = instance;
      closeSecond = () => instance.stop();
    }
    admin = await server.token('admin');
    clerk = await server.token('clerk1');
    opening = await inventoryLevels(server.url, admin);
  });

  afterAll(async () => {
    await closeSecond?.();
    await server?.close();
  });

  /** Asserts each id is posted once and every level equals opening + Σ of everything pushed in this file. */
  async function expectExactlyOnce(ids: string[]) {
    const audit = await auditStore(server.fieldstock.ctx.store.db, ids);
    for (const id of ids) {
      expect(audit.transactionStatus.get(id), id).toBe('posted');
      expect(audit.postings.get(id), id).toBe(1);
      expect(audit.journalLines.get(id)?.count, id).toBe(1);
      expect(audit.journalsBySource.get(id), id).toBe(1);
    }
    expect(postedTwice(audit)).toEqual([]);
    const expected = expectedLevels(opening, allPushed);
    const keys = new Set(allPushed.map((a) => levelKey(a.warehouseId, a.productId)));
    expect(levelDifferences(expected, audit.onHand, keys)).toEqual([]);
    expect(levelDifferences(expected, audit.inventoryDocs, keys)).toEqual([]);
    // The contract's view (pull as admin) says the same.
    expect(levelDifferences(expected, await inventoryLevels(server.url, admin), keys)).toEqual([]);
  }

  it('an adjustment pushed twice by the same client is posted once and the second push gets the posted master', async () => {
    const [doc] = newAdjustments(1, seeded(1), [WH_MAIN]) as [PushedAdjustment & Doc];
    const first = await pushNew(server, clerk, 'inventoryTransactions', [doc]);
    expect(first.status).toBe(200);
    expect(first.body).toEqual([]);
    allPushed.push(doc);

    const again = await pushNew(server, clerk, 'inventoryTransactions', [doc]);
    expect(again.status).toBe(200);
    expect(again.body).toHaveLength(1);
    expectPostedMaster(again.body[0] as Doc, doc);
    await expectExactlyOnce([doc.id]);
  });

  it('the same adjustments pushed at the same moment by two users through two instances are each posted once', async () => {
    const docs = newAdjustments(20, seeded(2), [WH_MAIN]);
    let postedByClerk = 0;
    for (const [i, doc] of docs.entries()) {
      const viaClerk = () => pushNew(server, clerk, 'inventoryTransactions', [doc]);
      const viaAdmin = () => pushNew(second, admin, 'inventoryTransactions', [doc]);
      // Alternate which request leaves first.
      // Both requests are in flight together; which one leaves first alternates.
      const [a, b] = i % 2 === 0 ? await Promise.all([viaClerk(), viaAdmin()]) : await (async () => {
        const adminPush = viaAdmin();
        return Promise.all([viaClerk(), adminPush]);
      })();
      expect([a.status, b.status]).toEqual([200, 200]);
      // Exactly one of the two posted it; the other got the posted master back.
      const empty = [a.body, b.body].filter((body) => body.length === 0);
      const conflicted = [a.body, b.body].filter((body) => body.length === 1);
      expect(empty).toHaveLength(1);
      expect(conflicted).toHaveLength(1);
      expectPostedMaster(conflicted[0]?.[0] as Doc, doc);
      if (a.body.length === 0) postedByClerk += 1;
      allPushed.push(doc);
    }
    console.log(`[exactly-once ${engine}] 20 concurrent duplicate pairs: ${postedByClerk} posted by clerk1's push, ${20 - postedByClerk} by admin's`);
    await expectExactlyOnce(docs.map((d) => d.id));
  });

  describe('through a proxy that drops the answer after the server has processed the push', () => {
    let proxy: FaultProxy;
    beforeAll(async () => {
      proxy = await startFaultProxy(Number(new URL(server.url).port));
    });
    afterAll(async () => {
      await proxy?.close();
    });

    it('a client that retries each cut push gets the posted master and nothing is posted twice (50 adjustments, every other push cut)', async () => {
      const docs = newAdjustments(50, seeded(3));
      let pushes = 0;
      const cutBefore = proxy.stats.cut;
      let networkErrors = 0;
      let acknowledgedEmpty = 0;
      let acknowledgedConflict = 0;
      for (const [i, doc] of docs.entries()) {
        // Every other adjustment's first push is cut after the server has processed it.
        const cutFirst = i % 2 === 0;
        if (cutFirst) proxy.setMode('cut-response', 1);
        // A client retries the same row (no assumedMasterState) until it gets an answer.
        for (let attempt = 1; ; attempt++) {
          expect(attempt, `push of ${doc.id} never answered`).toBeLessThanOrEqual(3);
          try {
            pushes += 1;
            const r = await httpRequest<Doc[]>(proxy.url, { method: 'POST', path: PUSH_PATH, token: clerk, body: rowsOf([doc]) });
            expect(r.status).toBe(200);
            expect(attempt).toBe(cutFirst ? 2 : 1);
            if (attempt === 1) {
              expect(r.body).toEqual([]);
              acknowledgedEmpty += 1;
            } else {
              expect(r.body).toHaveLength(1);
              expectPostedMaster(r.body[0], doc);
              acknowledgedConflict += 1;
            }
            break;
          } catch (error) {
            if (!isNetworkError(error)) throw error;
            networkErrors += 1;
          }
        }
        allPushed.push(doc);
      }
      console.log(
        `[exactly-once ${engine}] cut-response: 50 adjustments, ${pushes} push requests, ${proxy.stats.cut - cutBefore} answers cut, ` +
          `${networkErrors} network errors, ${acknowledgedEmpty} acknowledged on the first try, ${acknowledgedConflict} acknowledged as posted conflicts on retry`,
      );
      expect(pushes).toBe(75);
      expect(proxy.stats.cut - cutBefore).toBe(25);
      expect(networkErrors).toBe(25);
      expect(acknowledgedConflict).toBe(25);
      expect(acknowledgedEmpty).toBe(25);
      await expectExactlyOnce(docs.map((d) => d.id));
    });

    it('a cut batch retried whole, directly and through the other instance, posts every row once (5 batches of 10)', async () => {
      const random = seeded(4);
      const batches = Array.from({ length: 5 }, () => newAdjustments(10, random));
      proxy.setMode('cut-response', batches.length);
      for (const [i, batch] of batches.entries()) {
        await expect(httpRequest(proxy.url, { method: 'POST', path: PUSH_PATH, token: admin, body: rowsOf(batch) })).rejects.toSatisfy(isNetworkError);
        // The retry skips the proxy, alternately to each instance, as a client behind a load balancer would.
        const target = i % 2 === 0 ? server : second;
        const retry = await httpRequest<Doc[]>(target.url, { method: 'POST', path: PUSH_PATH, token: admin, body: rowsOf(batch) });
        expect(retry.status).toBe(200);
        expect(retry.body).toHaveLength(batch.length);
        const byId = new Map(retry.body.map((d) => [String(d.id), d]));
        for (const doc of batch) expectPostedMaster(byId.get(doc.id), doc);
        allPushed.push(...batch);
      }
      await expectExactlyOnce(batches.flat().map((d) => d.id));
    });

    it('a push reset before it reaches the server posts nothing, and its retry posts once', async () => {
      const docs = newAdjustments(5, seeded(5));
      proxy.setMode('reset', 1);
      await expect(httpRequest(proxy.url, { method: 'POST', path: PUSH_PATH, token: admin, body: rowsOf(docs) })).rejects.toSatisfy(isNetworkError);
      const before = await auditStore(server.fieldstock.ctx.store.db, docs.map((d) => d.id));
      expect(before.postings.size).toBe(0);
      expect(before.transactionStatus.size).toBe(0);
      const retry = await httpRequest<Doc[]>(proxy.url, { method: 'POST', path: PUSH_PATH, token: admin, body: rowsOf(docs) });
      expect(retry).toEqual({ status: 200, body: [] });
      allPushed.push(...docs);
      await expectExactlyOnce(docs.map((d) => d.id));
    });
  });
}

describe('exactly-once posting (sqlite)', () => engineSuite('sqlite'));
describeIfPg('exactly-once posting (postgres)', () => engineSuite('postgres'));
