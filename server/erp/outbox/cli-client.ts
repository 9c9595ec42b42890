/**
 * The CLI's HTTP side: finds the server and an admin token from the
 * environment and calls the admin API. The token only ever travels in the
 * Authorization header, never in a URL (URLs end up in logs).
 */

export class CliError extends Error {
  constructor(
    message: string,
    /** 1: the server refused; 2: usage or configuration; 3: the server is unreachable. */
    readonly exitCode: 1 | 2 | 3,
  ) {
    super(message);
  }
}

export interface CliEnv {
  FIELDSTOCK_URL?: string | undefined;
  FIELDSTOCK_ADMIN_TOKEN?: string | undefined;
  FIELDSTOCK_ADMIN_USERNAME?: string | undefined;
  FIELDSTOCK_ADMIN_PASSWORD?: string | undefined;
}

const DEFAULT_URL = 'http://127.0.0.1:4310';
const TIMEOUT_MS = 15_000;

export interface AdminClient {
  url: string;
  call<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T>;
}

export function serverUrl(env: CliEnv): string {
  const raw = env.FIELDSTOCK_URL?.trim() || DEFAULT_URL;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new CliError(`FIELDSTOCK_URL must be the server's address, like ${DEFAULT_URL}, not "${raw}".`, 2);
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new CliError(`FIELDSTOCK_URL must start with http:// or https://, not "${parsed.protocol}".`, 2);
  // Credentials in a URL end up in shell history and proxy logs: use FIELDSTOCK_ADMIN_TOKEN or the password variable.
  if (parsed.username || parsed.password || parsed.search) {
    throw new CliError('FIELDSTOCK_URL must not carry credentials or a query; set FIELDSTOCK_ADMIN_TOKEN, or FIELDSTOCK_ADMIN_USERNAME and FIELDSTOCK_ADMIN_PASSWORD.', 2);
  }
  return parsed.origin + parsed.pathname.replace(/\/+$/, '');
}

/** Signs in (unless a token is given) and returns a client for the admin API. */
export async function connect(env: CliEnv): Promise<AdminClient> {
  const url = serverUrl(env);
  let token = env.FIELDSTOCK_ADMIN_TOKEN?.trim();
  if (!token) {
    const password = env.FIELDSTOCK_ADMIN_PASSWORD;
    if (!password) {
      throw new CliError('Set FIELDSTOCK_ADMIN_TOKEN to an admin access token, or FIELDSTOCK_ADMIN_PASSWORD (and FIELDSTOCK_ADMIN_USERNAME if not "admin") to sign in.', 2);
    }
    const username = env.FIELDSTOCK_ADMIN_USERNAME?.trim() || 'admin';
    const login = await request<{ accessToken: string }>(url, undefined, 'POST', '/api/v1/auth/login', { username, password });
    token = login.accessToken;
  }
  const bearer = token;
  return { url, call: (method, path, body) => request(url, bearer, method, path, body) };
}

async function request<T>(base: string, token: string | undefined, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
  let response: Response;
  try {
    response = await fetch(`${base}${path}`, {
      method,
      headers: { accept: 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}), ...(body !== undefined ? { 'content-type': 'application/json' } : {}) },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(TIMEOUT_MS),
    });
  } catch (error) {
    throw new CliError(`Cannot reach the Fieldstock server at ${base} (${reasonOf(error)}). Is it running? Set FIELDSTOCK_URL to its address.`, 3);
  }
  const text = await response.text();
  let parsed: unknown;
  try {
    parsed = text ? JSON.parse(text) : undefined;
  } catch {
    parsed = undefined;
  }
  if (response.ok) return parsed as T;
  const answer = parsed as { code?: unknown; message?: unknown } | undefined;
  const message = typeof answer?.message === 'string' ? answer.message : `HTTP ${response.status}`;
  const code = typeof answer?.code === 'string' ? answer.code : String(response.status);
  if (response.status === 401) throw new CliError(`The server refused the credentials (${code}): ${message} Check FIELDSTOCK_ADMIN_TOKEN or FIELDSTOCK_ADMIN_PASSWORD.`, 1);
  throw new CliError(`${message} (${code})`, 1);
}

function reasonOf(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return `no answer within ${TIMEOUT_MS / 1000} s`;
  const cause = error instanceof Error ? (error.cause as { code?: unknown; message?: unknown } | undefined) : undefined;
  if (cause && typeof cause.code === 'string') return cause.code;
  if (cause && typeof cause.message === 'string') return cause.message;
  return error instanceof Error ? error.message : String(error);
}
