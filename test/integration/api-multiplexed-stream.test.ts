// The multiplexed replication stream (docs/api.md, addition):
// GET /api/v1/replication/stream?collections=a,b sends the per-collection
// streams' events over one connection, each named after its collection with
// the SSE `event:` field.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { loadConfig } from '../../server/config.js';
import { COLLECTION_NAMES } from '../../shared/collections.js';
import { adjustment, api, pushNew, startTestServer, type TestServer } from '../helpers/server.js';
import { sseBlockReader } from '../helpers/sse-blocks.js';
import { ENGINES, describeEngine, expectErrorBody, inventoryDocId, productId, pulledDoc, push, warehouseId, type Doc } from './api-support.js';

interface Batch {
  documents: Doc[];
  checkpoint: { seq: number; scope?: string } | null;
}

interface MultiplexedStream {
  response: Response;
  /** The next event (comments skipped); 'end' when the server ended the response, 'broken' when the connection was cut. */
  next(): Promise<{ event: string | null; data: unknown } | 'end' | 'broken'>;
  /** Reads on until a comment (heartbeat) arrives; events read meanwhile are dropped. */
  nextComment(): Promise<string | 'end' | 'broken'>;
  close(): void;
}

const WAIT_MS = 10_000;

function within<T>(promise: Promise<T>, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no ${what} within ${WAIT_MS} ms`)), WAIT_MS);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/** Opens the multiplexed stream with fetch; `query` is the raw query string (null: none). */
async function openMultiplexed(server: Pick<TestServer, 'url'>, token: string | undefined, query: string | null, headers: Record<string, string> = {}): Promise<MultiplexedStream> {
  const controller = new AbortController();
  const response = await fetch(`${server.url}/api/v1/replication/stream${query === null ? '' : `?${query}`}`, {
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers },
    signal: controller.signal,
  });
  const blocks = sseBlockReader(response.body);
  const readBlock = blocks.next;

  return {
    response,
    next: () =>
      within(
        (async () => {
          for (;;) {
            const block = await readBlock();
            if (block.kind === 'end' || block.kind === 'broken') return block.kind;
            if (block.kind === 'event') return { event: block.event, data: block.data };
          }
        })(),
        'stream event',
      ),
    nextComment: () =>
      within(
        (async () => {
          for (;;) {
            const block = await readBlock();
            if (block.kind === 'end' || block.kind === 'broken') return block.kind;
            if (block.kind === 'comment') return block.text;
          }
        })(),
        'stream comment',
      ),
    close() {
      controller.abort();
      blocks.cancel();
    },
  };
}

/** Reads the opening events: one "RESYNC" per collection, before anything else. */
async function readOpening(stream: MultiplexedStream, count: number): Promise<(string | null)[]> {
  const names: (string | null)[] = [];
  for (let i = 0; i < count; i += 1) {
    const event = await stream.next();
    if (typeof event === 'string') throw new Error(`the stream ended during its opening (${event})`);
    expect(event.data, `opening event ${i} (${event.event})`).toBe('RESYNC');
    names.push(event.event);
  }
  return names;
}

/** Every document received, per collection, with each batch's checkpoint. */
class Received {
  readonly docs = new Map<string, Doc[]>();
  readonly checkpoints = new Map<string, number[]>();

  add(event: string | null, data: unknown): void {
    expect(event, 'every event of the multiplexed stream is named').not.toBeNull();
    const name = String(event);
    if (data === 'RESYNC') return;
    const batch = data as Batch;
    expect(Array.isArray(batch.documents)).toBe(true);
    expect(batch.checkpoint).toEqual({ seq: expect.any(Number), scope: expect.any(String) });
    this.docs.set(name, [...(this.docs.get(name) ?? []), ...batch.documents]);
    this.checkpoints.set(name, [...(this.checkpoints.get(name) ?? []), batch.checkpoint?.seq ?? -1]);
  }

  of(name: string): Doc[] {
    return this.docs.get(name) ?? [];
  }
}

/** Reads events into `received` until `done` holds. */
async function readUntil(stream: MultiplexedStream, received: Received, done: () => boolean, what: string): Promise<void> {
  while (!done()) {
    const event = await stream.next();
    if (typeof event === 'string') throw new Error(`the stream ended before ${what} (${event})`);
    received.add(event.event, event.data);
  }
}

for (const engine of ENGINES) {
  describeEngine(engine, 'multiplexed replication stream', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ engine, config: { heartbeatMs: 200, corsOrigins: ['app://fieldstock'] } });
    });
    afterAll(() => server?.close());

    it('opens with a RESYNC event named after each listed collection, with CORS headers, and keeps the connection alive with heartbeats', async () => {
      const stream = await openMultiplexed(server, await server.token('tech1'), `collections=${COLLECTION_NAMES.join(',')}`, { origin: 'app://fieldstock' });
      try {
        expect(stream.response.status).toBe(200);
        expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
        expect(stream.response.headers.get('access-control-allow-origin')).toBe('app://fieldstock');
        const names = await readOpening(stream, COLLECTION_NAMES.length);
        expect([...names].sort()).toEqual([...COLLECTION_NAMES].sort());
        expect(await stream.nextComment()).toMatch(/^: heartbeat/);
      } finally {
        stream.close();
      }
    });

    it('carries a posted adjustment as inventoryTransactions, journals and inventory events on one connection, once each, and nothing of another truck', async () => {
      const tech1 = await server.token('tech1');
      const tech2 = await server.token('tech2');
      const truck1 = warehouseId('TRUCK-1');
      const truck2 = warehouseId('TRUCK-2');
      const collections = ['inventoryTransactions', 'journals', 'inventory'];
      const stream = await openMultiplexed(server, tech1, `collections=${collections.join(',')}`);
      try {
        expect(stream.response.status).toBe(200);
        expect(new Set(await readOpening(stream, collections.length))).toEqual(new Set(collections));

        // Another truck's posting first: if it leaked, it would arrive before tech1's own.
        const foreign = adjustment({ warehouseId: truck2, productId: productId(1040), quantity: 2 });
        expect((await pushNew(server, tech2, 'inventoryTransactions', [foreign])).status).toBe(200);
        const own = adjustment({ warehouseId: truck1, productId: productId(1041), quantity: 3 });
        expect((await pushNew(server, tech1, 'inventoryTransactions', [own])).status).toBe(200);

        const received = new Received();
        const ownLevel = inventoryDocId(truck1, productId(1041));
        await readUntil(
          stream,
          received,
          () =>
            received.of('inventoryTransactions').some((d) => d.id === own.id) &&
            received.of('journals').some((d) => d.sourceId === own.id) &&
            received.of('inventory').some((d) => d.id === ownLevel),
          "tech1's posting in all three collections",
        );
        expect(received.of('inventoryTransactions').find((d) => d.id === own.id)).toMatchObject({ status: 'posted', journalId: expect.any(String), quantity: 3 });
        const journal = received.of('journals').find((d) => d.sourceId === own.id);
        expect(journal).toMatchObject({ id: received.of('inventoryTransactions').find((d) => d.id === own.id)?.journalId, warehouseId: truck1 });
        expect(received.of('inventory').find((d) => d.id === ownLevel)).toEqual(await pulledDoc(server, tech1, 'inventory', ownLevel));

        // A second posting, to see that the first is not sent again.
        const next = adjustment({ warehouseId: truck1, productId: productId(1041), quantity: 1 });
        expect((await pushNew(server, tech1, 'inventoryTransactions', [next])).status).toBe(200);
        await readUntil(
          stream,
          received,
          () => received.of('inventoryTransactions').some((d) => d.id === next.id) && received.of('journals').some((d) => d.sourceId === next.id),
          'the second posting',
        );
        expect(received.of('inventoryTransactions').filter((d) => d.id === own.id)).toHaveLength(1);
        expect(received.of('journals').filter((d) => d.sourceId === own.id)).toHaveLength(1);
        for (const [name, seqs] of received.checkpoints) expect(seqs, `${name} checkpoints move forward`).toEqual([...new Set(seqs)].sort((a, b) => a - b));

        // Nothing of TRUCK-2 reached tech1, in any collection.
        expect(received.of('inventoryTransactions').map((d) => d.id)).not.toContain(foreign.id);
        expect(received.of('journals').map((d) => d.sourceId)).not.toContain(foreign.id);
        for (const name of collections) for (const doc of received.of(name)) expect(doc.warehouseId, `${name} ${String(doc.id)}`).toBe(truck1);
        // Each event carried its own collection's documents.
        for (const doc of received.of('inventory')) expect(doc).toHaveProperty('onHand');
        for (const doc of received.of('journals')) expect(doc).toHaveProperty('journalName');
        for (const doc of received.of('inventoryTransactions')) expect(doc).toHaveProperty('type');
      } finally {
        stream.close();
      }
    });

    it("brings an admin's product rename and warehouse edit to a technician live", async () => {
      const admin = await server.token('admin');
      const stream = await openMultiplexed(server, await server.token('tech1'), 'collections=products,warehouses');
      try {
        await readOpening(stream, 2);
        const product = await pulledDoc(server, admin, 'products', productId(1050));
        const warehouse = await pulledDoc(server, admin, 'warehouses', warehouseId('TRUCK-2'));
        if (!product || !warehouse) throw new Error('demo data is missing P-1050 or TRUCK-2');
        const renamed = { ...product, name: `Renamed live (${engine})` };
        const edited = { ...warehouse, name: `Edited live (${engine})` };
        expect((await push(server, admin, 'products', [{ assumedMasterState: product, newDocumentState: renamed }])).body).toEqual([]);
        expect((await push(server, admin, 'warehouses', [{ assumedMasterState: warehouse, newDocumentState: edited }])).body).toEqual([]);

        const received = new Received();
        await readUntil(
          stream,
          received,
          () => received.of('products').some((d) => d.id === product.id) && received.of('warehouses').some((d) => d.id === warehouse.id),
          'the rename and the edit',
        );
        expect(received.of('products').find((d) => d.id === product.id)).toEqual(renamed);
        expect(received.of('warehouses').find((d) => d.id === warehouse.id)).toEqual(edited);
      } finally {
        stream.close();
      }
    });

    it('answers an unknown collection with 404, an empty list with 400, and no token with 401', async () => {
      const token = await server.token('tech1');
      // A refusal is a plain JSON answer (a stream opened by mistake would hold the test until it times out).
      const refused = (query: string | null, bearer: string | undefined) => api(server, bearer, 'GET', `/api/v1/replication/stream${query === null ? '' : `?${query}`}`);
      for (const query of ['collections=products,users', 'collections=users', 'collections=__proto__']) {
        const r = await refused(query, token);
        expect(r.status, query).toBe(404);
        expectErrorBody(r.body, 'unknown-collection');
      }
      for (const query of ['collections=', 'collections=,', null]) {
        const r = await refused(query, token);
        expect(r.status, String(query)).toBe(400);
        expectErrorBody(r.body, 'invalid-request');
      }
      const anonymous = await refused('collections=products', undefined);
      expect(anonymous.status).toBe(401);
      expectErrorBody(anonymous.body);
      // The token goes in the Authorization header, never in the URL.
      const inUrl = await refused(`collections=products&token=${encodeURIComponent(token)}`, undefined);
      expect(inUrl.status).not.toBe(200);
    });

    it('ends when the server shuts down', async () => {
      const own = await startTestServer({ engine, demo: false });
      let closing: Promise<void> | undefined;
      try {
        const stream = await openMultiplexed(own, await own.token('admin'), 'collections=products,journals');
        await readOpening(stream, 2);
        closing = own.close();
        // Ended by the server ('end'), not cut when close() gives up waiting ('broken').
        expect(await stream.next()).toBe('end');
      } finally {
        await (closing ?? own.close());
      }
    });

    it('ends when the access token that opened it expires', async () => {
      // No heartbeat within the test: the only thing left to read is the end.
      const shortLived = await startTestServer({ engine, demo: false, config: { heartbeatMs: 600_000, auth: { ...loadConfig({}).auth, accessTtlMs: 1_500 } } });
      try {
        const stream = await openMultiplexed(shortLived, await shortLived.token('admin'), 'collections=products,journals');
        await readOpening(stream, 2);
        expect(await stream.next()).toBe('end');
        stream.close();
      } finally {
        shortLived.fieldstock.app.server.closeAllConnections();
        await shortLived.close();
      }
    });
  });
}
