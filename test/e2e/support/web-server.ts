/**
 * The built renderer and the backend on one origin, like `npm run web`: static files
 * from a folder (index.html for any other path) and /api, /healthz, /readyz proxied
 * unbuffered to the backend, so the live sync stream (server-sent events) passes
 * through as it is written.
 */
import { createReadStream, statSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

export interface WebServer {
  url: string;
  close(): Promise<void>;
}

const PROXIED = ['/api/', '/healthz', '/readyz'];

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

export function contentType(file: string): string {
  return CONTENT_TYPES[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
}

/** The file under `root` that serves `urlPath`: the file itself, or index.html for app routes. */
export function staticFile(root: string, urlPath: string): string {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath.split('?')[0] ?? '/');
  } catch {
    decoded = '/';
  }
  const candidate = path.resolve(root, `.${path.posix.normalize(decoded)}`);
  const inside = candidate === root || candidate.startsWith(root + path.sep);
  if (inside) {
    try {
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // Not a file: an app route.
    }
  }
  return path.join(root, 'index.html');
}

export async function startWebServer(options: { root: string; backendUrl: string }): Promise<WebServer> {
  const root = path.resolve(options.root);
  const backend = new URL(options.backendUrl);

  const server = http.createServer((req, res) => {
    const url = req.url ?? '/';
    if (PROXIED.some((prefix) => url.startsWith(prefix))) {
      let answer: http.IncomingMessage | undefined;
      const upstream = http.request(
        { host: backend.hostname, port: backend.port, method: req.method, path: url, headers: { ...req.headers, host: backend.host } },
        (response) => {
          answer = response;
          res.writeHead(response.statusCode ?? 502, response.headers);
          response.pipe(res);
        },
      );
      // The browser went away (a closed stream, a page closed): end the upstream request too.
      res.on('close', () => {
        if (!answer?.complete) upstream.destroy();
      });
      upstream.on('error', () => {
        if (!res.headersSent) {
          res.writeHead(502, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ code: 'bad-gateway', message: 'The backend is not reachable.' }));
        } else {
          res.destroy();
        }
      });
      req.pipe(upstream);
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      res.writeHead(405).end();
      return;
    }
    const file = staticFile(root, url);
    // Always fresh: a rebuilt renderer must never be served from the browser's cache.
    res.writeHead(200, { 'content-type': contentType(file), 'cache-control': 'no-store' });
    if (req.method === 'HEAD') res.end();
    else createReadStream(file).on('error', () => res.destroy()).pipe(res);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        // Live streams never end by themselves.
        server.closeAllConnections();
      }),
  };
}
