/**
 * Outbox handlers belong to an app (AppContext.outboxHandlers), not to the
 * process: two backends in one process register the same (map, operation)
 * without refusing each other, each app's own worker delivers its items with
 * its own handlers, each admin status lists its own handled operations, and
 * closing one app leaves the other delivering. (With Tryton, where the apps
 * register their handlers themselves: tryton-outbox-two-apps.test.ts.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { OutboxStatusView } from '../../shared/erp/outbox-wire.js';
import type { Store } from '../../server/store/open.js';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { erpHandler, startFakeErp, type FakeErp } from './erp-outbox-erp.js';
import { TEST_OUTBOX, enqueueAll, item, request } from './erp-outbox-support.js';

/** Waits until the item is delivered by the app's own timer; fails the test if it never is. */
async function delivered(store: Store, id: string): Promise<void> {
  const deadline = Date.now() + 20_000;
  while ((await item(store, id)).status !== 'done') {
    if (Date.now() > deadline) throw new Error(`outbox item ${id} was not delivered: ${JSON.stringify(await item(store, id))}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function handledOperations(server: TestServer, map: string): Promise<string[] | undefined> {
  const r = await api<OutboxStatusView>(server, await server.token('admin'), 'GET', '/api/v1/admin/erp/status');
  expect(r.status).toBe(200);
  return r.body.maps.find((m) => m.map === map)?.handledOperations;
}

describe('ERP outbox handlers per app: two backends in one process', () => {
  let a: TestServer | undefined;
  let b: TestServer;
  let erpA: FakeErp;
  let erpB: FakeErp;
  // Each app's own timer delivers (a short interval), as in production.
  const config = { erpOutbox: { ...TEST_OUTBOX, intervalMs: 10, backoffBaseMs: 1, backoffMaxMs: 5 } };

  beforeAll(async () => {
    [erpA, erpB] = await Promise.all([startFakeErp(), startFakeErp()]);
    a = await startTestServer({ demo: false, config });
    b = await startTestServer({ demo: false, config });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await erpA?.close();
    await erpB?.close();
  });

  it('each app delivers its own items with its own handlers, and closing one leaves the other delivering', async () => {
    if (!a) throw new Error('server A did not start');
    const handlersA = a.fieldstock.ctx.outboxHandlers;
    const handlersB = b.fieldstock.ctx.outboxHandlers;
    expect(handlersA).not.toBe(handlersB);
    // The same pair on both apps: one registry for the process would refuse the second.
    handlersA.register('per-app', 'create', erpHandler(erpA.url));
    handlersB.register('per-app', 'create', erpHandler(erpB.url));
    // Only A can deliver `only-a`: B's items of it wait in pending.
    handlersA.register('only-a', 'create', erpHandler(erpA.url));

    const storeA = a.fieldstock.ctx.store;
    const storeB = b.fieldstock.ctx.store;
    const [a1, a2] = await enqueueAll(storeA, [request('per-app', 'create', 'doc-a1'), request('only-a', 'create', 'doc-a2')]);
    const [b1, b2] = await enqueueAll(storeB, [request('per-app', 'create', 'doc-b1'), request('only-a', 'create', 'doc-b2')]);
    await Promise.all([delivered(storeA, a1?.id ?? ''), delivered(storeA, a2?.id ?? ''), delivered(storeB, b1?.id ?? '')]);

    // Each app's items reached its own ERP, through its own handlers.
    expect(erpA.effects.map((e) => e.documentId).sort()).toEqual(['doc-a1', 'doc-a2']);
    expect(erpB.effects.map((e) => e.documentId)).toEqual(['doc-b1']);
    // B's worker ran after doc-b2 was queued (it delivered doc-b1, queued with it) and left it alone.
    expect(await item(storeB, b2?.id ?? '')).toMatchObject({ status: 'pending', attempts: 0 });
    // Each admin status lists the operations its own app handles.
    expect(await handledOperations(a, 'only-a')).toEqual(['create']);
    expect(await handledOperations(b, 'only-a')).toEqual([]);
    expect(await handledOperations(b, 'per-app')).toEqual(['create']);

    await a.close();
    a = undefined;
    // A's close touched only A: B still has its handler, and its worker still delivers with it.
    expect(handlersB.pairs()).toEqual([{ map: 'per-app', operation: 'create' }]);
    const [b3] = await enqueueAll(storeB, [request('per-app', 'create', 'doc-b3')]);
    await delivered(storeB, b3?.id ?? '');
    expect(erpB.effects.map((e) => e.documentId)).toEqual(['doc-b1', 'doc-b3']);
    expect(erpA.effects).toHaveLength(2);
    expect((await item(storeB, b2?.id ?? '')).status).toBe('pending');
  });
});
