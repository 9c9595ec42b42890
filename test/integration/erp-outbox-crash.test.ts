/**
 * The outbox survives a worker that dies mid-delivery, and two instances
 * working one queue:
 *
 * - a worker process is killed (SIGKILL) after the ERP applied its write but
 *   before the answer came back: the item stays in flight until its lease
 *   ends, is then delivered again by another instance with the same
 *   idempotency key, and the ERP holds the record once;
 * - two backend instances on one PostgreSQL database run their workers at
 *   the same time: every item reaches the ERP exactly once.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { OutboxHandlers } from '../../server/erp/outbox/handlers.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { ENGINES, describeEngine } from './api-support.js';
import { erpHandler, startFakeErp, type FakeErp } from './erp-outbox-erp.js';
import { TEST_OUTBOX, TestClock, allItems, enqueueAll, item, request, runWorker } from './erp-outbox-support.js';
import { describeIfPg } from '../helpers/postgres.js';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const CHILD = path.join(ROOT, 'test/integration/erp-outbox-crash-worker.ts');

for (const engine of ENGINES) {
  describeEngine(engine, 'ERP outbox after a worker crash', () => {
    let server: TestServer;
    let erp: FakeErp;

    beforeAll(async () => {
      server = await startTestServer({ engine, demo: false, config: { erpOutbox: TEST_OUTBOX } });
      erp = await startFakeErp();
    });
    afterAll(async () => {
      await erp?.close();
      await server?.close();
    });

    it('delivers an item again after its lease when the worker was killed mid-call, without a second effect in the ERP', async () => {
      const store = server.fieldstock.ctx.store;
      const [queued] = await enqueueAll(store, [request('crash', 'create', 'doc-crash')]);
      const id = queued?.id ?? '';
      const applied = erp.holdAfterApplying('doc-crash');

      const child = spawn(process.execPath, ['--import', 'tsx', CHILD], {
        cwd: ROOT,
        env: {
          PATH: process.env.PATH ?? '',
          HOME: process.env.HOME ?? '',
          OUTBOX_MAP: 'crash',
          OUTBOX_ERP_URL: erp.url,
          ...(server.databaseUrl ? { DATABASE_URL: server.databaseUrl } : { FIELDSTOCK_DATA_DIR: server.dataDir }),
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let output = '';
      child.stdout.on('data', (c: Buffer) => (output += c.toString()));
      child.stderr.on('data', (c: Buffer) => (output += c.toString()));
      const exited = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_code, signal) => resolve(signal)));
      await Promise.race([applied, exited.then(() => Promise.reject(new Error(`the worker exited before calling the ERP:\n${output}`)))]);
      child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');

      // The ERP holds the record; our side never heard back.
      expect(erp.effects.filter((e) => e.key === id)).toHaveLength(1);
      const stuck = await item(store, id);
      expect(stuck).toMatchObject({ status: 'in-flight', attempts: 1 });

      // Another instance, before the lease ends: the item is someone else's, left alone.
      const handlers = new OutboxHandlers();
      handlers.register('crash', 'create', erpHandler(erp.url));
      const clock = new TestClock(Number(stuck.lease_expires_at) - 1);
      expect(await runWorker(server.fieldstock.ctx.store, handlers, clock)).toMatchObject({ claimed: 0, reclaimed: 0 });
      expect(erp.requests(id)).toBe(1);

      // After the lease: put back, delivered again with the same key, recorded once.
      clock.ms = Number(stuck.lease_expires_at);
      const result = await runWorker(store, handlers, clock);
      expect(result).toMatchObject({ reclaimed: 1, claimed: 1, done: 1 });
      const done = await item(store, id);
      expect(done).toMatchObject({ status: 'done', attempts: 2, last_error_code: 'outbox-lease-expired' });
      expect(erp.requests(id)).toBe(2);
      const effects = erp.effects.filter((e) => e.key === id);
      expect(effects).toHaveLength(1);
      expect(done.erp_id).toBe(effects[0]?.erpId);
    });
  });
}

describeIfPg('ERP outbox with two backend instances on one PostgreSQL database', () => {
  let first: TestServer;
  let second: TestServer;
  let erp: FakeErp;

  beforeAll(async () => {
    first = await startTestServer({ engine: 'postgres', demo: false, config: { erpOutbox: TEST_OUTBOX } });
    second = await startTestServer({ engine: 'postgres', demo: false, config: { erpOutbox: TEST_OUTBOX }, reuse: { databaseUrl: first.databaseUrl, dataDir: first.dataDir } });
    erp = await startFakeErp();
  });
  afterAll(async () => {
    await erp?.close();
    await second?.close();
    await first?.close();
  });

  it('delivers every item exactly once while both instances run their workers at the same time', async () => {
    const docs = Array.from({ length: 12 }, (_, i) => `doc-${i}`);
    // Three changes per document, so ordering is at stake too.
    const requests = docs.flatMap((d) => [request('pair', 'create', d), request('pair', 'update', d, { dedupeKey: 'v2' }), request('pair', 'update', d, { dedupeKey: 'v3' })]);
    await enqueueAll(first.fieldstock.ctx.store, requests);
    const clock = new TestClock();
    const handlersOf = () => {
      const h = new OutboxHandlers();
      for (const op of ['create', 'update']) h.register('pair', op, erpHandler(erp.url));
      return h;
    };
    const loop = async (server: TestServer) => {
      const handlers = handlersOf();
      let claimed = 0;
      for (let i = 0; i < 40; i += 1) claimed += (await runWorker(server.fieldstock.ctx.store, handlers, clock, { config: { batchSize: 4 } })).claimed;
      return claimed;
    };
    const [a, b] = await Promise.all([loop(first), loop(second)]);
    const items = await allItems(first.fieldstock.ctx.store);
    expect(items.filter((i) => i.map_name === 'pair').every((i) => i.status === 'done' && i.attempts === 1)).toBe(true);
    expect(a + b).toBe(requests.length);
    // Both took part (otherwise this proves nothing about two instances).
    expect(a).toBeGreaterThan(0);
    expect(b).toBeGreaterThan(0);
    for (const i of items) expect(erp.requests(i.id)).toBe(1);
    expect(erp.totalRequests()).toBe(requests.length);
    for (const d of docs) {
      expect(erp.effects.filter((e) => e.documentId === d).map((e) => e.operation)).toEqual(['create', 'update', 'update']);
    }
  });
});
