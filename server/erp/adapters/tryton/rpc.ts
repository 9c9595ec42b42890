/**
 * Tryton JSON-RPC client (facts: ../shared/notes/tryton.md).
 *
 * - One session per client: `common.db.login` once, then
 *   `Authorization: Session base64(login:user_id:key)` on every call (a
 *   session call costs 10–50 ms; Basic auth would hash the password each time).
 * - HTTP 401 means the session is gone (server restarted, session timed out):
 *   log in again, once, and repeat the call. A 401 is sent before the call is
 *   dispatched, so repeating it never applies a write twice.
 * - The user context comes once from `model.res.user.get_preferences` and is
 *   the last parameter of every call (company, language, ...).
 * - A login answered 429 (too many attempts) is retried after growing waits.
 * - Every call has a timeout (AbortSignal.timeout); failures become ErpError
 *   with Tryton's own message. The password lives in a Secret and the session
 *   key in a private field: neither appears in an error, a log or inspect().
 */
import type { Secret } from '../../secret.js';
import { ErpError } from '../../errors.js';
import type { ErpValue } from '../../values.js';
import { decodeValue, encodeValue } from './values.js';

export interface TrytonRpcOptions {
  /** Base URL, e.g. http://127.0.0.1:8000. */
  url: string;
  database: string;
  user: string;
  password: Secret;
  /** Longest wait for one HTTP exchange. */
  timeoutMs: number;
  language?: string;
  /** Waits before each retry of a login answered 429; the login fails with `erp-rate-limited` after the last. */
  loginBackoffMs?: readonly number[];
}

export interface TrytonRpcStats {
  /** Successful logins, the first included. */
  logins: number;
  /** Logins caused by a 401 on a live session. */
  relogins: number;
  /** Logins answered 429 and waited on. */
  rateLimited: number;
}

type Context = Record<string, unknown>;

interface Session {
  header: string;
  /** Increases with every login, so concurrent callers that all saw one 401 log in once. */
  generation: number;
}

const DEFAULT_LOGIN_BACKOFF_MS = [1_000, 2_000, 4_000];
const MAX_SERVER_MESSAGE = 500;

export class TrytonRpc {
  readonly stats: TrytonRpcStats = { logins: 0, relogins: 0, rateLimited: 0 };
  readonly #options: TrytonRpcOptions;
  readonly #base: string;
  #session: Session | undefined;
  #loggingIn: Promise<Session> | undefined;
  #context: Context | undefined;
  #loadingContext: Promise<Context> | undefined;
  #generation = 0;
  #nextId = 1;

  constructor(options: TrytonRpcOptions) {
    this.#options = options;
    this.#base = options.url.replace(/\/+$/, '');
  }

  /** Where this client talks to, for messages (no credentials). */
  get target(): string {
    return `${this.#base}/${this.#options.database}`;
  }

  /** `model.<model>.<method>` with the user context appended (merged with `context`). */
  model(model: string, method: string, params: readonly ErpValue[], context?: Readonly<Record<string, ErpValue>>): Promise<ErpValue> {
    return this.call(`model.${model}.${method}`, params, context);
  }

  /** Any database method; the user context (plus `context`) is appended as the last parameter. */
  async call(method: string, params: readonly ErpValue[], context?: Readonly<Record<string, ErpValue>>): Promise<ErpValue> {
    const base = await this.context();
    const extra = context ? (encodeValue(context) as Context) : {};
    const wireParams = [...params.map((p) => encodeValue(p)), { ...base, ...extra }];
    const result = await this.#authed(method, wireParams);
    try {
      return decodeValue(result);
    } catch (error) {
      throw new ErpError('erp-protocol', `Tryton answered ${method} with a malformed value: ${(error as Error).message}`, { method });
    }
  }

  /** The user context sent with every call, fetched once. */
  async context(): Promise<Readonly<Context>> {
    if (this.#context) return this.#context;
    this.#loadingContext ??= this.#fetchContext().finally(() => {
      this.#loadingContext = undefined;
    });
    return this.#loadingContext;
  }

  /** Fetches the context again (after the user's company or preferences changed). */
  async refreshContext(): Promise<Readonly<Context>> {
    this.#context = undefined;
    return this.context();
  }

  /** Tryton's version; needs no login. */
  async version(): Promise<string> {
    const result = await this.#result('common.server.version', await this.#post(`${this.#base}/`, 'common.server.version', [], undefined));
    if (typeof result !== 'string') throw new ErpError('erp-protocol', 'Tryton answered common.server.version with a non-string', { method: 'common.server.version' });
    return result;
  }

  /** Ends the session on the server (best effort: an unreachable server has no session to end). */
  async logout(): Promise<void> {
    const session = this.#session;
    this.#session = undefined;
    this.#context = undefined;
    if (!session) return;
    try {
      await this.#post(this.#dbUrl(), 'common.db.logout', [], session.header);
    } catch {
      // The session expires on its own.
    }
  }

  async #fetchContext(): Promise<Context> {
    const result = await this.#authed('model.res.user.get_preferences', [true, {}]);
    if (result === null || typeof result !== 'object' || Array.isArray(result)) {
      throw new ErpError('erp-protocol', 'Tryton answered model.res.user.get_preferences with a non-object', { method: 'model.res.user.get_preferences' });
    }
    this.#context = result as Context;
    return this.#context;
  }

  /** One call with the session, logging in again once on 401. */
  async #authed(method: string, params: readonly unknown[]): Promise<unknown> {
    let session = await this.#ensureSession();
    let response = await this.#post(this.#dbUrl(), method, params, session.header);
    if (response.status === 401) {
      session = await this.#relogin(session);
      response = await this.#post(this.#dbUrl(), method, params, session.header);
      if (response.status === 401) {
        this.#session = undefined;
        throw new ErpError('erp-session-rejected', `Tryton rejected a fresh session of user "${this.#options.user}" on ${this.target} for ${method}`, { method });
      }
    }
    return this.#result(method, response);
  }

  #ensureSession(): Promise<Session> {
    if (this.#session) return Promise.resolve(this.#session);
    this.#loggingIn ??= this.#login().finally(() => {
      this.#loggingIn = undefined;
    });
    return this.#loggingIn;
  }

  #relogin(stale: Session): Promise<Session> {
    // Another call already replaced the session that got the 401.
    if (this.#session && this.#session.generation !== stale.generation) return Promise.resolve(this.#session);
    if (this.#session === stale) {
      this.#session = undefined;
      this.stats.relogins += 1;
    }
    return this.#ensureSession();
  }

  async #login(): Promise<Session> {
    const { user, password, language = 'en' } = this.#options;
    const backoff = this.#options.loginBackoffMs ?? DEFAULT_LOGIN_BACKOFF_MS;
    const method = 'common.db.login';
    for (let attempt = 0; ; attempt += 1) {
      const response = await this.#post(this.#dbUrl(), method, [user, { password: password.reveal() }, language], undefined);
      if (response.status === 429) {
        this.stats.rateLimited += 1;
        const wait = backoff[attempt];
        if (wait === undefined) throw new ErpError('erp-rate-limited', `Tryton refuses logins of user "${user}" on ${this.target} for now (too many attempts); gave up after ${attempt + 1} tries`, { method });
        await sleep(wait);
        continue;
      }
      if (response.status === 401 || response.status === 403) {
        throw new ErpError('erp-login-failed', `Tryton refused the login of user "${user}" on ${this.target} (wrong user or password)`, { method });
      }
      const result = await this.#result(method, response);
      if (!Array.isArray(result) || typeof result[0] !== 'number' || typeof result[1] !== 'string') {
        throw new ErpError('erp-protocol', `Tryton answered ${method} with an unexpected value`, { method });
      }
      this.#generation += 1;
      this.stats.logins += 1;
      const header = `Session ${Buffer.from(`${user}:${result[0]}:${result[1]}`, 'utf8').toString('base64')}`;
      this.#session = { header, generation: this.#generation };
      return this.#session;
    }
  }

  #dbUrl(): string {
    return `${this.#base}/${encodeURIComponent(this.#options.database)}/`;
  }

  /** One HTTP exchange, body included, within the timeout; transport failures become ErpError. */
  async #post(url: string, method: string, params: readonly unknown[], authorization: string | undefined): Promise<{ status: number; text: string }> {
    const id = this.#nextId++;
    const timeoutMs = this.#options.timeoutMs;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', ...(authorization ? { Authorization: authorization } : {}) },
        body: JSON.stringify({ id, method, params }),
        signal: AbortSignal.timeout(timeoutMs),
      });
      return { status: response.status, text: await response.text() };
    } catch (error) {
      if (error instanceof Error && (error.name === 'TimeoutError' || error.name === 'AbortError')) {
        throw new ErpError('erp-timeout', `Tryton at ${this.#base} did not answer ${method} within ${timeoutMs} ms; a write may or may not have happened`, { method });
      }
      const cause = error instanceof Error ? (error.cause as { code?: string; message?: string } | undefined) : undefined;
      const reason = cause?.code ?? cause?.message ?? (error instanceof Error ? error.message : String(error));
      throw new ErpError('erp-network', `cannot reach Tryton at ${this.#base} for ${method}: ${reason}`, { method });
    }
  }

  /** The `result` of a JSON-RPC answer, or the ErpError its status or `error` means. */
  async #result(method: string, response: { status: number; text: string }): Promise<unknown> {
    const { status, text } = response;
    if (status === 403) throw new ErpError('erp-forbidden', `Tryton forbids ${method} (HTTP 403)`, { method });
    if (status === 404) throw new ErpError('erp-database-not-found', `Tryton has no database "${this.#options.database}" at ${this.#base} (HTTP 404 on ${method})`, { method });
    if (status === 429) throw new ErpError('erp-rate-limited', `Tryton asks to slow down (HTTP 429 on ${method})`, { method });
    if (status >= 500) throw new ErpError('erp-server-error', `Tryton failed on ${method} (HTTP ${status})`, { method });
    if (status !== 200) throw new ErpError('erp-protocol', `Tryton answered ${method} with HTTP ${status}`, { method });
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new ErpError('erp-protocol', `Tryton answered ${method} with something that is not JSON`, { method });
    }
    if (body === null || typeof body !== 'object') throw new ErpError('erp-protocol', `Tryton answered ${method} with a non-object`, { method });
    if ('error' in body) throw trytonError(method, (body as { error: unknown }).error);
    if (!('result' in body)) throw new ErpError('erp-protocol', `Tryton answered ${method} with neither result nor error`, { method });
    return (body as { result: unknown }).result;
  }
}

/**
 * Tryton's `error` member as an ErpError. Tryton exceptions arrive as
 * [type, args] (UserError: [message, description, domain]; UserWarning:
 * [name, message, description]; ConcurrencyException: message); anything else
 * as [str(exception), traceback], whose traceback we drop.
 */
export function trytonError(method: string, error: unknown): ErpError {
  const [type, args] = Array.isArray(error) ? (error as unknown[]) : [error, undefined];
  const text = (value: unknown): string => (typeof value === 'string' ? value : '');
  const joined = (message: string, description: string): string => (description ? `${message} - ${description}` : message) || `Tryton refused ${method}`;
  if (type === 'UserError' && Array.isArray(args)) return new ErpError('erp-user-error', joined(text(args[0]), text(args[1])), { method });
  if (type === 'UserWarning' && Array.isArray(args)) return new ErpError('erp-user-warning', joined(text(args[1]), text(args[2])), { method });
  if (type === 'ConcurrencyException') return new ErpError('erp-concurrency', text(args) || 'Records were modified in the meanwhile', { method });
  if (type === 'LoginException') return new ErpError('erp-login-failed', `Tryton asks for more login parameters on ${method}`, { method });
  const summary = text(type).slice(0, MAX_SERVER_MESSAGE) || 'unknown error';
  // The SQLite backend says so in an exception (PostgreSQL answers HTTP 404, handled with the status).
  if (/^Database .* doesn't exist/.test(summary)) return new ErpError('erp-database-not-found', `Tryton on ${method}: ${summary}`, { method });
  return new ErpError('erp-server-error', `Tryton failed on ${method}: ${summary}`, { method });
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
