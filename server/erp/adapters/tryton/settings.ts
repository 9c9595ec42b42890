/**
 * Tryton connection settings from the environment (FIELDSTOCK_TRYTON_*), read
 * by server/config.ts so a broken setting stops the backend at start with a
 * message naming the variable. The password comes from the environment or a
 * file (FIELDSTOCK_TRYTON_PASSWORD_FILE, for Docker/systemd secrets) and is
 * held in a Secret, so logging the config never shows it.
 */
import { readFileSync } from 'node:fs';
import { Secret } from '../../secret.js';

export interface TrytonSettings {
  /** Base URL of trytond, e.g. http://127.0.0.1:8000 (no credentials in it). */
  url: string;
  database: string;
  user: string;
  password: Secret;
}

/** The settings, or undefined when none is set; throws a message naming the variable when one is wrong or `required` and missing. */
export function trytonSettingsFrom(env: NodeJS.ProcessEnv, required: boolean): TrytonSettings | undefined {
  const url = env.FIELDSTOCK_TRYTON_URL?.trim() || undefined;
  const database = env.FIELDSTOCK_TRYTON_DATABASE?.trim() || undefined;
  const user = env.FIELDSTOCK_TRYTON_USER?.trim() || undefined;
  const password = readPassword(env);
  if (!required && !url && !database && !user && !password) return undefined;

  const missing = [
    ['FIELDSTOCK_TRYTON_URL', url],
    ['FIELDSTOCK_TRYTON_DATABASE', database],
    ['FIELDSTOCK_TRYTON_USER', user],
    ['FIELDSTOCK_TRYTON_PASSWORD or FIELDSTOCK_TRYTON_PASSWORD_FILE', password],
  ].filter(([, value]) => !value);
  if (missing.length > 0) throw new Error(`Tryton settings missing: ${missing.map(([name]) => name).join(', ')}`);
  return { url: baseUrl(url ?? ''), database: database ?? '', user: user ?? '', password: password ?? new Secret('') };
}

function baseUrl(raw: string): string {
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    // Not echoed: a malformed URL may still hold a password.
    throw new Error('FIELDSTOCK_TRYTON_URL must be an http(s) URL such as http://127.0.0.1:8000; it does not parse');
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') throw new Error(`FIELDSTOCK_TRYTON_URL must be an http(s) URL, not a ${parsed.protocol} one`);
  // Credentials in the URL would end up in logs and error messages: they belong in FIELDSTOCK_TRYTON_USER/PASSWORD.
  if (parsed.username || parsed.password) throw new Error('FIELDSTOCK_TRYTON_URL must not contain credentials; use FIELDSTOCK_TRYTON_USER and FIELDSTOCK_TRYTON_PASSWORD(_FILE)');
  if (parsed.search || parsed.hash) throw new Error(`FIELDSTOCK_TRYTON_URL must be a base URL without query or fragment, not "${raw}"`);
  return `${parsed.origin}${parsed.pathname.replace(/\/+$/, '')}`;
}

function readPassword(env: NodeJS.ProcessEnv): Secret | undefined {
  const inline = env.FIELDSTOCK_TRYTON_PASSWORD;
  const file = env.FIELDSTOCK_TRYTON_PASSWORD_FILE?.trim();
  if (inline && file) throw new Error('set FIELDSTOCK_TRYTON_PASSWORD or FIELDSTOCK_TRYTON_PASSWORD_FILE, not both');
  if (inline) return new Secret(inline);
  if (!file) return undefined;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : 'unreadable';
    throw new Error(`FIELDSTOCK_TRYTON_PASSWORD_FILE "${file}" cannot be read (${reason})`);
  }
  // Files written by `echo` end with a newline that is not part of the password.
  const password = text.replace(/\r?\n$/, '');
  if (!password) throw new Error(`FIELDSTOCK_TRYTON_PASSWORD_FILE "${file}" is empty`);
  return new Secret(password);
}
