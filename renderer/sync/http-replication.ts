import { Observable } from 'rxjs';
import type { PullResponse, PushRow, ReplicationCheckpoint, StreamEvent } from '../../shared/wire.js';
import { readServerSentEvents } from './sse.js';

export interface Endpoint {
  /** e.g. http://127.0.0.1:4310 */
  baseUrl: string;
  collection: string;
  /** Called for every request, so a refreshed token is picked up. */
  accessToken: () => string | Promise<string>;
  fetch?: typeof fetch;
}

/** A failed request, as a value the sync status can show. */
export class SyncHttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'SyncHttpError';
  }
}

function url(ep: Endpoint, action: 'pull' | 'push' | 'stream'): string {
  return `${ep.baseUrl.replace(/\/$/, '')}/api/v1/replication/${encodeURIComponent(ep.collection)}/${action}`;
}

async function request(ep: Endpoint, target: string, init: RequestInit = {}): Promise<Response> {
  const token = await ep.accessToken();
  const response = await (ep.fetch ?? fetch)(target, {
    ...init,
    headers: { authorization: `Bearer ${token}`, ...(init.body ? { 'content-type': 'application/json' } : {}), ...init.headers },
  });
  if (!response.ok) {
    let code = 'http-error';
    let message = `${response.status} ${response.statusText}`;
    try {
      const body = (await response.json()) as { code?: string; message?: string };
      code = body.code ?? code;
      message = body.message ?? message;
    } catch {
      // Not JSON (a proxy's error page): keep the status line.
    }
    throw new SyncHttpError(response.status, code, message);
  }
  return response;
}

/** RxDB pull handler: one page after the checkpoint. */
export function pullHandler<D>(ep: Endpoint) {
  return async (checkpoint: ReplicationCheckpoint | undefined, batchSize: number) => {
    const params = new URLSearchParams({ limit: String(Math.min(batchSize, 1000)) });
    if (checkpoint) params.set('checkpoint', JSON.stringify(checkpoint));
    const response = await request(ep, `${url(ep, 'pull')}?${params.toString()}`);
    const body = (await response.json()) as PullResponse<D>;
    return { documents: body.documents, checkpoint: body.checkpoint ?? checkpoint };
  };
}

/** RxDB push handler: returns the master states of conflicting rows. */
export function pushHandler<D>(ep: Endpoint) {
  return async (rows: PushRow<D>[]): Promise<D[]> => {
    const response = await request(ep, url(ep, 'push'), { method: 'POST', body: JSON.stringify(rows) });
    return (await response.json()) as D[];
  };
}

/**
 * The live stream as RxDB's pull.stream$. Reconnects with backoff and emits
 * "RESYNC" on every (re)connect, so nothing sent while disconnected is missed.
 */
export function streamOf<D>(ep: Endpoint, options: { minDelayMs?: number; maxDelayMs?: number } = {}): Observable<StreamEvent<D>> {
  const minDelay = options.minDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 30_000;
  return new Observable<StreamEvent<D>>((subscriber) => {
    const abort = new AbortController();
    let delay = minDelay;
    const run = async () => {
      while (!abort.signal.aborted) {
        try {
          const response = await request(ep, url(ep, 'stream'), { signal: abort.signal, headers: { accept: 'text/event-stream' } });
          if (!response.body) throw new Error('the stream has no body');
          delay = minDelay;
          for await (const data of readServerSentEvents(response.body, abort.signal)) {
            subscriber.next(JSON.parse(data) as StreamEvent<D>);
          }
        } catch {
          // Offline, server restart, expired token: wait and reconnect; pulls catch up on RESYNC.
        }
        if (abort.signal.aborted) return;
        subscriber.next('RESYNC');
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, maxDelay);
      }
    };
    void run();
    return () => abort.abort();
  });
}
