// Replication contract (API.md "Replication"): paged pulls, request validation,
// who may push what, conflicts on stale assumed master states, the event
// stream, and a push batch that mixes bad rows with good ones.
import { afterAll, beforeAll, expect, it } from 'vitest';
import { demoProducts, demoWarehouses } from '../../server/demo/data.js';
import { adjustment, api, pullAll, pushNew, startTestServer, type TestServer } from '../helpers/server.js';
import {
  ENGINES,
  describeEngine,
  expectErrorBody,
  inventoryDocId,
  onHand,
  openStream,
  productId,
  productNumber,
  pulledDoc,
  push,
  readUntilDocument,
  warehouseId,
  type Doc,
} from './api-support.js';

interface Page {
  documents: Doc[];
  checkpoint: unknown;
}

/** Pages through a collection from the beginning until a page comes back empty. */
async function pageThrough(server: TestServer, token: string, collection: string, limit: number): Promise<{ docs: Doc[]; pages: number[]; checkpoint: unknown }> {
  const docs: Doc[] = [];
  const pages: number[] = [];
  let checkpoint: unknown = undefined;
  for (let guard = 0; guard < 1000; guard += 1) {
    const qs = new URLSearchParams({ limit: String(limit) });
    if (checkpoint !== undefined) qs.set('checkpoint', JSON.stringify(checkpoint));
    const r = await api<Page>(server, token, 'GET', `/api/v1/replication/${collection}/pull?${qs.toString()}`);
    expect(r.status).toBe(200);
    expect(r.body.documents.length).toBeLessThanOrEqual(limit);
    if (r.body.documents.length === 0) return { docs, pages, checkpoint: r.body.checkpoint };
    pages.push(r.body.documents.length);
    docs.push(...r.body.documents);
    checkpoint = r.body.checkpoint;
  }
  throw new Error(`paging ${collection} did not end`);
}

function newProduct(suffix: string): Doc {
  return {
    id: crypto.randomUUID(),
    number: `P-NEW-${suffix}`,
    name: `New product ${suffix}`,
    unit: 'EA',
    barcodes: [],
    tracking: 'none',
    active: true,
    _deleted: false,
  };
}

for (const engine of ENGINES) {
  describeEngine(engine, 'replication contract', () => {
    let server: TestServer;
    beforeAll(async () => {
      server = await startTestServer({ engine, config: { heartbeatMs: 200 } });
    });
    afterAll(() => server?.close());

    it('pages through every product and warehouse exactly once, whatever the page size', async () => {
      const token = await server.token('tech1');
      const allProducts = await pullAll<Doc>(server, token, 'products');
      expect(allProducts.length).toBeGreaterThanOrEqual(200);
      expect(new Set(allProducts.map((d) => d.id))).toEqual(new Set(demoProducts.map((p) => p.id)));

      for (const limit of [1000, 60, 37]) {
        const { docs, pages } = await pageThrough(server, token, 'products', limit);
        const ids = docs.map((d) => d.id);
        expect(new Set(ids).size, `no duplicates with limit ${limit}`).toBe(ids.length);
        expect(new Set(ids)).toEqual(new Set(allProducts.map((d) => d.id)));
        expect(pages.length).toBe(Math.ceil(allProducts.length / limit));
      }
      const { docs: warehouses, pages } = await pageThrough(server, token, 'warehouses', 2);
      expect(pages.length).toBeGreaterThanOrEqual(3);
      expect(warehouses.map((d) => d.code).sort()).toEqual(demoWarehouses.map((w) => w.code).sort());
      for (const w of warehouses) expect(w).toMatchObject({ id: expect.any(String), code: expect.any(String), name: expect.any(String), kind: expect.stringMatching(/^(warehouse|truck)$/), _deleted: false });
      for (const p of allProducts.slice(0, 20)) expect(p).toMatchObject({ id: expect.any(String), number: expect.any(String), name: expect.any(String), unit: expect.any(String), _deleted: false });
    });

    it('refuses an invalid checkpoint or limit with 400 and an unknown collection with 404', async () => {
      const token = await server.token('tech1');
      for (const query of [
        'checkpoint=not-json',
        `checkpoint=${encodeURIComponent('{"seq":-1}')}`,
        `checkpoint=${encodeURIComponent('{"seq":"12"}')}`,
        `checkpoint=${encodeURIComponent('{"updatedAt":1}')}`,
        `checkpoint=${encodeURIComponent('[1]')}`,
        'limit=0',
        'limit=1001',
        'limit=-5',
        'limit=ten',
        'limit=2.5',
      ]) {
        const r = await api(server, token, 'GET', `/api/v1/replication/products/pull?${query}`);
        expect(r.status, query).toBe(400);
        expectErrorBody(r.body);
      }
      expect((await api(server, token, 'GET', '/api/v1/replication/products/pull?limit=1')).status).toBe(200);
      expect((await api(server, token, 'GET', '/api/v1/replication/products/pull?limit=1000')).status).toBe(200);

      for (const [method, path] of [
        ['GET', '/api/v1/replication/users/pull'],
        ['POST', '/api/v1/replication/users/push'],
        ['GET', '/api/v1/replication/users/stream'],
      ] as const) {
        const r = await api(server, token, method, path, method === 'POST' ? [] : undefined);
        expect(r.status, path).toBe(404);
        expectErrorBody(r.body);
      }
    });

    it('refuses pushes to inventory and journals, which only the backend writes', async () => {
      const tech = await server.token('tech1');
      const admin = await server.token('admin');
      const inventoryDoc = {
        id: inventoryDocId(warehouseId('TRUCK-1'), productId(1005)),
        warehouseId: warehouseId('TRUCK-1'),
        productId: productId(1005),
        onHand: 100000,
        onOrder: 0,
        ordered: 0,
        _deleted: false,
      };
      const journal = {
        id: crypto.randomUUID(),
        kind: 'posting',
        journalName: 'adjustment',
        status: 'posted',
        sourceCollection: 'inventoryTransactions',
        sourceId: crypto.randomUUID(),
        warehouseId: warehouseId('TRUCK-1'),
        postedAt: new Date().toISOString(),
        occurredAt: new Date().toISOString(),
        lines: [],
        _deleted: false,
      };
      const before = await onHand(server, admin, 'TRUCK-1', productNumber(1005));
      for (const token of [tech, admin]) {
        const inv = await pushNew(server, token, 'inventory', [inventoryDoc]);
        expect(inv.status).toBe(403);
        expectErrorBody(inv.body);
        const jr = await pushNew(server, token, 'journals', [journal]);
        expect(jr.status).toBe(403);
        expectErrorBody(jr.body);
      }
      expect(await onHand(server, admin, 'TRUCK-1', productNumber(1005))).toBe(before);
      expect(await pulledDoc(server, admin, 'journals', journal.id)).toBeUndefined();
    });

    it('takes master data from admins only, and answers a stale assumedMasterState with the current master', async () => {
      const tech = await server.token('tech1');
      const admin = await server.token('admin');

      const fromTech = newProduct(`tech-${engine}`);
      const refused = await pushNew(server, tech, 'products', [fromTech]);
      expect(refused.status).toBe(403);
      expectErrorBody(refused.body);
      expect(await pulledDoc(server, tech, 'products', String(fromTech.id))).toBeUndefined();

      const existing = await pulledDoc(server, tech, 'products', productId(1010));
      expect(existing).toBeDefined();
      const techEdit = await push(server, tech, 'products', [{ assumedMasterState: existing, newDocumentState: { ...existing, name: 'Renamed by tech' } }]);
      expect(techEdit.status).toBe(403);

      const product = newProduct(`admin-${engine}`);
      const created = await pushNew(server, admin, 'products', [product]);
      expect(created.status).toBe(200);
      expect(created.body).toEqual([]);
      expect(await pulledDoc(server, tech, 'products', String(product.id))).toEqual(product);

      const renamed = { ...product, name: 'Renamed by admin' };
      const update = await push(server, admin, 'products', [{ assumedMasterState: product, newDocumentState: renamed }]);
      expect(update.status).toBe(200);
      expect(update.body).toEqual([]);

      // A second device still assumes the first version: not applied, the master comes back.
      const stale = await push(server, admin, 'products', [{ assumedMasterState: product, newDocumentState: { ...product, name: 'Stale rename' } }]);
      expect(stale.status).toBe(200);
      expect(stale.body).toEqual([renamed]);
      // Creating it again as if new is also a conflict.
      const recreate = await pushNew(server, admin, 'products', [{ ...product, name: 'Recreated' }]);
      expect(recreate.body).toEqual([renamed]);

      const pulled = (await pullAll<Doc>(server, tech, 'products')).filter((d) => d.id === product.id);
      expect(pulled).toEqual([renamed]);
    });

    it('streams RESYNC first, then pushed changes in the caller scope as { documents, checkpoint }', async () => {
      const tech1 = await server.token('tech1');
      const tech2 = await server.token('tech2');

      const unauthenticated = await openStream(server, undefined, 'inventoryTransactions');
      expect(unauthenticated.response.status).toBe(401);
      unauthenticated.close();
      const tokenInUrl = await fetch(`${server.url}/api/v1/replication/inventoryTransactions/stream?token=${encodeURIComponent(tech1)}`);
      expect(tokenInUrl.status).not.toBe(200);
      await tokenInUrl.body?.cancel();

      const stream = await openStream(server, tech1, 'inventoryTransactions');
      try {
        expect(stream.response.status).toBe(200);
        expect(stream.response.headers.get('content-type')).toMatch(/^text\/event-stream/);
        expect(await stream.next()).toEqual({ kind: 'data', data: 'RESYNC' });

        // Another truck's change first: it must never reach tech1's stream.
        const foreign = adjustment({ warehouseId: warehouseId('TRUCK-2'), productId: productId(1020), quantity: 2 });
        expect((await pushNew(server, tech2, 'inventoryTransactions', [foreign])).status).toBe(200);
        const own = adjustment({ warehouseId: warehouseId('TRUCK-1'), productId: productId(1021), quantity: 3 });
        expect((await pushNew(server, tech1, 'inventoryTransactions', [own])).status).toBe(200);

        const { seen, checkpoint } = await readUntilDocument(stream, own.id);
        expect(seen.map((d) => d.id)).not.toContain(foreign.id);
        expect(seen.find((d) => d.id === own.id)).toMatchObject({ id: own.id, status: 'posted', journalId: expect.any(String), quantity: 3 });
        expect(checkpoint).toEqual(expect.any(Object));
        expect(checkpoint).not.toBeNull();

        // The checkpoint is one a pull accepts: pulling from it finds nothing older again.
        const after = await api<Page>(server, tech1, 'GET', `/api/v1/replication/inventoryTransactions/pull?checkpoint=${encodeURIComponent(JSON.stringify(checkpoint))}`);
        expect(after.status).toBe(200);
        expect(after.body.documents.map((d) => d.id)).not.toContain(own.id);

        // Heartbeats keep it open.
        expect(await stream.nextComment()).toMatch(/^:/);
      } finally {
        stream.close();
      }
    });

    it('posts the good rows of a batch that also has invalid rows, and replication carries on', async () => {
      const token = await server.token('tech1');
      const admin = await server.token('admin');
      const truck = warehouseId('TRUCK-1');
      const product = productId(1030);
      const before = await onHand(server, admin, 'TRUCK-1', productNumber(1030));

      const good1 = adjustment({ warehouseId: truck, productId: product, quantity: 3 });
      const good2 = adjustment({ warehouseId: truck, productId: product, quantity: -1.25 });
      const extraProperty = { ...adjustment({ warehouseId: truck, productId: product, quantity: 100 }), color: 'red' };
      const wrongType = { ...adjustment({ warehouseId: truck, productId: product, quantity: 100 }), quantity: '100' };
      const tooPrecise = adjustment({ warehouseId: truck, productId: product, quantity: 1.23456 });
      const unknownProduct = adjustment({ warehouseId: truck, productId: crypto.randomUUID(), quantity: 5 });

      const r = await push(
        server,
        token,
        'inventoryTransactions',
        [extraProperty, good1, wrongType, tooPrecise, unknownProduct, good2].map((d) => ({ newDocumentState: d })),
      );
      expect(r.status).toBe(200);
      expect(Array.isArray(r.body)).toBe(true);
      const conflictIds = r.body.map((d) => d.id);
      expect(conflictIds).not.toContain(good1.id);
      expect(conflictIds).not.toContain(good2.id);

      const docs = new Map((await pullAll<Doc>(server, token, 'inventoryTransactions')).map((d) => [d.id, d]));
      for (const good of [good1, good2]) {
        expect(docs.get(good.id)).toEqual({ ...good, status: 'posted', journalId: expect.any(String) });
      }
      expect(docs.get(tooPrecise.id)).toMatchObject({ status: 'rejected', error: { code: 'precision-exceeded', message: expect.any(String) } });
      expect(docs.get(tooPrecise.id)).not.toHaveProperty('journalId');
      expect(docs.get(unknownProduct.id)).toMatchObject({ status: 'rejected', error: { code: 'unknown-product', message: expect.any(String) } });
      // Schema-invalid rows are never posted (set aside, or kept as rejected).
      for (const bad of [extraProperty, wrongType]) {
        const stored = docs.get(bad.id);
        if (stored !== undefined) expect(stored.status).toBe('rejected');
      }

      // Only the good quantities moved on hand: +3 - 1.25.
      const expected = before + 1.75;
      expect(await onHand(server, admin, 'TRUCK-1', productNumber(1030))).toBeCloseTo(expected, 10);
      const inventory = await pulledDoc(server, token, 'inventory', inventoryDocId(truck, product));
      expect(inventory).toMatchObject({ warehouseId: truck, productId: product, onHand: expected });

      // Each good row has its journal, visible to the author.
      const journals = await pullAll<Doc>(server, token, 'journals');
      for (const good of [good1, good2]) {
        const journalId = docs.get(good.id)?.journalId;
        expect(journals.find((j) => j.id === journalId)).toMatchObject({ sourceId: good.id, warehouseId: truck });
      }

      // Replication carries on: a following push posts, and a pull from the last checkpoint sees it.
      const { checkpoint } = await pageThrough(server, token, 'inventoryTransactions', 1000);
      const next = adjustment({ warehouseId: truck, productId: product, quantity: 1 });
      const again = await pushNew(server, token, 'inventoryTransactions', [next]);
      expect(again.status).toBe(200);
      expect(again.body).toEqual([]);
      const page = await api<Page>(server, token, 'GET', `/api/v1/replication/inventoryTransactions/pull?checkpoint=${encodeURIComponent(JSON.stringify(checkpoint))}`);
      expect(page.status).toBe(200);
      expect(page.body.documents).toEqual([{ ...next, status: 'posted', journalId: expect.any(String) }]);
      expect(await onHand(server, admin, 'TRUCK-1', productNumber(1030))).toBeCloseTo(expected + 1, 10);
    });
  });
}
