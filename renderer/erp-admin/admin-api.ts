/**
 * The backend's admin ERP routes, called with the session's access token
 * (refreshed once on a 401, as the sync does). Every failure comes back as
 * an ApiProblem value, never as an exception, so the screen can show it.
 */
import { AuthFailure, type AccessTokenSource } from '../session/tokens.js';
import type { DocumentTrace } from '../../shared/erp/trace-wire.js';
import type { ErpJournalPage, LevelsRun, MapStatus, OutboxItem, OutboxStatusAnswer, SyncAnswer, SyncRun, SyncRunKind } from './erp-wire.js';

/** A run asked for with wait=true answers when it ends: a first sweep of a large map takes minutes, not seconds. */
export const RUN_TIMEOUT_MS = 15 * 60_000;

export interface ApiProblem {
  /** The HTTP status; 0 when no answer came back. */
  status: number;
  code: string;
  message: string;
}

export type ApiResult<T> = { ok: true; value: T } | { ok: false; problem: ApiProblem };

export interface ErpAdminApiOptions {
  serverUrl: string;
  /** Absent: no session token to call with, every call answers `unauthorized`. */
  tokens: AccessTokenSource | undefined;
  fetch?: typeof fetch;
  timeoutMs?: number;
}

export function erpAdminApi(options: ErpAdminApiOptions) {
  const base = `${options.serverUrl.replace(/\/+$/, '')}/api/v1/admin`;
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function once(method: 'GET' | 'POST', path: string, token: string, waitMs: number): Promise<Response> {
    return doFetch(`${base}${path}`, {
      method,
      // Fastify refuses an empty body declared as JSON, so POSTs send `{}`.
      headers: { authorization: `Bearer ${token}`, ...(method === 'POST' ? { 'content-type': 'application/json' } : {}) },
      ...(method === 'POST' ? { body: '{}' } : {}),
      signal: AbortSignal.timeout(waitMs),
    });
  }

  async function call<T>(method: 'GET' | 'POST', path: string, waitMs = timeoutMs): Promise<ApiResult<T>> {
    let response: Response;
    const { tokens } = options;
    if (!tokens) return fail(401, 'unauthorized', 'This session has no access token; sign in again.');
    try {
      let token = await tokens.token();
      response = await once(method, path, token, waitMs);
      if (response.status === 401) {
        // The token expired between our check and the server's: refresh once and try again.
        await tokens.afterRejected(token);
        token = await tokens.token();
        response = await once(method, path, token, waitMs);
      }
    } catch (error) {
      if (error instanceof AuthFailure) return fail(401, 'unauthorized', 'Your session has ended; sign in again.');
      // A run that outlasts the wait goes on at the server: it is not the same as a server that never answered.
      if ((error as { name?: unknown } | null)?.name === 'TimeoutError') return fail(0, 'timeout', `The server at ${options.serverUrl} took too long to answer; what it was doing may still finish. Refresh to see.`);
      return fail(0, 'unreachable', `The server at ${options.serverUrl} did not answer. Check the connection and refresh.`);
    }
    let payload: unknown = null;
    try {
      payload = await response.json();
    } catch {
      // Not JSON (a proxy's error page): the status line says what there is to say.
    }
    if (response.ok) return { ok: true, value: payload as T };
    const body = (typeof payload === 'object' && payload !== null ? payload : {}) as { code?: unknown; message?: unknown };
    return fail(
      response.status,
      typeof body.code === 'string' ? body.code : 'http-error',
      typeof body.message === 'string' ? body.message : `The server answered ${response.status} ${response.statusText}.`,
    );
  }

  return {
    status: () => call<OutboxStatusAnswer>('GET', '/erp/status'),
    poisonItems: (limit = 100) => call<{ items: OutboxItem[] }>('GET', `/erp/outbox?status=poison&limit=${limit}`),
    retry: (id: string) => call<{ item: OutboxItem }>('POST', `/erp/outbox/${encodeURIComponent(id)}/retry`),
    pause: (map: string) => call<MapStatus>('POST', `/erp/maps/${encodeURIComponent(map)}/pause`),
    resume: (map: string) => call<MapStatus>('POST', `/erp/maps/${encodeURIComponent(map)}/resume`),
    sync: () => call<SyncAnswer>('GET', '/erp/sync'),
    /** Runs a map now and waits for its summary. Without a kind the server picks: changes, or initial before the first sweep. */
    runSync: (map: string, kind?: SyncRunKind) =>
      call<SyncRun>('POST', `/erp/sync/${encodeURIComponent(map)}/run?wait=true${kind ? `&kind=${kind}` : ''}`, RUN_TIMEOUT_MS),
    runLevels: () => call<LevelsRun>('POST', '/erp/levels/run', RUN_TIMEOUT_MS),
    erpJournals: (cursor: string | null) =>
      call<ErpJournalPage>('GET', `/erp-journals?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`),
    trace: (collection: string, id: string) => call<DocumentTrace>('GET', `/erp/trace/${encodeURIComponent(collection)}/${encodeURIComponent(id)}`),
    traceErp: (map: string, erpId: string) => call<DocumentTrace>('GET', `/erp/trace-erp/${encodeURIComponent(map)}/${encodeURIComponent(erpId)}`),
  };
}

export type ErpAdminApi = ReturnType<typeof erpAdminApi>;

function fail(status: number, code: string, message: string): { ok: false; problem: ApiProblem } {
  return { ok: false, problem: { status, code, message } };
}
