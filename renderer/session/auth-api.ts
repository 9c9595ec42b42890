/**
 * The backend's auth routes, with every failure turned into an AuthProblem
 * value instead of an exception.
 */
import { isErrorCode } from '../../shared/errors.js';
import type { LoginResponse, TokenPair } from '../../shared/wire.js';
import type { AuthProblem } from './problems.js';

export type AuthResult<T> = { ok: true; value: T } | { ok: false; problem: AuthProblem };

export interface AuthApiOptions {
  fetch?: typeof fetch;
  /** A server that does not answer in this time counts as unreachable. */
  timeoutMs?: number;
}

export function authApi(serverUrl: string, options: AuthApiOptions = {}) {
  const doFetch = options.fetch ?? ((input: RequestInfo | URL, init?: RequestInit) => fetch(input, init));
  const timeoutMs = options.timeoutMs ?? 15_000;

  async function post<T>(path: string, body: unknown): Promise<AuthResult<T>> {
    let response: Response;
    try {
      response = await doFetch(`${serverUrl}/api/v1/auth/${path}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch {
      // fetch rejects only when no HTTP answer came back: DNS, refused, offline, timeout.
      return { ok: false, problem: { kind: 'unreachable', serverUrl } };
    }
    // A reverse proxy (or the web build's dev server) answering for a backend that is down.
    if (response.status === 502 || response.status === 504) return { ok: false, problem: { kind: 'unreachable', serverUrl } };
    let payload: unknown;
    try {
      payload = response.status === 204 ? null : await response.json();
    } catch {
      return { ok: false, problem: { kind: 'not-fieldstock', serverUrl } };
    }
    if (response.ok) return { ok: true, value: payload as T };
    return { ok: false, problem: problemFrom(response, payload, serverUrl) };
  }

  return {
    login: (username: string, password: string) => post<LoginResponse>('login', { username, password }),
    refresh: (refreshToken: string) => post<TokenPair>('refresh', { refreshToken }),
    /** Ends the session on the server; the refresh token alone is enough (the access token may have expired). */
    logout: (refreshToken: string) => post<null>('logout', { refreshToken }),
  };
}

export type AuthApi = ReturnType<typeof authApi>;

function problemFrom(response: Response, payload: unknown, serverUrl: string): AuthProblem {
  const { code, message } = (typeof payload === 'object' && payload !== null ? payload : {}) as { code?: unknown; message?: unknown };
  if (!isErrorCode(code)) return { kind: 'not-fieldstock', serverUrl };
  if (code === 'invalid-credentials') return { kind: 'invalid-credentials' };
  if (code === 'too-many-requests') {
    const retryAfter = Number(response.headers.get('retry-after'));
    return { kind: 'throttled', retryAfterSeconds: Number.isFinite(retryAfter) && retryAfter > 0 ? Math.ceil(retryAfter) : null };
  }
  // On refresh: the refresh token is unknown, used or revoked; the session is over.
  if (code === 'unauthorized' || code === 'token-expired') return { kind: 'session-expired' };
  return { kind: 'server-error', code, message: typeof message === 'string' ? message : response.statusText };
}
