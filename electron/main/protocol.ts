/**
 * Serves the built renderer (dist/renderer) on app://fieldstock.
 *
 * A custom protocol instead of file:// (Electron security checklist): the page
 * gets an origin of its own, file:// keeps no special privileges, and every
 * response carries the CSP header. Only files under the renderer folder are
 * reachable, whatever the URL's path says.
 */
import { readFile, stat } from 'node:fs/promises';
import path from 'node:path';
import { isAppUrl } from './origin.js';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.webmanifest': 'application/manifest+json',
};

export interface AppProtocolOptions {
  /** The renderer build folder. */
  rootDir: string;
  /** The Content-Security-Policy header value. */
  csp: string;
}

export type AppProtocolHandler = (request: Request) => Promise<Response>;

export function createAppProtocolHandler(options: AppProtocolOptions): AppProtocolHandler {
  const root = path.resolve(options.rootDir);
  const securityHeaders = {
    'content-security-policy': options.csp,
    'x-content-type-options': 'nosniff',
    'cross-origin-opener-policy': 'same-origin',
    'referrer-policy': 'no-referrer',
  };
  const answer = (status: number, text: string): Response =>
    new Response(text, { status, headers: { ...securityHeaders, 'content-type': 'text/plain; charset=utf-8' } });

  return async (request) => {
    if (!isAppUrl(request.url)) return answer(404, 'Not found');
    if (request.method !== 'GET' && request.method !== 'HEAD') return answer(405, 'Method not allowed');

    let relative: string;
    try {
      relative = decodeURIComponent(new URL(request.url).pathname).replace(/^\/+/, '');
    } catch {
      return answer(400, 'Bad request');
    }
    const file = resolveInside(root, relative === '' ? 'index.html' : relative);
    if (file === undefined) return answer(404, 'Not found');

    // Client-side routes (/receipts/42) have no file: they get the app shell.
    // A missing asset (/assets/x.js) stays a 404 so a broken build is visible.
    const target = (await isFile(file)) ? file : path.extname(file) === '' ? path.join(root, 'index.html') : undefined;
    if (target === undefined || !(await isFile(target))) return answer(404, 'Not found');

    const body = await readFile(target);
    const headers = {
      ...securityHeaders,
      'content-type': CONTENT_TYPES[path.extname(target).toLowerCase()] ?? 'application/octet-stream',
      // The files change with every build; the protocol is local, so revalidating costs nothing.
      'cache-control': 'no-cache',
    };
    return new Response(request.method === 'HEAD' ? null : new Uint8Array(body), { status: 200, headers });
  };
}

/** The absolute path of `relative` under `root`, or undefined when it would leave it. */
function resolveInside(root: string, relative: string): string | undefined {
  if (relative.includes('\0')) return undefined;
  const resolved = path.resolve(root, relative);
  return resolved.startsWith(root + path.sep) ? resolved : undefined;
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await stat(file)).isFile();
  } catch {
    return false;
  }
}
