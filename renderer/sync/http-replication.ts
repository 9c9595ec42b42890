import { Observable } from 'rxjs';
import type { PullResponse, PushRow, ReplicationCheckpoint, StreamEvent } from '../../shared/wire.js';
import { readServerSentEventFrames, type ServerSentEvent } from './sse.js';

export interface Endpoint {
  /** e.g. http://127.0.0.1:4310 */
  baseUrl: string;
  collection: string;
  /** Called for every request, so a refreshed token is picked up. */
  accessToken: () => string | Promise<string>;
  fetch?: typeof fetch;
}

/** Where a stream of several collections is opened: no single collection. */
export type StreamEndpoint = Omit<Endpoint, 'collection'>;

export interface StreamOptions {
  /** Wait before the first reconnect (ms); doubles on each failure in a row. */
  minDelayMs?: number;
  maxDelayMs?: number;
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

async function request(ep: StreamEndpoint, target: string, init: RequestInit = {}): Promise<Response> {
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

/** What a held-open stream reports to its owner. */
interface StreamListener {
  /** The server answered 200: events follow, starting with "RESYNC". */
  opened(): void;
  event(frame: ServerSentEvent): void;
  /** The connection ended or could not be made; a reconnect follows after a delay. */
  dropped(): void;
  /** The delay began; calling `now` ends it (the network is back). */
  waiting?(now: () => void): void;
}

/** Holds a server-sent event stream open until `signal` aborts, reconnecting with a growing delay. */
async function holdStream(ep: StreamEndpoint, target: string, signal: AbortSignal, options: StreamOptions, listener: StreamListener): Promise<void> {
  const minDelay = options.minDelayMs ?? 500;
  const maxDelay = options.maxDelayMs ?? 30_000;
  let delay = minDelay;
  while (!signal.aborted) {
    try {
      const response = await request(ep, target, { signal, headers: { accept: 'text/event-stream' } });
      if (!response.body) throw new Error('the stream has no body');
      delay = minDelay;
      listener.opened();
      for await (const frame of readServerSentEventFrames(response.body, signal)) listener.event(frame);
    } catch {
      // Offline, server restart, expired token, garbled event: wait and reconnect; pulls catch up on RESYNC.
    }
    if (signal.aborted) return;
    listener.dropped();
    await new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        signal.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, delay);
      // Stopping must not wait for the delay (sign-out ends every request at once).
      signal.addEventListener('abort', done);
      listener.waiting?.(done);
    });
    delay = Math.min(delay * 2, maxDelay);
  }
}

/**
 * The live stream as RxDB's pull.stream$. Reconnects with backoff and emits
 * "RESYNC" on every (re)connect, so nothing sent while disconnected is missed.
 */
export function streamOf<D>(ep: Endpoint, options: StreamOptions = {}): Observable<StreamEvent<D>> {
  return new Observable<StreamEvent<D>>((subscriber) => {
    const abort = new AbortController();
    void holdStream(ep, url(ep, 'stream'), abort.signal, options, {
      opened: () => undefined,
      event: (frame) => subscriber.next(JSON.parse(frame.data) as StreamEvent<D>),
      dropped: () => subscriber.next('RESYNC'),
    });
    return () => abort.abort();
  });
}

/** Live streams of several collections sharing one connection (see multiplexStream). */
export interface MultiplexedStream<M extends object> {
  /** One collection's events as RxDB's pull.stream$: its changes, and "RESYNC" whenever it must pull again. */
  of<K extends keyof M & string>(collection: K): Observable<StreamEvent<M[K]>>;
  /** Reconnects now if the connection is down and waiting out its backoff (the device is back online). */
  reconnectNow(): void;
}

type ChannelListener = (event: { data: string } | 'RESYNC') => void;

interface SharedConnection {
  abort: AbortController;
  /** The server answered; events are arriving. */
  open: boolean;
  /** Ends the backoff wait while the connection is down. */
  wake: (() => void) | null;
}

/**
 * One server-sent event connection (GET /api/v1/replication/stream) for all
 * `collections`, because a browser holds at most six connections per server
 * and a stream per collection would starve pulls and pushes. `M` maps each
 * collection to its document type.
 *
 * The connection opens with the first subscription and closes with the last.
 * It reconnects with backoff; every collection gets "RESYNC" when it drops
 * and again from the server when it is back, so nothing sent while
 * disconnected is missed. A subscriber joining an open connection gets a
 * "RESYNC" at once, as the server's went by before it.
 */
export function multiplexStream<M extends object>(ep: StreamEndpoint, collections: readonly (keyof M & string)[], options: StreamOptions = {}): MultiplexedStream<M> {
  const target = `${ep.baseUrl.replace(/\/$/, '')}/api/v1/replication/stream?${new URLSearchParams({ collections: collections.join(',') }).toString()}`;
  const listeners = new Map<string, Set<ChannelListener>>(collections.map((name) => [name, new Set()]));
  let connection: SharedConnection | null = null;
  let subscribed = 0;

  const attach = (collection: string, listener: ChannelListener) => {
    listeners.get(collection)?.add(listener);
    subscribed += 1;
    if (connection === null) {
      const current: SharedConnection = { abort: new AbortController(), open: false, wake: null };
      connection = current;
      void holdStream(ep, target, current.abort.signal, options, {
        opened: () => {
          current.open = true;
        },
        // The event type is the collection; events of collections not asked for (none expected) are ignored.
        event: ({ event, data }) => {
          for (const l of listeners.get(event) ?? []) l({ data });
        },
        dropped: () => {
          current.open = false;
          for (const set of listeners.values()) for (const l of set) l('RESYNC');
        },
        waiting: (now) => {
          current.wake = now;
        },
      });
    } else if (connection.open) {
      listener('RESYNC');
    }
  };
  const detach = (collection: string, listener: ChannelListener) => {
    listeners.get(collection)?.delete(listener);
    subscribed -= 1;
    if (subscribed === 0 && connection !== null) {
      connection.abort.abort();
      connection = null;
    }
  };

  return {
    reconnectNow() {
      const wake = connection?.wake;
      if (connection) connection.wake = null;
      wake?.();
    },
    of<K extends keyof M & string>(collection: K): Observable<StreamEvent<M[K]>> {
      if (!listeners.has(collection)) throw new Error(`"${collection}" is not one of the collections of this stream`);
      return new Observable<StreamEvent<M[K]>>((subscriber) => {
        const listener: ChannelListener = (event) => subscriber.next(event === 'RESYNC' ? 'RESYNC' : (JSON.parse(event.data) as StreamEvent<M[K]>));
        attach(collection, listener);
        return () => detach(collection, listener);
      });
    },
  };
}
