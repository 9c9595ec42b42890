/**
 * Recorded admin API answers for the ERP screen with an ERP connected (the
 * test backend runs with FIELDSTOCK_ERP=none, and a Tryton per renderer test
 * is too heavy). The answers are typed with the server's own types, so they
 * keep the shapes docs/api.md documents; the fetch replays them and records
 * every request the screen makes.
 */
import type { LevelsRun } from '../../../shared/erp/levels-wire.js';
import type { MapSyncStatus, RunSummary, SyncStatus } from '../../../shared/erp/sync-wire.js';
import { emptySummary } from '../../../server/erp/sync/types.js';

export const SERVER_URL = 'http://erp-recorded.test';

export function summary(kind: RunSummary['kind'], patch: Partial<RunSummary> = {}): RunSummary {
  // The server's own empty summary, so a new count cannot be missing here.
  return { ...emptySummary(kind, new Date('2026-11-20T08:00:00.000Z')), finishedAt: '2026-11-20T08:00:04.000Z', ...patch };
}

export function mapStatus(map: string, patch: Partial<MapSyncStatus> = {}): MapSyncStatus {
  return {
    map,
    collection: map,
    model: `tryton.${map}`,
    direction: 'from-erp',
    enabled: true,
    inbound: true,
    reason: null,
    running: null,
    cursor: null,
    lastRun: null,
    lastReconciledAt: null,
    lastError: null,
    errorCount: 0,
    ...patch,
  };
}

/** Products' last run: a full resync that found two differing fields on one product and could not apply another. */
export const PRODUCTS_LAST_RUN = summary('initial', {
  processed: 12,
  total: 12,
  created: 2,
  updated: 1,
  linked: 7,
  failed: 1,
  mismatches: [
    {
      erpId: '41',
      localId: 'prod-41',
      key: 'P-100',
      fields: [
        { field: 'name', local: 'Hex bolt M8', erp: 'Hex bolt M8 zinc' },
        { field: 'unit', local: 'ea', erp: 'box' },
      ],
      resolution: 'erp-wins: the local document took the ERP values',
    },
  ],
  failures: [{ erpId: '77', key: 'P-777', code: 'unknown-warehouse', message: 'Warehouse 9 is not linked yet.' }],
});

export function syncStatus(maps: MapSyncStatus[]): SyncStatus {
  return { adapter: 'tryton', enabled: true, intervalMs: 30_000, overlapMs: 5_000, reconcileIntervalMs: 600_000, maps };
}

export const LEVELS_RUN: LevelsRun = {
  runId: 'run-1',
  startedAt: '2026-11-20T09:00:00.000Z',
  finishedAt: '2026-11-20T09:00:02.000Z',
  journals: 1,
  warehouses: [
    {
      warehouseId: 'wh-main',
      warehouseCode: 'MAIN',
      products: 40,
      postings: [{ productId: 'prod-41', productNumber: 'P-100', erpLevel: 12, inFlight: 1.5, onHandBefore: 10, delta: 3.5, transactionId: 'tx-1', journalId: 'journal-1' }],
    },
    { warehouseId: 'wh-truck', warehouseCode: 'TRUCK-1', products: 0, postings: [], skipped: { code: 'erp-levels-busy', message: 'Left for the next run after 3 reads: the ERP completed a delivery of ours while its on hand was read.' } },
  ],
};

export interface Recorded {
  method: string;
  /** Path and query, without the server. */
  path: string;
}

export type Answer = { status: number; body: unknown };

/**
 * A fetch that answers the screen's reads from `sync()` and its POSTs from
 * `post(path)`, recording each request. A POST answer may be a promise the
 * test settles later (a run in progress).
 */
export function recordedServer(options: { sync: () => SyncStatus; post: (path: string) => Answer | Promise<Answer> }) {
  const requests: Recorded[] = [];
  const reply = ({ status, body }: Answer) => new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
  const fetch = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const url = new URL(typeof input === 'string' ? input : input instanceof URL ? input.href : input.url);
    const path = `${url.pathname}${url.search}`;
    const method = init?.method ?? 'GET';
    requests.push({ method, path });
    if (method === 'POST') return reply(await options.post(path));
    if (url.pathname === '/api/v1/admin/erp/status') return reply({ status: 200, body: { alertThreshold: 100, maps: [] } });
    if (url.pathname === '/api/v1/admin/erp/outbox') return reply({ status: 200, body: { items: [] } });
    if (url.pathname === '/api/v1/admin/erp-journals') return reply({ status: 200, body: { journals: [], nextCursor: null } });
    if (url.pathname === '/api/v1/admin/erp/sync') return reply({ status: 200, body: options.sync() });
    return reply({ status: 404, body: { code: 'not-found', message: `No route ${method} ${url.pathname}.` } });
  };
  return { fetch: fetch as typeof globalThis.fetch, requests, posts: () => requests.filter((r) => r.method === 'POST').map((r) => r.path) };
}

/** A session whose token never changes: the recorded server does not check it. */
export const RECORDED_SESSION = { serverUrl: SERVER_URL, tokens: { token: async () => 'recorded-admin-token', afterRejected: async () => {} } };
