// Least privilege that follows an admin's changes (docs/api.md "When a user's
// scope changes"): a checkpoint carries the scope it was read under, so a pull
// from an old checkpoint starts over and brings the documents a newly added
// warehouse already had; a removed warehouse's new changes stop arriving; open
// streams re-read the user on every heartbeat, say "RESYNC" when the scope
// changed and end when the session is over.
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { ReplicationCheckpoint, Role } from '../../shared/wire.js';
import { adjustment, api, demo, pullAll, pushNew, startTestServer, type TestServer } from '../helpers/server.js';
import { sseBlockReader } from '../helpers/sse-blocks.js';
import { ENGINES, describeEngine, inventoryDocId, openStream, productId, push, warehouseId, type Doc } from './api-support.js';

const PASSWORD = 'a-long-password';
const WAIT_MS = 10_000;

interface Pulled {
  docs: Doc[];
  checkpoint: ReplicationCheckpoint | null;
}

/** Every page after `checkpoint`, as a device resuming from it would pull them. */
async function pullFrom(server: TestServer, token: string, collection: string, checkpoint: ReplicationCheckpoint | null): Promise<Pulled> {
  const docs: Doc[] = [];
  let at = checkpoint;
  for (;;) {
    const qs = new URLSearchParams({ limit: '1000' });
    if (at) qs.set('checkpoint', JSON.stringify(at));
    const r = await api<{ documents: Doc[]; checkpoint: ReplicationCheckpoint | null }>(server, token, 'GET', `/api/v1/replication/${collection}/pull?${qs.toString()}`);
    expect(r.status, `pull ${collection}`).toBe(200);
    docs.push(...r.body.documents);
    at = r.body.checkpoint;
    if (r.body.documents.length < 1000) return { docs, checkpoint: at };
  }
}

/** Every warehouse id a document mentions (its own, a transfer's destination, journal lines'). */
function warehousesOf(doc: Doc): string[] {
  const ids = [doc.warehouseId, doc.toWarehouseId].filter((v): v is string => typeof v === 'string');
  if (Array.isArray(doc.lines)) for (const l of doc.lines as Doc[]) if (typeof l.warehouseId === 'string') ids.push(l.warehouseId);
  return ids;
}

const idsIn = (docs: Doc[], warehouse: string) => docs.filter((d) => warehousesOf(d).includes(warehouse)).map((d) => String(d.id));

/** The multiplexed stream's events (comments skipped); 'end' once the server ended it. */
function openMultiplexed(server: TestServer, token: string, collections: string[]) {
  const controller = new AbortController();
  const opened = fetch(`${server.url}/api/v1/replication/stream?collections=${collections.join(',')}`, {
    headers: { authorization: `Bearer ${token}` },
    signal: controller.signal,
  });
  const reader = opened.then((response) => {
    expect(response.status).toBe(200);
    return sseBlockReader(response.body);
  });
  const next = async (): Promise<{ event: string | null; data: unknown } | 'end'> => {
    const blocks = await reader;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no stream event within ${WAIT_MS} ms`)), WAIT_MS);
    });
    const read = async () => {
      for (;;) {
        const block = await blocks.next();
        if (block.kind === 'end' || block.kind === 'broken') return 'end' as const;
        if (block.kind === 'event') return { event: block.event, data: block.data };
      }
    };
    return Promise.race([read(), timeout]).finally(() => clearTimeout(timer));
  };
  return {
    next,
    close: () => {
      controller.abort();
      void reader.then((r) => r.cancel()).catch(() => undefined);
    },
  };
}

for (const engine of ENGINES) {
  describeEngine(engine, 'scope changes', () => {
    let server: TestServer;
    let admin: string;
    let tech2: string;
    let serial = 0;
    const truck1 = warehouseId('TRUCK-1');
    const truck2 = warehouseId('TRUCK-2');

    beforeAll(async () => {
      // A short heartbeat: streams re-read their user on every beat.
      server = await startTestServer({ engine, config: { heartbeatMs: 100 } });
      [admin, tech2] = await Promise.all([server.token('admin'), server.token('tech2')]);
    });
    afterAll(() => server?.close());

    /** A new user of this test only, signed in. */
    async function newUser(role: Role, warehouseCodes: string[]): Promise<{ username: string; token: string; refreshToken: string }> {
      serial += 1;
      const username = `scoped-${serial}`;
      expect((await api(server, admin, 'POST', '/api/v1/admin/users', { username, password: PASSWORD, role, warehouseCodes })).status).toBe(201);
      const session = await server.login(username, PASSWORD);
      return { username, token: session.accessToken, refreshToken: session.refreshToken };
    }

    const setWarehouses = async (username: string, warehouseCodes: string[]) => {
      const r = await api(server, admin, 'PATCH', `/api/v1/admin/users/${username}`, { warehouseCodes });
      expect(r.status).toBe(200);
    };

    it("after a warehouse is added, a pull from the device's old checkpoint brings that warehouse's existing inventory and purchase orders, once", async () => {
      const user = await newUser('technician', ['TRUCK-1']);
      const expected = {
        inventory: idsIn(await pullAll<Doc>(server, admin, 'inventory'), truck2),
        purchaseOrders: idsIn(await pullAll<Doc>(server, admin, 'purchaseOrders'), truck2),
      };
      expect(expected.inventory.length).toBeGreaterThan(0);
      expect(expected.purchaseOrders).toContain(demo.purchaseOrder('PO-2004'));

      for (const collection of ['inventory', 'purchaseOrders'] as const) {
        const first = await pullFrom(server, user.token, collection, null);
        expect(idsIn(first.docs, truck2), collection).toEqual([]);
        expect(first.checkpoint).toEqual({ seq: expect.any(Number), scope: expect.any(String) });
        const old = first.checkpoint as ReplicationCheckpoint;

        await setWarehouses(user.username, ['TRUCK-1', 'TRUCK-2']);
        // Paging by sequence alone would bring nothing: those documents are older than the checkpoint.
        expect((await pullFrom(server, user.token, collection, { seq: old.seq })).docs, collection).toEqual([]);

        const resumed = await pullFrom(server, user.token, collection, old);
        expect(idsIn(resumed.docs, truck2).sort(), collection).toEqual([...expected[collection]].sort());
        // What the device already had comes again (RxDB applies it as a no-op); nothing outside the new scope.
        for (const doc of first.docs) expect(resumed.docs.map((d) => d.id)).toContain(doc.id);
        for (const doc of resumed.docs) expect(warehousesOf(doc).some((w) => w === truck1 || w === truck2), String(doc.id)).toBe(true);
        expect(resumed.checkpoint?.scope).toBeDefined();
        expect(resumed.checkpoint?.scope).not.toBe(old.scope);
        // Once: the new checkpoint is in the new scope, so the next pull resumes normally.
        expect((await pullFrom(server, user.token, collection, resumed.checkpoint)).docs, collection).toEqual([]);

        await setWarehouses(user.username, ['TRUCK-1']);
      }

      // Collections everyone reads do not start over: their checkpoint scope is the same for every user.
      const products = await pullFrom(server, user.token, 'products', null);
      await setWarehouses(user.username, ['TRUCK-3']);
      expect((await pullFrom(server, user.token, 'products', products.checkpoint)).docs).toEqual([]);
    });

    it("after a warehouse is removed, pulls bring none of its new changes, and the user's pushes for it are rejected", async () => {
      const user = await newUser('technician', ['TRUCK-1', 'TRUCK-2']);
      const collections = ['inventory', 'inventoryTransactions', 'journals'] as const;
      const before = new Map<string, ReplicationCheckpoint | null>();
      for (const collection of collections) before.set(collection, (await pullFrom(server, user.token, collection, null)).checkpoint);
      expect(idsIn((await pullFrom(server, user.token, 'inventory', null)).docs, truck2).length).toBeGreaterThan(0);

      await setWarehouses(user.username, ['TRUCK-1']);
      // New activity on both trucks after the change.
      const onTruck2 = adjustment({ warehouseId: truck2, productId: productId(1061), quantity: 3 });
      expect((await pushNew(server, tech2, 'inventoryTransactions', [onTruck2])).status).toBe(200);
      const onTruck1 = adjustment({ warehouseId: truck1, productId: productId(1062), quantity: 2 });
      const refused = adjustment({ warehouseId: truck2, productId: productId(1063), quantity: 1 });
      expect((await pushNew(server, user.token, 'inventoryTransactions', [onTruck1, refused])).status).toBe(200);

      const pulled = new Map<string, Doc[]>();
      for (const collection of collections) {
        const resumed = await pullFrom(server, user.token, collection, before.get(collection) ?? null);
        pulled.set(collection, resumed.docs);
        // Nothing of TRUCK-2 but the user's own refused document (authors keep seeing what they wrote).
        const leaked = resumed.docs.filter((d) => warehousesOf(d).includes(truck2) && d.id !== refused.id);
        expect(leaked, collection).toEqual([]);
      }
      expect(pulled.get('inventoryTransactions')?.find((d) => d.id === onTruck1.id)).toMatchObject({ status: 'posted' });
      expect(pulled.get('inventoryTransactions')?.find((d) => d.id === refused.id)).toMatchObject({ status: 'rejected', error: { code: 'warehouse-not-in-scope' } });
      expect(pulled.get('inventoryTransactions')?.map((d) => d.id)).not.toContain(onTruck2.id);
      expect(pulled.get('journals')?.some((j) => j.sourceId === onTruck1.id)).toBe(true);
      expect(pulled.get('inventory')?.map((d) => d.id)).toContain(inventoryDocId(truck1, productId(1062)));
      expect(pulled.get('inventory')?.map((d) => d.id)).not.toContain(inventoryDocId(truck2, productId(1061)));
    });

    it('an open stream says RESYNC for warehouse-bound collections after a scope change and then carries the new scope', async () => {
      const user = await newUser('technician', ['TRUCK-1']);
      const stream = openMultiplexed(server, user.token, ['products', 'inventory']);
      try {
        const opening = [await stream.next(), await stream.next()];
        expect(opening.map((e) => (e === 'end' ? e : e.data))).toEqual(['RESYNC', 'RESYNC']);

        await setWarehouses(user.username, ['TRUCK-1', 'TRUCK-2']);
        const seen: { event: string | null; data: unknown }[] = [];
        for (;;) {
          const event = await stream.next();
          if (event === 'end') throw new Error('the stream ended instead of saying RESYNC');
          seen.push(event);
          if (event.event === 'inventory' && event.data === 'RESYNC') break;
        }

        // The stream now serves TRUCK-2: tech2's posting there arrives live, in the new scope.
        const onTruck2 = adjustment({ warehouseId: truck2, productId: productId(1071), quantity: 5 });
        expect((await pushNew(server, tech2, 'inventoryTransactions', [onTruck2])).status).toBe(200);
        const level = inventoryDocId(truck2, productId(1071));
        // And an admin's product edit, to see the products channel carries on without a RESYNC.
        const product = (await pullAll<Doc>(server, admin, 'products')).find((p) => p.id === productId(1072));
        expect(product).toBeDefined();
        const renamed = { ...product, name: `${String(product?.name)} (renamed)` } as Doc;
        expect((await push(server, admin, 'products', [{ assumedMasterState: product ?? null, newDocumentState: renamed }])).body).toEqual([]);

        let inventoryBatch: { documents: Doc[]; checkpoint: ReplicationCheckpoint } | undefined;
        let productSeen = false;
        while (!inventoryBatch || !productSeen) {
          const event = await stream.next();
          if (event === 'end') throw new Error('the stream ended before the new changes arrived');
          seen.push(event);
          if (event.data === 'RESYNC') continue;
          const batch = event.data as { documents: Doc[]; checkpoint: ReplicationCheckpoint };
          if (event.event === 'inventory' && batch.documents.some((d) => d.id === level)) inventoryBatch = batch;
          if (event.event === 'products' && batch.documents.some((d) => d.name === renamed.name)) productSeen = true;
        }
        const fresh = await pullFrom(server, user.token, 'inventory', null);
        expect(inventoryBatch.checkpoint.scope).toBe(fresh.checkpoint?.scope);
        expect(seen.filter((e) => e.event === 'products' && e.data === 'RESYNC')).toEqual([]);
      } finally {
        stream.close();
      }
    });

    it('ends an open stream when the user is disabled, when the session signs out, and when a new password ends the session', async () => {
      const untilEnd = async (next: () => Promise<unknown>, isEnd: (e: unknown) => boolean) => {
        for (;;) if (isEnd(await next())) return;
      };

      const disabled = await newUser('technician', ['TRUCK-1']);
      const single = await openStream(server, disabled.token, 'inventory');
      try {
        expect(single.response.status).toBe(200);
        expect(await single.next()).toEqual({ kind: 'data', data: 'RESYNC' });
        expect((await api(server, admin, 'PATCH', `/api/v1/admin/users/${disabled.username}`, { disabled: true })).status).toBe(200);
        await untilEnd(() => single.next(WAIT_MS), (e) => (e as { kind: string }).kind === 'end');
        // Reconnecting is refused.
        const again = await openStream(server, disabled.token, 'inventory');
        again.close();
        expect(again.response.status).toBe(401);
      } finally {
        single.close();
      }

      const signedOut = await newUser('warehouse', ['WH-MAIN']);
      const multiplexed = openMultiplexed(server, signedOut.token, ['inventory', 'journals']);
      try {
        expect(await multiplexed.next()).toMatchObject({ data: 'RESYNC' });
        expect((await api(server, signedOut.token, 'POST', '/api/v1/auth/logout')).status).toBe(204);
        await untilEnd(multiplexed.next, (e) => e === 'end');
      } finally {
        multiplexed.close();
      }

      const repassworded = await newUser('technician', ['TRUCK-1']);
      const third = openMultiplexed(server, repassworded.token, ['inventoryTransactions']);
      try {
        expect(await third.next()).toMatchObject({ event: 'inventoryTransactions', data: 'RESYNC' });
        expect((await api(server, admin, 'PATCH', `/api/v1/admin/users/${repassworded.username}`, { password: 'another-long-password' })).status).toBe(200);
        await untilEnd(third.next, (e) => e === 'end');
      } finally {
        third.close();
      }
    });
  });
}
