/**
 * The Content-Security-Policy of every page the app:// protocol serves.
 *
 * Scripts come only from the app itself: no inline script, no eval, no remote
 * code. The one relaxation is the network: the renderer must reach a sync
 * server the user picks at sign-in, before anything could be stored, and a
 * policy cannot change without reloading the page. So connect-src allows
 * loopback (the backend `npm start` launches, or one on the same machine)
 * and either any https server or, when an administrator sets
 * FIELDSTOCK_ALLOWED_SERVERS, exactly those origins. Plain http to another
 * host is never allowed (the page is a secure context; it would also be
 * mixed content).
 */

const LOOPBACK_SOURCES = ['http://127.0.0.1:*', 'http://localhost:*', 'http://[::1]:*'] as const;
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface CspOptions {
  /** Server origins the renderer may connect to; null means any https server. */
  serverOrigins: readonly string[] | null;
}

export function buildContentSecurityPolicy(options: CspOptions): string {
  const servers = options.serverOrigins ?? ['https:'];
  const directives: Record<string, readonly string[]> = {
    'default-src': ["'self'"],
    'script-src': ["'self'"],
    // Fluent UI (Griffel) inserts <style> elements at run time. Styles cannot
    // run code, and script-src stays strict, so this is the accepted trade.
    'style-src': ["'self'", "'unsafe-inline'"],
    'img-src': ["'self'", 'data:', 'blob:'],
    'font-src': ["'self'", 'data:'],
    'connect-src': ["'self'", ...LOOPBACK_SOURCES, ...servers],
    'worker-src': ["'self'"],
    'object-src': ["'none'"],
    'frame-src': ["'none'"],
    'frame-ancestors': ["'none'"],
    'base-uri': ["'none'"],
    'form-action': ["'none'"],
  };
  return Object.entries(directives)
    .map(([name, sources]) => `${name} ${[...new Set(sources)].join(' ')}`)
    .join('; ');
}

/** The origin of an https URL, or of an http URL on loopback; throws on anything else. */
export function serverOrigin(raw: string): string {
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw new Error(`"${raw}" is not a URL`);
  }
  const loopback = url.protocol === 'http:' && LOOPBACK_HOSTS.has(url.hostname);
  if (url.protocol !== 'https:' && !loopback) {
    throw new Error(`"${raw}" must be an https URL (plain http is allowed only on 127.0.0.1 or localhost)`);
  }
  if (url.username || url.password) throw new Error(`"${raw}" must not carry credentials`);
  return url.origin;
}

/**
 * FIELDSTOCK_ALLOWED_SERVERS: origins separated by commas or spaces. Unset or
 * empty means no restriction beyond https; an invalid entry is a startup error
 * rather than a silently wider policy.
 */
export function parseAllowedServers(raw: string | undefined): string[] | null {
  const entries = (raw ?? '').split(/[\s,]+/).filter((entry) => entry !== '');
  if (entries.length === 0) return null;
  return [...new Set(entries.map(serverOrigin))];
}
