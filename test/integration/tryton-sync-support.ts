/**
 * Helpers for the ERP tests against a real trytond: a Fieldstock backend
 * configured for that Tryton (sync, and with startOutboxServer the outbox
 * too, on demand only, so each test decides when a run happens), the admin
 * API to run a map, and one outbox run.
 */
import path from 'node:path';
import { expect } from 'vitest';
import type { Config } from '../../server/config.js';
import { OUTBOX_DEFAULTS, type OutboxConfig } from '../../server/erp/outbox/config.js';
import { runOutboxOnce, type OutboxRunResult } from '../../server/erp/outbox/worker.js';
import type { RunKind, RunSummary, SyncStatus } from '../../shared/erp/sync-wire.js';
import { api, startTestServer, type Engine, type TestServer } from '../helpers/server.js';
import type { TrytonTestServer } from '../helpers/tryton/server.js';

export const TRYTON_MAPS_DIR = path.resolve('config', 'erp-maps', 'tryton');

/** A backend on the Tryton test server; the timer is off (interval 0): tests run maps through the admin API. */
export function startSyncServer(tryton: TrytonTestServer, options: SyncServerOptions = {}): Promise<TestServer> {
  return startTestServer({
    demo: options.demo ?? false,
    engine: options.engine ?? 'sqlite',
    config: {
      erp: 'tryton',
      tryton: { url: tryton.url, database: tryton.database, user: tryton.user, password: tryton.password },
      erpTimeoutMs: 10_000,
      erpSync: { mapsDir: TRYTON_MAPS_DIR, intervalMs: 0, overlapMs: options.overlapMs ?? 5_000, reconcileIntervalMs: 0 },
      ...options.config,
    },
  });
}

type SyncServerOptions = { demo?: boolean; overlapMs?: number; engine?: Engine; config?: Partial<Config> };

/** startSyncServer with the outbox timer off too: the test delivers with deliverOutbox. */
export function startOutboxServer(tryton: TrytonTestServer, options: SyncServerOptions = {}): Promise<TestServer> {
  return startSyncServer(tryton, { ...options, config: { erpOutbox: { ...OUTBOX_DEFAULTS, intervalMs: 0 }, ...options.config } });
}

/** One run of the server's outbox worker, with the app's own handlers and settings (`overrides`, e.g. a bigger batch). */
export function deliverOutbox(server: TestServer, overrides: Partial<OutboxConfig> = {}): Promise<OutboxRunResult> {
  const { ctx } = server.fieldstock;
  return runOutboxOnce({ store: ctx.store, notifier: ctx.notifier, handlers: ctx.outboxHandlers, config: { ...ctx.config.erpOutbox, ...overrides }, callTimeoutMs: ctx.config.erpTimeoutMs });
}

/** POST /api/v1/admin/erp/sync/:map/run?wait=true; fails the test on anything but a finished run without error. */
export async function runMap(server: TestServer, map: string, kind?: RunKind): Promise<RunSummary> {
  const token = await server.token('admin');
  const qs = new URLSearchParams({ wait: 'true', ...(kind ? { kind } : {}) });
  const r = await api<RunSummary>(server, token, 'POST', `/api/v1/admin/erp/sync/${map}/run?${qs.toString()}`);
  expect(r.status, JSON.stringify(r.body)).toBe(200);
  expect(r.body.error, JSON.stringify(r.body.error)).toBeNull();
  return r.body;
}

export async function syncStatus(server: TestServer): Promise<SyncStatus> {
  const r = await api<SyncStatus>(server, await server.token('admin'), 'GET', '/api/v1/admin/erp/sync');
  expect(r.status).toBe(200);
  return r.body;
}

/** The current change sequence: unchanged means no document was written. */
export async function changeSequence(server: TestServer): Promise<number> {
  const row = await server.fieldstock.ctx.store.db.selectFrom('change_counter').select('value').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(row.value);
}
