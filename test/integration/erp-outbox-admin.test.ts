/**
 * The ERP outbox as administrators see it: the admin API (list, retry,
 * pause, resume, status; admin role only; bad input answered with
 * `{ code, message }`), one warning per map when errors pile up, the
 * metrics, and the worker the server runs on its own.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OutboxAlerts } from '../../server/erp/outbox/alerts.js';
import { OutboxHandlers } from '../../server/erp/outbox/handlers.js';
import { outboxCounters } from '../../server/erp/outbox/service.js';
import type { MapStatusView, OutboxItemView, OutboxStatusView } from '../../shared/erp/outbox-wire.js';
import type { OutboxLog } from '../../server/erp/outbox/worker.js';
import { ErpError } from '../../server/erp/errors.js';
import { api, startTestServer, type TestServer } from '../helpers/server.js';
import { ENGINES, describeEngine, expectErrorBody } from './api-support.js';
import { erpHandler, startFakeErp, type FakeErp } from './erp-outbox-erp.js';
import { TEST_OUTBOX, TestClock, enqueueAll, item, request, runWorker } from './erp-outbox-support.js';

const ROUTES = [
  ['GET', '/api/v1/admin/erp/outbox'],
  ['GET', '/api/v1/admin/erp/status'],
  ['POST', '/api/v1/admin/erp/outbox/some-id/retry'],
  ['POST', '/api/v1/admin/erp/maps/warehouses/pause'],
  ['POST', '/api/v1/admin/erp/maps/warehouses/resume'],
] as const;

function capturingLog() {
  const lines: { level: string; fields: object; message: string }[] = [];
  const log: OutboxLog = {
    info: (fields, message) => lines.push({ level: 'info', fields, message }),
    warn: (fields, message) => lines.push({ level: 'warn', fields, message }),
    error: (fields, message) => lines.push({ level: 'error', fields, message }),
  };
  return { log, lines };
}

async function metricValue(server: TestServer, name: string, labels: Record<string, string>): Promise<number | undefined> {
  const r = await fetch(`${server.url}/metrics`);
  const text = await r.text();
  const wanted = Object.entries(labels)
    .map(([k, v]) => `${k}="${v}"`)
    .sort();
  for (const line of text.split('\n')) {
    const match = /^([a-z_]+)\{([^}]*)\} (\S+)$/.exec(line);
    if (!match || match[1] !== name) continue;
    const have = (match[2] ?? '').split(',').sort();
    if (wanted.every((w) => have.includes(w))) return Number(match[3]);
  }
  return undefined;
}

for (const engine of ENGINES) {
  describeEngine(engine, 'ERP outbox admin API', () => {
    let server: TestServer;
    let erp: FakeErp;
    let admin: string;
    const clock = new TestClock();

    beforeAll(async () => {
      server = await startTestServer({ engine, config: { erpOutbox: { ...TEST_OUTBOX, alertThreshold: 2 } } });
      erp = await startFakeErp();
      admin = await server.token('admin');
    });
    afterAll(async () => {
      await erp?.close();
      await server?.close();
    });

    it('answers 401 without a token and 403 to other roles, on every route', async () => {
      const tech = await server.token('tech1');
      for (const [method, path] of ROUTES) {
        const anonymous = await api(server, undefined, method, path);
        expect(anonymous.status, `${method} ${path}`).toBe(401);
        expectErrorBody(anonymous.body, 'unauthorized');
        const forbidden = await api(server, tech, method, path);
        expect(forbidden.status, `${method} ${path}`).toBe(403);
        expectErrorBody(forbidden.body, 'forbidden');
      }
    });

    it('answers bad input with 400, an unknown item with 404 and a retry of a non-poison item with 409', async () => {
      for (const path of ['/api/v1/admin/erp/outbox?status=stuck', '/api/v1/admin/erp/outbox?limit=ten', '/api/v1/admin/erp/outbox?map=Bad%20Name', '/api/v1/admin/erp/outbox?token=x']) {
        const r = await api(server, admin, 'GET', path);
        expect(r.status, path).toBe(400);
        expectErrorBody(r.body, 'invalid-request');
      }
      const badMap = await api(server, admin, 'POST', '/api/v1/admin/erp/maps/..%2Fetc/pause', {});
      expect(badMap.status).toBe(400);
      const badBody = await api(server, admin, 'POST', '/api/v1/admin/erp/maps/warehouses/pause', { reason: 'x', until: 'later' });
      expect(badBody.status).toBe(400);
      expectErrorBody(badBody.body, 'invalid-request');
      const unknown = await api(server, admin, 'POST', '/api/v1/admin/erp/outbox/no-such-item/retry');
      expect(unknown.status).toBe(404);
      expectErrorBody(unknown.body, 'not-found');
      const [queued] = await enqueueAll(server.fieldstock.ctx.store, [request('not-poison', 'create', 'doc-1')]);
      const notPoison = await api(server, admin, 'POST', `/api/v1/admin/erp/outbox/${queued?.id}/retry`);
      expect(notPoison.status).toBe(409);
      expectErrorBody(notPoison.body, 'status-not-allowed');
    });

    it('lists a refused item with its error, retries it on request, and it is then delivered', async () => {
      const store = server.fieldstock.ctx.store;
      const handlers = new OutboxHandlers();
      handlers.register('warehouses', 'create', erpHandler(erp.url));
      const [queued] = await enqueueAll(store, [request('warehouses', 'create', 'wh-1', { payload: { code: 'WH-9' } })]);
      const id = queued?.id ?? '';
      erp.refuse('wh-1', 'The field "Code" on "Location" is required.');
      await runWorker(store, handlers, clock);

      const listed = await api<{ items: OutboxItemView[] }>(server, admin, 'GET', '/api/v1/admin/erp/outbox?status=poison&map=warehouses');
      expect(listed.status).toBe(200);
      expect(listed.body.items).toHaveLength(1);
      expect(listed.body.items[0]).toMatchObject({
        id,
        map: 'warehouses',
        operation: 'create',
        documentId: 'wh-1',
        status: 'poison',
        attempts: 1,
        erpId: null,
        payload: { code: 'WH-9' },
        lastError: { code: 'erp-user-error', message: 'The field "Code" on "Location" is required.' },
      });

      const status = await api<OutboxStatusView>(server, admin, 'GET', '/api/v1/admin/erp/status');
      expect(status.status).toBe(200);
      expect(status.body.alertThreshold).toBe(2);
      const wh = status.body.maps.find((m) => m.map === 'warehouses');
      expect(wh).toMatchObject({ paused: false, depth: { pending: 0, 'in-flight': 0, done: 0, poison: 1 }, lastError: { itemId: id, code: 'erp-user-error' }, alert: false });

      erp.clearRefusal('wh-1');
      const retried = await api<{ item: OutboxItemView }>(server, admin, 'POST', `/api/v1/admin/erp/outbox/${id}/retry`);
      expect(retried.status).toBe(200);
      expect(retried.body.item).toMatchObject({ id, status: 'pending', attempts: 0, lastError: { code: 'erp-user-error' } });
      const twice = await api(server, admin, 'POST', `/api/v1/admin/erp/outbox/${id}/retry`);
      expect(twice.status).toBe(409);

      expect(await runWorker(store, handlers, clock)).toMatchObject({ done: 1 });
      const done = await item(store, id);
      expect(done.status).toBe('done');
      expect(erp.effects.filter((e) => e.key === id)).toHaveLength(1);
      const after = await api<OutboxStatusView>(server, admin, 'GET', '/api/v1/admin/erp/status');
      expect(after.body.maps.find((m) => m.map === 'warehouses')?.depth).toEqual({ pending: 0, 'in-flight': 0, done: 1, poison: 0 });
    });

    it('pauses and resumes a map: changes queue while paused and are delivered in order on resume', async () => {
      const store = server.fieldstock.ctx.store;
      const handlers = new OutboxHandlers();
      handlers.register('assets', 'create', erpHandler(erp.url));
      const paused = await api<MapStatusView>(server, admin, 'POST', '/api/v1/admin/erp/maps/assets/pause', { reason: 'ERP upgrade' });
      expect(paused.status).toBe(200);
      expect(paused.body).toMatchObject({ map: 'assets', paused: true, reason: 'ERP upgrade', handledOperations: [] });
      expect(paused.body.pausedAt).not.toBeNull();

      const queued = await enqueueAll(store, ['a-1', 'a-2', 'a-3'].map((d) => request('assets', 'create', d)));
      expect(await runWorker(store, handlers, clock)).toMatchObject({ claimed: 0 });
      const waiting = await api<OutboxStatusView>(server, admin, 'GET', '/api/v1/admin/erp/status');
      const assets = waiting.body.maps.find((m) => m.map === 'assets');
      expect(assets).toMatchObject({ paused: true, depth: { pending: 3 } });
      expect(assets?.oldestPendingAgeMs).toBeGreaterThanOrEqual(0);

      const resumed = await api<MapStatusView>(server, admin, 'POST', '/api/v1/admin/erp/maps/assets/resume');
      expect(resumed.status).toBe(200);
      expect(resumed.body).toMatchObject({ paused: false, pausedAt: null, reason: null });
      expect(await runWorker(store, handlers, clock)).toMatchObject({ done: 3 });
      expect(erp.effects.filter((e) => e.map === 'assets').map((e) => e.key)).toEqual(queued.map((q) => q.id));
      const drained = await api<OutboxStatusView>(server, admin, 'GET', '/api/v1/admin/erp/status');
      expect(drained.body.maps.find((m) => m.map === 'assets')?.oldestPendingAgeMs).toBeNull();

      // A reason is optional, and so is a body; a map with nothing queued yet can be paused too.
      const bare = await api<MapStatusView>(server, admin, 'POST', '/api/v1/admin/erp/maps/new-map/pause');
      expect(bare.status).toBe(200);
      expect(bare.body).toMatchObject({ map: 'new-map', paused: true, reason: null, depth: { pending: 0, 'in-flight': 0, done: 0, poison: 0 }, lastError: null });
      expect((await api<MapStatusView>(server, admin, 'POST', '/api/v1/admin/erp/maps/new-map/resume', {})).body.paused).toBe(false);
    });

    it('warns once when poison items pile up, shows it in the metrics, and notes when it clears', async () => {
      const store = server.fieldstock.ctx.store;
      const handlers = new OutboxHandlers();
      handlers.register('terms', 'create', erpHandler(erp.url));
      const { log, lines } = capturingLog();
      const alerts = new OutboxAlerts(2, log);
      const counters = outboxCounters(server.fieldstock.ctx.metrics);
      const queued = await enqueueAll(store, ['t-1', 't-2', 't-3'].map((d) => request('terms', 'create', d)));
      for (const d of ['t-1', 't-2', 't-3']) erp.refuse(d, 'Payment term is in use');
      // Several runs (and checks) with the errors in place: one warning, not one per item or per run.
      await runWorker(store, handlers, clock, { counters, log });
      for (let i = 0; i < 3; i += 1) {
        await alerts.check(store.db);
        await runWorker(store, handlers, clock, { counters, log });
      }
      const warnings = lines.filter((l) => l.level === 'warn' && /alert threshold/.test(l.message));
      expect(warnings).toHaveLength(1);
      expect(warnings[0]?.fields).toMatchObject({ map: 'terms', poison: 3, threshold: 2 });

      expect(await metricValue(server, 'fieldstock_erp_outbox_alert', { map: 'terms' })).toBe(1);
      expect(await metricValue(server, 'fieldstock_erp_outbox_items', { map: 'terms', status: 'poison' })).toBe(3);
      expect(await metricValue(server, 'fieldstock_erp_outbox_deliveries_total', { map: 'terms', operation: 'create', outcome: 'poison' })).toBe(3);
      expect(await metricValue(server, 'fieldstock_erp_outbox_errors_total', { map: 'terms', code: 'erp-user-error' })).toBe(3);
      const status = await api<OutboxStatusView>(server, admin, 'GET', '/api/v1/admin/erp/status');
      expect(status.body.maps.find((m) => m.map === 'terms')?.alert).toBe(true);

      for (const d of ['t-1', 't-2', 't-3']) erp.clearRefusal(d);
      for (const q of queued) expect((await api(server, admin, 'POST', `/api/v1/admin/erp/outbox/${q.id}/retry`)).status).toBe(200);
      await runWorker(store, handlers, clock, { counters, log });
      await alerts.check(store.db);
      await alerts.check(store.db);
      expect(lines.filter((l) => l.level === 'info' && /below the alert threshold/.test(l.message))).toHaveLength(1);
      expect(await metricValue(server, 'fieldstock_erp_outbox_alert', { map: 'terms' })).toBe(0);
      expect(await metricValue(server, 'fieldstock_erp_outbox_items', { map: 'terms', status: 'poison' })).toBe(0);
      expect(await metricValue(server, 'fieldstock_erp_outbox_deliveries_total', { map: 'terms', operation: 'create', outcome: 'done' })).toBe(3);
    });

    it('reports the lag of the oldest waiting item and the retry backlog', async () => {
      const store = server.fieldstock.ctx.store;
      await enqueueAll(store, [request('lagging', 'create', 'l-1')]);
      // Created now by the wall clock; the metric says how old it is, at least 0 and finite.
      const lag = await metricValue(server, 'fieldstock_erp_outbox_oldest_pending_seconds', { map: 'lagging' });
      expect(lag).toBeGreaterThanOrEqual(0);
      expect(await metricValue(server, 'fieldstock_erp_outbox_items', { map: 'lagging', status: 'pending' })).toBe(1);
      expect(await metricValue(server, 'fieldstock_erp_outbox_retrying', { map: 'lagging' })).toBe(0);
    });
  });
}

describe('the server delivering on its own', () => {
  let server: TestServer;
  let erp: FakeErp;
  const unregister: (() => void)[] = [];

  beforeAll(async () => {
    erp = await startFakeErp();
    server = await startTestServer({ demo: false, config: { erpOutbox: { ...TEST_OUTBOX, intervalMs: 10, backoffBaseMs: 1, backoffMaxMs: 5 } } });
    // On the app's handlers, which its worker delivers with (each run claims what has a handler by then).
    const handlers = server.fieldstock.ctx.outboxHandlers;
    unregister.push(handlers.register('timer-map', 'create', erpHandler(erp.url)));
    let calls = 0;
    // Fails once with an unexpected exception, then once with an ERP refusal: neither may stop the worker.
    unregister.push(
      handlers.register('timer-map', 'update', async () => {
        calls += 1;
        if (calls === 1) throw new TypeError('handler bug');
        throw new ErpError('erp-user-error', 'refused');
      }),
    );
  });
  afterAll(async () => {
    for (const u of unregister) u();
    await server?.close();
    await erp?.close();
  });

  it('delivers queued items with the handlers registered on the app, and survives handlers that throw', async () => {
    const store = server.fieldstock.ctx.store;
    const [create, update] = await enqueueAll(store, [request('timer-map', 'create', 'doc-t'), request('timer-map', 'update', 'doc-t')]);
    const deadline = Date.now() + 20_000;
    while ((await item(store, update?.id ?? '')).status !== 'poison') {
      if (Date.now() > deadline) throw new Error('the server did not deliver the items on its own');
      await new Promise((r) => setTimeout(r, 20));
    }
    expect((await item(store, create?.id ?? '')).status).toBe('done');
    expect(await item(store, update?.id ?? '')).toMatchObject({ status: 'poison', attempts: 2, last_error_code: 'erp-user-error' });
    expect(erp.requests(create?.id ?? '')).toBe(1);
    // Still serving.
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
  });
});
