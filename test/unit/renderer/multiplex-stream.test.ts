/**
 * multiplexStream (renderer/sync/http-replication.ts) against a scripted
 * server: one connection for every collection, events routed by their SSE
 * `event:` name, "RESYNC" for all on every reconnect.
 */
import type { Subscription } from 'rxjs';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { multiplexStream } from '../../../renderer/sync/http-replication.js';
import type { StreamEvent } from '../../../shared/wire.js';

interface Connection {
  url: URL;
  authorization: string | null;
  signal: AbortSignal | undefined;
  send(text: string): void;
  end(): void;
}

/** A fetch whose every call opens a stream the test writes to. */
function scriptedServer() {
  const connections: Connection[] = [];
  const encoder = new TextEncoder();
  const fetchFn: typeof fetch = (input, init) => {
    const chunks: ReadableStreamDefaultController<Uint8Array>[] = [];
    const body = new ReadableStream<Uint8Array>({ start: (controller) => void chunks.push(controller) });
    const [controller] = chunks;
    if (!controller) throw new Error('ReadableStream did not start synchronously');
    init?.signal?.addEventListener('abort', () => {
      try {
        controller.error(new DOMException('aborted', 'AbortError'));
      } catch {
        // Already ended by the test.
      }
    });
    connections.push({
      url: new URL(String(input instanceof Request ? input.url : input)),
      authorization: new Headers(init?.headers).get('authorization'),
      signal: init?.signal ?? undefined,
      send: (text) => controller.enqueue(encoder.encode(text)),
      end: () => controller.close(),
    });
    return Promise.resolve(new Response(body, { status: 200, headers: { 'content-type': 'text/event-stream' } }));
  };
  return { connections, fetch: fetchFn };
}

interface Docs {
  products: { id: string; name: string };
  journals: { id: string };
  inventory: { id: string };
}

const subscriptions: Subscription[] = [];
afterEach(() => {
  for (const s of subscriptions.splice(0)) s.unsubscribe();
});

function record<D>(source: { subscribe(next: (event: StreamEvent<D>) => void): Subscription }): StreamEvent<D>[] {
  const seen: StreamEvent<D>[] = [];
  subscriptions.push(source.subscribe((event) => seen.push(event)));
  return seen;
}

describe('multiplexStream', () => {
  it('opens one connection for every collection and hands each event to the collection it is named after', async () => {
    const server = scriptedServer();
    const live = multiplexStream<Docs>({ baseUrl: 'http://backend.test/', accessToken: () => 'token-1', fetch: server.fetch }, ['products', 'journals', 'inventory']);
    const products = record(live.of('products'));
    const journals = record(live.of('journals'));
    const inventory = record(live.of('inventory'));

    await vi.waitFor(() => expect(server.connections).toHaveLength(1));
    const [connection] = server.connections;
    expect(connection?.url.pathname).toBe('/api/v1/replication/stream');
    expect(connection?.url.searchParams.get('collections')).toBe('products,journals,inventory');
    expect(connection?.authorization).toBe('Bearer token-1');

    connection?.send('retry: 2000\n\nevent: products\ndata: "RESYNC"\n\nevent: journals\ndata: "RESYNC"\n\nevent: inventory\ndata: "RESYNC"\n\n');
    // An event split across reads, and a heartbeat between events.
    connection?.send('event: products\ndata: {"documents":[{"id":"p1","name":"Re');
    connection?.send('named"}],"checkpoint":{"seq":7}}\n\n: heartbeat 1\n\nevent: journals\r\ndata: {"documents":[{"id":"j1"}],"checkpoint":{"seq":8}}\r\n\r\n');
    await vi.waitFor(() => expect(journals).toHaveLength(2));

    expect(products).toEqual(['RESYNC', { documents: [{ id: 'p1', name: 'Renamed' }], checkpoint: { seq: 7 } }]);
    expect(journals).toEqual(['RESYNC', { documents: [{ id: 'j1' }], checkpoint: { seq: 8 } }]);
    expect(inventory).toEqual(['RESYNC']);
    expect(server.connections).toHaveLength(1);
  });

  it('when the connection drops, tells every collection to RESYNC and reconnects once, with a fresh token', async () => {
    const server = scriptedServer();
    let token = 0;
    const live = multiplexStream<Docs>({ baseUrl: 'http://backend.test', accessToken: () => `token-${++token}`, fetch: server.fetch }, ['products', 'journals'], {
      minDelayMs: 1,
      maxDelayMs: 1,
    });
    const products = record(live.of('products'));
    const journals = record(live.of('journals'));
    await vi.waitFor(() => expect(server.connections).toHaveLength(1));

    server.connections[0]?.end();
    await vi.waitFor(() => expect(server.connections).toHaveLength(2));
    expect(products).toEqual(['RESYNC']);
    expect(journals).toEqual(['RESYNC']);
    expect(server.connections[1]?.authorization).toBe('Bearer token-2');

    server.connections[1]?.send('event: journals\ndata: {"documents":[{"id":"j2"}],"checkpoint":{"seq":3}}\n\n');
    await vi.waitFor(() => expect(journals).toHaveLength(2));
    expect(products).toEqual(['RESYNC']);
    expect(server.connections).toHaveLength(2);
  });

  it('reconnects at once on reconnectNow() instead of waiting out its backoff', async () => {
    const server = scriptedServer();
    // A backoff far longer than the test: only reconnectNow() can bring the second connection in time.
    const live = multiplexStream<Docs>({ baseUrl: 'http://backend.test', accessToken: () => 'token', fetch: server.fetch }, ['products'], {
      minDelayMs: 600_000,
      maxDelayMs: 600_000,
    });
    const products = record(live.of('products'));
    await vi.waitFor(() => expect(server.connections).toHaveLength(1));
    server.connections[0]?.end();
    await vi.waitFor(() => expect(products).toEqual(['RESYNC']));
    expect(server.connections).toHaveLength(1);

    live.reconnectNow();
    await vi.waitFor(() => expect(server.connections).toHaveLength(2));
  });

  it('gives a collection subscribed to an open connection a RESYNC at once, and closes the connection with the last subscriber', async () => {
    const server = scriptedServer();
    const live = multiplexStream<Docs>({ baseUrl: 'http://backend.test', accessToken: () => 'token', fetch: server.fetch }, ['products', 'inventory']);
    const products = record(live.of('products'));
    await vi.waitFor(() => expect(server.connections).toHaveLength(1));
    server.connections[0]?.send('event: products\ndata: "RESYNC"\n\nevent: inventory\ndata: "RESYNC"\n\n');
    await vi.waitFor(() => expect(products).toEqual(['RESYNC']));

    // The server's opening RESYNC for inventory went by before anyone listened.
    const inventory = record(live.of('inventory'));
    expect(inventory).toEqual(['RESYNC']);
    expect(server.connections).toHaveLength(1);
    expect(() => live.of('journals')).toThrow(/journals/);

    for (const s of subscriptions.splice(0)) s.unsubscribe();
    expect(server.connections[0]?.signal?.aborted).toBe(true);
    expect(server.connections).toHaveLength(1);
  });
});
