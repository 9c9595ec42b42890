/**
 * A fault-injecting TCP proxy on 127.0.0.1, placed between a client and the
 * backend. Each connection gets a fate, decided when its first request line
 * arrives:
 *
 * - 'pass'          bytes flow both ways untouched;
 * - 'cut-response'  the request reaches the server and is processed; as soon as
 *                   the server starts answering (so it has committed), the
 *                   client's socket is reset and the answer is thrown away. The
 *                   client sees a network error for something that happened:
 *                   the retry it makes is the case exactly-once must survive;
 * - 'reset'         the client's socket is reset before anything is forwarded:
 *                   the server never sees the request.
 *
 * One connection carries one request when the client sends `Connection: close`
 * without a keep-alive agent: use `httpRequest` below.
 */
import http from 'node:http';
import net from 'node:net';

export type FaultMode = 'pass' | 'cut-response' | 'reset';

export interface ConnectionInfo {
  /** 0-based number of the connection since the proxy started. */
  index: number;
  /** The first request line on the connection, e.g. `POST /api/v1/replication/receipts/push HTTP/1.1`. */
  requestLine: string;
}

/** Decides each connection's fate; replaces any `setMode` budget. */
export type FaultRule = (info: ConnectionInfo) => FaultMode;

export interface FaultProxyStats {
  connections: number;
  passed: number;
  /** Connections whose request was processed by the server but whose answer was dropped. */
  cut: number;
  /** Connections reset before the request was forwarded. */
  reset: number;
}

export interface FaultProxy {
  readonly url: string;
  readonly port: number;
  /**
   * Applies `mode` to the next `count` connections, then falls back to
   * pass-through; without `count`, to every connection until changed.
   */
  setMode(mode: FaultMode, count?: number): void;
  setRule(rule: FaultRule): void;
  /** Points the proxy at another backend port (a restarted server). */
  setTarget(port: number): void;
  readonly stats: Readonly<FaultProxyStats>;
  close(): Promise<void>;
}

const MAX_HEAD = 64 * 1024;

export async function startFaultProxy(targetPort: number): Promise<FaultProxy> {
  let target = targetPort;
  let rule: FaultRule = () => 'pass';
  const stats: FaultProxyStats = { connections: 0, passed: 0, cut: 0, reset: 0 };
  const sockets = new Set<net.Socket>();

  const track = (socket: net.Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    // Errors are the point of this proxy; never let one crash the test process.
    socket.on('error', () => undefined);
  };

  const server = net.createServer((client) => {
    track(client);
    const index = stats.connections++;
    let head = Buffer.alloc(0);

    const onFirstData = (chunk: Buffer) => {
      head = Buffer.concat([head, chunk]);
      const lineEnd = head.indexOf('\r\n');
      if (lineEnd < 0 && head.length < MAX_HEAD) return;
      client.off('data', onFirstData);
      client.pause();
      const requestLine = head.subarray(0, lineEnd < 0 ? head.length : lineEnd).toString('latin1');
      const mode = rule({ index, requestLine });
      if (mode === 'reset') {
        stats.reset += 1;
        client.resetAndDestroy();
        return;
      }
      const upstream = net.connect({ host: '127.0.0.1', port: target });
      track(upstream);
      upstream.on('connect', () => {
        upstream.write(head);
        client.pipe(upstream);
        client.resume();
      });
      upstream.on('close', () => {
        if (!client.destroyed) client.destroy();
      });
      client.on('close', () => {
        if (!upstream.destroyed) upstream.destroy();
      });
      if (mode === 'cut-response') {
        upstream.once('data', () => {
          // The server has started to answer, so its work is done: drop the answer.
          stats.cut += 1;
          client.resetAndDestroy();
          upstream.destroy();
        });
      } else {
        stats.passed += 1;
        upstream.pipe(client);
      }
    };
    client.on('data', onFirstData);
  });
  // Connection-level errors (a client that vanished) are expected here.
  server.on('error', () => undefined);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;

  return {
    url: `http://127.0.0.1:${port}`,
    port,
    stats,
    setMode(mode, count) {
      if (count === undefined) {
        rule = () => mode;
        return;
      }
      let left = count;
      rule = () => {
        if (left <= 0) return 'pass';
        left -= 1;
        return mode;
      };
    },
    setRule(next) {
      rule = next;
    },
    setTarget(next) {
      target = next;
    },
    async close() {
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

export interface HttpResult<T> {
  status: number;
  body: T;
}

/**
 * One HTTP request on its own new connection (no agent, `Connection: close`),
 * so each request meets the proxy's fate for one connection. Network errors
 * reject (their `code` is e.g. ECONNRESET or ECONNREFUSED); HTTP errors resolve.
 */
export function httpRequest<T = unknown>(
  baseUrl: string,
  options: { method: string; path: string; token?: string; body?: unknown; timeoutMs?: number },
): Promise<HttpResult<T>> {
  const url = new URL(options.path, baseUrl);
  const payload = options.body === undefined ? undefined : Buffer.from(JSON.stringify(options.body));
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: `${url.pathname}${url.search}`,
        method: options.method,
        agent: false,
        headers: {
          connection: 'close',
          ...(options.token ? { authorization: `Bearer ${options.token}` } : {}),
          ...(payload ? { 'content-type': 'application/json', 'content-length': String(payload.length) } : {}),
        },
      },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (c: Buffer) => chunks.push(c));
        response.on('error', reject);
        response.on('aborted', () => reject(Object.assign(new Error('response aborted'), { code: 'ECONNRESET' })));
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          let body: unknown = text;
          try {
            body = text ? JSON.parse(text) : undefined;
          } catch {
            // not JSON: keep the text
          }
          resolve({ status: response.statusCode ?? 0, body: body as T });
        });
      },
    );
    request.setTimeout(options.timeoutMs ?? 30_000, () => request.destroy(Object.assign(new Error('request timed out'), { code: 'ETIMEDOUT' })));
    request.on('error', reject);
    request.end(payload);
  });
}

/** True for the errors a client sees when a connection fails, as opposed to an HTTP answer. */
export function isNetworkError(error: unknown): boolean {
  const code = typeof error === 'object' && error !== null && 'code' in error ? (error as { code: unknown }).code : undefined;
  return typeof code === 'string' && /^(ECONNRESET|ECONNREFUSED|EPIPE|ETIMEDOUT|ECONNABORTED|UND_ERR_SOCKET)$/.test(code);
}
