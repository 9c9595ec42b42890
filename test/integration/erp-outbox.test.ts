/**
 * The ERP outbox's delivery rules against a real store (SQLite, and
 * PostgreSQL when available) and a real ERP-like HTTP server: enqueueing is
 * idempotent and commits with the change; failures back off and succeed
 * exactly once; refusals and exhausted attempts end in poison; paused maps
 * queue and replay in order; a document's items never overtake each other.
 * Time is a test clock handed to the worker: nothing waits for real time.
 */
import { afterAll, afterEach, beforeAll, beforeEach, expect, it } from 'vitest';
import { OutboxHandlers } from '../../server/erp/outbox/handlers.js';
import { setMapPaused } from '../../server/erp/outbox/control.js';
import { enqueue } from '../../server/erp/outbox/enqueue.js';
import type { Store } from '../../server/store/open.js';
import { writeTransaction } from '../../server/store/write.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { ENGINES, describeEngine } from './api-support.js';
import { erpHandler, startFakeErp, type FakeErp } from './erp-outbox-erp.js';
import { TEST_OUTBOX, TestClock, allItems, enqueueAll, item, request, runWorker } from './erp-outbox-support.js';

for (const engine of ENGINES) {
  describeEngine(engine, 'ERP outbox delivery', () => {
    let server: TestServer;
    let store: Store;
    let erp: FakeErp;
    let handlers: OutboxHandlers;
    let clock: TestClock;
    let map: string;
    let n = 0;

    beforeAll(async () => {
      server = await startTestServer({ engine, demo: false, config: { erpOutbox: TEST_OUTBOX } });
      store = server.fieldstock.ctx.store;
      erp = await startFakeErp();
    });
    afterAll(async () => {
      await erp?.close();
      await server?.close();
    });
    beforeEach(() => {
      // A map per test: items of earlier tests never get in the way.
      n += 1;
      map = `map-${n}`;
      handlers = new OutboxHandlers();
      for (const op of ['create', 'update']) handlers.register(map, op, erpHandler(erp.url));
      clock = new TestClock();
    });
    afterEach(async () => {
      await setMapPaused(store, map, false, null, clock.now());
    });

    it('enqueues a change once, however often it is enqueued, and only when its transaction commits', async () => {
      const first = await enqueueAll(store, [request(map, 'create', 'doc-1'), request(map, 'create', 'doc-1')]);
      const again = await enqueueAll(store, [request(map, 'create', 'doc-1')]);
      expect(first[0]?.created).toBe(true);
      expect(first[1]).toEqual({ id: first[0]?.id, created: false });
      expect(again[0]).toEqual({ id: first[0]?.id, created: false });
      await expect(
        writeTransaction(store, undefined, async (writer) => {
          await enqueue(writer, request(map, 'create', 'doc-rolled-back'));
          throw new Error('the change failed');
        }),
      ).rejects.toThrow('the change failed');
      const items = (await allItems(store)).filter((i) => i.map_name === map);
      expect(items.map((i) => i.document_id)).toEqual(['doc-1']);
      expect(items[0]).toMatchObject({ status: 'pending', attempts: 0, erp_id: null });
      // Delivered, the dedupe key still refuses a replay of the same change.
      await runWorker(store, handlers, clock);
      expect((await enqueueAll(store, [request(map, 'create', 'doc-1')]))[0]).toEqual({ id: first[0]?.id, created: false });
      expect((await item(store, first[0]?.id ?? '')).status).toBe('done');
      expect(erp.requests(first[0]?.id ?? '')).toBe(1);
    });

    it('backs off after retryable failures, exponentially with jitter, then delivers exactly once', async () => {
      const [queued] = await enqueueAll(store, [request(map, 'create', 'doc-flaky')]);
      const id = queued?.id ?? '';
      erp.failWith503('doc-flaky', 2);

      const t0 = clock.now();
      expect(await runWorker(store, handlers, clock)).toMatchObject({ claimed: 1, retried: 1, done: 0 });
      let row = await item(store, id);
      expect(row).toMatchObject({ status: 'pending', attempts: 1, last_error_code: 'erp-server-error', last_error_message: 'ERP busy' });
      // base 1000 ms, jittered to between half and all of it.
      expect(row.next_attempt_at - t0).toBeGreaterThanOrEqual(500);
      expect(row.next_attempt_at - t0).toBeLessThanOrEqual(1_000);

      // Not due yet: nothing is sent.
      clock.ms = row.next_attempt_at - 1;
      expect(await runWorker(store, handlers, clock)).toMatchObject({ claimed: 0 });
      expect(erp.requests(id)).toBe(1);

      clock.ms = row.next_attempt_at;
      const t1 = clock.now();
      expect(await runWorker(store, handlers, clock)).toMatchObject({ claimed: 1, retried: 1 });
      row = await item(store, id);
      expect(row.attempts).toBe(2);
      // The second wait doubles: between 1000 and 2000 ms.
      expect(row.next_attempt_at - t1).toBeGreaterThanOrEqual(1_000);
      expect(row.next_attempt_at - t1).toBeLessThanOrEqual(2_000);

      clock.ms = row.next_attempt_at;
      expect(await runWorker(store, handlers, clock)).toMatchObject({ claimed: 1, done: 1 });
      row = await item(store, id);
      expect(row).toMatchObject({ status: 'done', attempts: 3, claim_id: null, lease_expires_at: null });
      expect(row.erp_id).toMatch(/^ERP-\d+$/);
      expect(erp.requests(id)).toBe(3);
      expect(erp.effects.filter((e) => e.key === id)).toHaveLength(1);

      clock.advance(3_600_000);
      expect(await runWorker(store, handlers, clock)).toMatchObject({ claimed: 0 });
      expect(erp.requests(id)).toBe(3);
    });

    it('sets an item aside as poison when the ERP refuses it, and goes on with the others', async () => {
      const [refused, fine] = await enqueueAll(store, [request(map, 'create', 'doc-refused'), request(map, 'create', 'doc-fine')]);
      erp.refuse('doc-refused', 'Warehouse code is required');
      expect(await runWorker(store, handlers, clock)).toMatchObject({ claimed: 2, poisoned: 1, done: 1 });
      expect(await item(store, refused?.id ?? '')).toMatchObject({ status: 'poison', attempts: 1, last_error_code: 'erp-user-error', last_error_message: 'Warehouse code is required' });
      expect((await item(store, fine?.id ?? '')).status).toBe('done');
      // Poison stays put: never retried on its own.
      clock.advance(86_400_000);
      expect(await runWorker(store, handlers, clock)).toMatchObject({ claimed: 0 });
      expect(erp.requests(refused?.id ?? '')).toBe(1);
      erp.clearRefusal('doc-refused');
    });

    it('sets an item aside as poison when its attempts run out', async () => {
      const [queued] = await enqueueAll(store, [request(map, 'create', 'doc-down')]);
      const id = queued?.id ?? '';
      erp.failWith503('doc-down', 1_000);
      for (let attempt = 1; attempt <= 3; attempt += 1) {
        const result = await runWorker(store, handlers, clock, { config: { maxAttempts: 3 } });
        expect(result.claimed).toBe(1);
        clock.ms = (await item(store, id)).next_attempt_at;
      }
      expect(await item(store, id)).toMatchObject({ status: 'poison', attempts: 3, last_error_code: 'erp-server-error' });
      expect(erp.requests(id)).toBe(3);
      erp.failWith503('doc-down', 0);
    });

    it('queues a paused map, and delivers its queue in order on resume', async () => {
      await setMapPaused(store, map, true, 'ERP maintenance', clock.now());
      const queued = await enqueueAll(store, ['doc-a', 'doc-b', 'doc-c'].map((d) => request(map, 'create', d)));
      await enqueueAll(store, [request(map, 'update', 'doc-a')]);
      for (let i = 0; i < 3; i += 1) {
        expect(await runWorker(store, handlers, clock)).toMatchObject({ claimed: 0 });
        clock.advance(60_000);
      }
      expect(erp.effects.filter((e) => e.map === map)).toEqual([]);
      expect((await allItems(store)).filter((i) => i.map_name === map).every((i) => i.status === 'pending')).toBe(true);

      await setMapPaused(store, map, false, null, clock.now());
      await runWorker(store, handlers, clock);
      await runWorker(store, handlers, clock);
      const delivered = erp.effects.filter((e) => e.map === map).map((e) => `${e.operation} ${e.documentId}`);
      expect(delivered).toEqual(['create doc-a', 'create doc-b', 'create doc-c', 'update doc-a']);
      expect(queued.map((q) => q.created)).toEqual([true, true, true]);
    });

    it('never delivers a later item of a document before an earlier one, also while the earlier one fails', async () => {
      const [createA, updateA, createB, updateA2] = await enqueueAll(store, [
        request(map, 'create', 'doc-a'),
        request(map, 'update', 'doc-a', { dedupeKey: 'v2' }),
        request(map, 'create', 'doc-b'),
        request(map, 'update', 'doc-a', { dedupeKey: 'v3' }),
      ]);
      erp.failWith503('doc-a', 1);
      // Run 1: doc-a's create fails; doc-b goes ahead; doc-a's updates wait behind their create.
      expect(await runWorker(store, handlers, clock)).toMatchObject({ claimed: 2, retried: 1, done: 1 });
      expect((await item(store, updateA?.id ?? '')).attempts).toBe(0);
      expect((await item(store, createB?.id ?? '')).status).toBe('done');
      clock.ms = (await item(store, createA?.id ?? '')).next_attempt_at;
      // Each run delivers the next item of doc-a, one at a time.
      await runWorker(store, handlers, clock);
      await runWorker(store, handlers, clock);
      await runWorker(store, handlers, clock);
      const forA = erp.effects.filter((e) => e.map === map && e.documentId === 'doc-a').map((e) => e.key);
      expect(forA).toEqual([createA?.id, updateA?.id, updateA2?.id]);
    });

    it('keeps a document waiting behind a poison item until it is retried', async () => {
      const [create, update] = await enqueueAll(store, [request(map, 'create', 'doc-p'), request(map, 'update', 'doc-p')]);
      erp.refuse('doc-p', 'Closed purchase order');
      await runWorker(store, handlers, clock);
      erp.clearRefusal('doc-p');
      clock.advance(86_400_000);
      expect(await runWorker(store, handlers, clock)).toMatchObject({ claimed: 0 });
      expect((await item(store, update?.id ?? '')).status).toBe('pending');
      expect(erp.requests(update?.id ?? '')).toBe(0);
      expect((await item(store, create?.id ?? '')).status).toBe('poison');
    });

    it('waits, without failing, for items no handler is registered for', async () => {
      const [queued] = await enqueueAll(store, [request(map, 'delete', 'doc-x')]);
      expect(await runWorker(store, handlers, clock)).toMatchObject({ claimed: 0 });
      expect(await item(store, queued?.id ?? '')).toMatchObject({ status: 'pending', attempts: 0, last_error_code: null });
    });

    it('does not start a delivery that could outlive its lease: the item goes back unattempted', async () => {
      const [queued] = await enqueueAll(store, [request(map, 'create', 'doc-lease')]);
      const result = await runWorker(store, handlers, clock, { callTimeoutMs: 200_000 });
      expect(result).toMatchObject({ claimed: 1, released: 1, done: 0 });
      expect(await item(store, queued?.id ?? '')).toMatchObject({ status: 'pending', attempts: 0, claim_id: null });
      expect(erp.requests(queued?.id ?? '')).toBe(0);
    });

    it('runs outcome hooks in the transaction that records the outcome; a failing hook leaves the item to be delivered again', async () => {
      const seen: string[] = [];
      const errors: string[] = [];
      const withHooks = new OutboxHandlers();
      withHooks.register(map, 'create', erpHandler(erp.url), {
        async onDone(writer, done, erpId) {
          // The hook sees the item already done, in its own transaction, and writes the ERP id onto our document.
          const row = await writer.trx.selectFrom('erp_outbox').select(['status', 'erp_id']).where('id', '=', done.id).executeTakeFirstOrThrow();
          seen.push(`${row.status} ${row.erp_id === erpId}`);
          writer.put({ collection: 'outbox-hook-test', id: done.documentId, data: { id: done.documentId, erpId, _deleted: false }, scopeA: null, scopeB: null });
        },
        onPoison() {
          return Promise.reject(new Error('could not mark the document rejected'));
        },
      });
      const log = { info: () => undefined, warn: () => undefined, error: (_fields: object, message: string) => errors.push(message) };
      const [ok, refused] = await enqueueAll(store, [request(map, 'create', 'doc-hook'), request(map, 'create', 'doc-hook-refused')]);
      erp.refuse('doc-hook-refused', 'Name is required');
      expect(await runWorker(store, withHooks, clock, { log })).toMatchObject({ claimed: 2, done: 1, poisoned: 0 });
      expect(seen).toEqual(['done true']);
      const doc = await store.db.selectFrom('docs').select('data').where('collection', '=', 'outbox-hook-test').where('id', '=', 'doc-hook').executeTakeFirstOrThrow();
      expect(JSON.parse(doc.data)).toMatchObject({ erpId: (await item(store, ok?.id ?? '')).erp_id });
      // The poison hook failed: nothing was recorded, the item waits in flight for its lease to end.
      expect(errors).toEqual([expect.stringMatching(/recording a delivery failed/)]);
      const stuck = await item(store, refused?.id ?? '');
      expect(stuck).toMatchObject({ status: 'in-flight', last_error_code: null });
      clock.ms = Number(stuck.lease_expires_at);
      erp.clearRefusal('doc-hook-refused');
      expect(await runWorker(store, withHooks, clock, { log })).toMatchObject({ reclaimed: 1, done: 1 });
      expect(seen).toEqual(['done true', 'done true']);
    });

    it('counts a handler that hangs as a timeout, retried later', async () => {
      const [queued] = await enqueueAll(store, [request(map, 'create', 'doc-hang')]);
      const hanging = new OutboxHandlers();
      let aborted = false;
      hanging.register(map, 'create', (delivery) => new Promise(() => delivery.signal.addEventListener('abort', () => (aborted = true))));
      expect(await runWorker(store, hanging, clock, { callTimeoutMs: 50 })).toMatchObject({ retried: 1 });
      expect(aborted).toBe(true);
      expect(await item(store, queued?.id ?? '')).toMatchObject({ status: 'pending', attempts: 1, last_error_code: 'erp-timeout' });
    });
  });
}
