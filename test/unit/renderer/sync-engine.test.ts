/**
 * The sync engine and the session controller against a real backend with
 * demo data, on Dexie over fake-indexeddb (the browser's storage, in Node).
 * RxDB's free build opens at most 13 collections per process: every test
 * signs out (closing its database) before the next one signs in.
 */
import { randomUUID } from 'node:crypto';
import { map } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { loadConfig } from '../../../server/config.js';
import type { InventoryTransaction } from '../../../shared/collections.js';
import { SessionController, type ActiveSession } from '../../../renderer/session/controller.js';
import type { SessionView } from '../../../renderer/session/session-view.js';
import type { SyncStatus } from '../../../renderer/sync/status.js';
import { api, DEMO_PASSWORD, demo, pullAll, startTestServer, type TestServer } from '../../helpers/server.js';
import { memoryPlatform, type MemoryPlatform } from './memory-platform.js';
import { deviceStorage, FAST_SYNC, WAIT_MS, waitFor } from './sync-helpers.js';

const truck1 = demo.warehouse('TRUCK-1');
const truck2 = demo.warehouse('TRUCK-2');

interface Device {
  platform: MemoryPlatform;
  controller: SessionController;
  views: SessionView[];
}

const devices: Device[] = [];

function device(options: { platform?: MemoryPlatform; storage?: ReturnType<typeof deviceStorage>; fetch?: typeof fetch; sync?: typeof FAST_SYNC } = {}): Device {
  const platform = options.platform ?? memoryPlatform();
  const views: SessionView[] = [];
  const controller = new SessionController({
    platform,
    onView: (view) => views.push(view),
    storage: options.storage ?? deviceStorage(),
    multiInstance: false,
    fetch: options.fetch,
    sync: options.sync ?? FAST_SYNC,
  });
  const d = { platform, controller, views };
  devices.push(d);
  return d;
}

function active(d: Device): ActiveSession {
  const session = d.controller.active;
  if (!session) throw new Error(`not signed in; views: ${JSON.stringify(d.views)}`);
  return session;
}

function status$(session: ActiveSession) {
  return session.sync.status$;
}

function adjustment(warehouseId: string, productId: string, quantity: number): InventoryTransaction {
  return { id: randomUUID(), type: 'adjustment', warehouseId, productId, quantity, reasonCode: 'DAMAGED', occurredAt: new Date().toISOString(), status: 'pending' };
}

async function firstTruckLevel(session: ActiveSession, warehouseId: string) {
  const level = await session.db.inventory.findOne({ selector: { warehouseId } }).exec();
  if (!level) throw new Error(`no inventory for ${warehouseId} on the device`);
  return level.toJSON();
}

function transaction$(session: ActiveSession, id: string) {
  return session.db.inventoryTransactions.findOne(id).$.pipe(map((doc) => doc?.toJSON() ?? null));
}

describe('the sync engine against a real backend', () => {
  let server: TestServer;
  let adminToken: string;

  beforeAll(async () => {
    server = await startTestServer({ demo: true });
    adminToken = await server.token('admin');
  });
  afterEach(async () => {
    for (const d of devices.splice(0)) await d.controller.signOut();
  });
  afterAll(async () => {
    // Aborted streams can leave idle sockets that would hold close() for the keep-alive timeout.
    server?.fieldstock.app.server.closeAllConnections();
    await server?.close();
  });

  it("tech1's first sync brings every warehouse and product, only TRUCK-1's inventory, and the progress reaches done", async () => {
    const d = device();
    expect(await d.controller.signIn(server.url, 'tech1', DEMO_PASSWORD)).toBeNull();
    const session = active(d);
    expect(d.views.at(-1)).toEqual({ status: 'signed-in', serverUrl: server.url, username: 'tech1', role: 'technician' });

    const done = await waitFor(status$(session), (s) => s.firstSync.done, 'the first sync to finish');
    const ids = async (name: 'warehouses' | 'products' | 'inventory' | 'purchaseOrders') => (await session.db[name].find().exec()).map((doc) => doc.primary).sort();
    const serverIds = async (name: string, keep: (doc: Record<string, unknown>) => boolean = () => true) =>
      (await pullAll(server, adminToken, name)).filter(keep).map((doc) => String(doc.id)).sort();
    const onTruck1 = (doc: Record<string, unknown>) => doc.warehouseId === truck1;

    expect(await ids('warehouses')).toEqual(await serverIds('warehouses'));
    expect(await ids('products')).toEqual(await serverIds('products'));
    expect((await ids('products')).length).toBeGreaterThanOrEqual(200);
    const inventory = await ids('inventory');
    expect(inventory.length).toBeGreaterThan(0);
    expect(inventory).toEqual(await serverIds('inventory', onTruck1));
    expect(await ids('purchaseOrders')).toEqual(await serverIds('purchaseOrders', onTruck1));

    // Progress counted what the first pulls brought, per collection.
    expect(done.firstSync.received.products).toBe((await ids('products')).length);
    expect(done.firstSync.received.inventory).toBe(inventory.length);
    expect(new Set(done.firstSync.completed)).toEqual(new Set(session.sync.replications.keys()));
    expect(done.firstSync.emptyAtStart).toBe(true);
    expect(done.connection).toBe('online');
    expect(done.lastError).toBeNull();
    expect(Date.parse(done.lastSyncedAt ?? '')).toBeGreaterThan(Date.now() - 60_000);
    // The refresh token is kept through the platform; the access token is not.
    expect(d.platform.session).toEqual({ serverUrl: server.url, username: 'tech1', refreshToken: expect.any(String) });
  });

  it('a pending adjustment made on the device is uploaded, comes back posted with its journal, and the waiting-uploads count returns to 0', async () => {
    const d = device();
    await d.controller.signIn(server.url, 'tech1', DEMO_PASSWORD);
    const session = active(d);
    await waitFor(status$(session), (s) => s.firstSync.done, 'the first sync');
    const seen: SyncStatus[] = [];
    const sub = status$(session).subscribe((s) => seen.push(s));
    const level = await firstTruckLevel(session, truck1);
    const tx = adjustment(truck1, level.productId, -1.25);

    await session.db.inventoryTransactions.insert(tx);

    const posted = await waitFor(transaction$(session, tx.id), (doc) => doc?.status === 'posted', 'the adjustment to come back posted');
    await waitFor(status$(session), (s) => s.pendingUploads === 0, 'no uploads waiting');
    sub.unsubscribe();
    expect(seen.some((s) => s.pendingUploads === 1)).toBe(true);
    expect(posted?.journalId).toEqual(expect.any(String));
    // The posting's inventory and journal arrive over the stream.
    await waitFor(session.db.inventory.findOne(level.id).$, (doc) => doc?.onHand === level.onHand - 1.25, 'the new on-hand on the device');
    const journal = await waitFor(session.db.journals.findOne(posted?.journalId ?? '').$, (doc) => doc !== null, 'the journal on the device');
    expect(journal?.sourceId).toBe(tx.id);
    const onServer = (await pullAll<InventoryTransaction>(server, adminToken, 'inventoryTransactions')).find((t) => t.id === tx.id);
    expect(onServer?.status).toBe('posted');
  });

  it("every collection is live over one stream connection: an admin's product rename and warehouse edit reach the device without a resync", async () => {
    const requests: URL[] = [];
    const counting: typeof fetch = (input, init) => {
      requests.push(new URL(String(input instanceof Request ? input.url : input)));
      return fetch(input, init);
    };
    const d = device({ fetch: counting });
    await d.controller.signIn(server.url, 'tech1', DEMO_PASSWORD);
    const session = active(d);
    await waitFor(status$(session), (s) => s.firstSync.done, 'the first sync');
    await session.sync.awaitInSync();
    const before = requests.length;

    const product = (await pullAll(server, adminToken, 'products')).find((doc) => doc.id === demo.product('P-1060'));
    const warehouse = (await pullAll(server, adminToken, 'warehouses')).find((doc) => doc.id === truck2);
    if (!product || !warehouse) throw new Error('demo data is missing P-1060 or TRUCK-2');
    const renamed = { ...product, name: 'Renamed while tech1 is signed in' };
    const edited = { ...warehouse, name: 'Edited while tech1 is signed in' };
    const pushed = await Promise.all([
      api(server, adminToken, 'POST', '/api/v1/replication/products/push', [{ assumedMasterState: product, newDocumentState: renamed }]),
      api(server, adminToken, 'POST', '/api/v1/replication/warehouses/push', [{ assumedMasterState: warehouse, newDocumentState: edited }]),
    ]);
    expect(pushed.map((r) => [r.status, r.body])).toEqual([
      [200, []],
      [200, []],
    ]);

    await waitFor(session.db.products.findOne(String(product.id)).$, (doc) => doc?.name === renamed.name, 'the renamed product on the device');
    await waitFor(session.db.warehouses.findOne(String(warehouse.id)).$, (doc) => doc?.name === edited.name, 'the edited warehouse on the device');
    // Nobody asked for a resync and no pull of either collection was made: the stream brought both.
    const pulledSince = requests.slice(before).filter((u) => /^\/api\/v1\/replication\/(products|warehouses)\/pull$/.test(u.pathname));
    expect(pulledSince.map((u) => u.pathname)).toEqual([]);
    // One connection carries all nine collections; no per-collection stream was opened.
    const streams = requests.filter((u) => u.pathname.endsWith('/stream'));
    expect(streams.map((u) => u.pathname)).toEqual(['/api/v1/replication/stream']);
    expect(new Set(streams[0]?.searchParams.get('collections')?.split(','))).toEqual(new Set(session.sync.replications.keys()));
    expect(session.sync.replications.size).toBe(9);
  });

  it('signing out cancels every replication and keeps unsent work; signing in as tech2 opens another database with only TRUCK-2 stock', async () => {
    const storage = deviceStorage();
    // Pushes fail (as if the network dropped at that moment); everything else goes through.
    let pushesFail = true;
    const flakyFetch: typeof fetch = (input, init) =>
      pushesFail && String(input instanceof Request ? input.url : input).endsWith('/push') ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init);
    const d = device({ storage, fetch: flakyFetch });
    await d.controller.signIn(server.url, 'tech1', DEMO_PASSWORD);
    const tech1 = active(d);
    await waitFor(status$(tech1), (s) => s.firstSync.done, "tech1's first sync");
    const level = await firstTruckLevel(tech1, truck1);
    const tx = adjustment(truck1, level.productId, 3);
    await tech1.db.inventoryTransactions.insert(tx);
    const failing = await waitFor(status$(tech1), (s) => s.lastError?.collection === 'inventoryTransactions', 'the failed upload in the status');
    expect(failing.lastError?.code).toBe('network-error');
    expect(failing.pendingUploads).toBe(1);

    await d.controller.signOut();

    expect(d.controller.active).toBeNull();
    for (const [name, replication] of tech1.sync.replications) expect(replication.isStopped(), `${name} replication stopped`).toBe(true);
    expect(tech1.db.closed).toBe(true);
    expect(tech1.sync.status().stopped).toBe(true);
    expect(d.platform.session).toBeNull();
    expect(d.platform.listenerCount('online') + d.platform.listenerCount('resume') + d.platform.listenerCount('offline')).toBe(0);
    expect(d.views.at(-1)).toEqual({ status: 'signed-out', problem: null, serverUrl: server.url, username: 'tech1' });

    pushesFail = false;
    expect(await d.controller.signIn(server.url, 'tech2', DEMO_PASSWORD)).toBeNull();
    const tech2 = active(d);
    expect(tech2.db.name).not.toBe(tech1.db.name);
    await waitFor(status$(tech2), (s) => s.firstSync.done, "tech2's first sync");
    const warehousesOfStock = new Set((await tech2.db.inventory.find().exec()).map((doc) => doc.warehouseId));
    expect(warehousesOfStock).toEqual(new Set([truck2]));
    expect(await tech2.db.inventoryTransactions.findOne(tx.id).exec()).toBeNull();

    // Back as tech1 on this device: the adjustment made before signing out is still there, and is uploaded now.
    await d.controller.signOut();
    await d.controller.signIn(server.url, 'tech1', DEMO_PASSWORD);
    const again = active(d);
    expect(again.db.name).toBe(tech1.db.name);
    await waitFor(transaction$(again, tx.id), (doc) => doc?.status === 'posted', 'the adjustment kept across sign-out to be posted');
    await waitFor(status$(again), (s) => s.pendingUploads === 0 && s.lastError === null, 'nothing waiting and no error');
  });

  it('offline, an upload waits and the status says offline; the online event retries at once, without waiting for the backoff', async () => {
    let offline = false;
    const switchable: typeof fetch = (input, init) => (offline ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init));
    // A backoff far longer than the test: only the online event can make the retry happen in time.
    const d = device({ fetch: switchable, sync: { retryTimeMs: 50, backoff: { minMs: 120_000, maxMs: 120_000 } } });
    await d.controller.signIn(server.url, 'tech1', DEMO_PASSWORD);
    const session = active(d);
    await waitFor(status$(session), (s) => s.firstSync.done, 'the first sync');
    const level = await firstTruckLevel(session, truck1);

    offline = true;
    d.platform.emit('offline');
    expect(session.sync.status().connection).toBe('offline');
    const tx = adjustment(truck1, level.productId, 1);
    await session.db.inventoryTransactions.insert(tx);
    const waiting = await waitFor(status$(session), (s) => s.lastError?.code === 'network-error' && s.pendingUploads === 1, 'the failed upload');
    expect(waiting.connection).toBe('offline');

    offline = false;
    d.platform.emit('online');
    await waitFor(transaction$(session, tx.id), (doc) => doc?.status === 'posted', 'the upload after the online event', 10_000);
    const after = await waitFor(status$(session), (s) => s.pendingUploads === 0 && s.connection === 'online', 'online with nothing waiting');
    expect(after.lastError).toBeNull();
  });

  it('a stored session whose refresh token the server refuses ends with "session expired", and the sync stops', async () => {
    const platform = memoryPlatform({ serverUrl: server.url, username: 'tech1', refreshToken: 'not-a-valid-refresh-token' });
    const d = device({ platform });

    await d.controller.restore();
    const started = active(d);
    expect(d.views.at(-1)).toMatchObject({ status: 'signed-in', username: 'tech1' });
    await vi.waitFor(() => expect(d.views.at(-1)).toEqual({ status: 'signed-out', problem: { kind: 'session-expired' }, serverUrl: server.url, username: 'tech1' }), {
      timeout: WAIT_MS,
    });

    expect(d.controller.active).toBeNull();
    expect(platform.session).toBeNull();
    for (const replication of started.sync.replications.values()) expect(replication.isStopped()).toBe(true);
  });

  it('a stored session starts offline-first: local data shows at once and an unreachable server is an offline status, not a sign-out', async () => {
    const storage = deviceStorage();
    const first = device({ storage });
    await first.controller.signIn(server.url, 'tech1', DEMO_PASSWORD);
    await waitFor(status$(active(first)), (s) => s.firstSync.done, 'the first sync');
    const stored = first.platform.session;
    if (!stored) throw new Error('no stored session');
    const products = await active(first).db.products.count().exec();
    // Close the app without signing out (the session stays stored).
    await active(first).sync.stop();
    await active(first).db.close();
    devices.splice(devices.indexOf(first), 1);

    const unreachable: typeof fetch = () => Promise.reject(new TypeError('fetch failed'));
    const d = device({ storage, platform: memoryPlatform(stored), fetch: unreachable });
    await d.controller.restore();
    const session = active(d);
    expect(session.user).toMatchObject({ username: 'tech1', role: 'technician', warehouseIds: [truck1] });
    expect(await session.db.products.count().exec()).toBe(products);
    const offline = await waitFor(status$(session), (s) => s.connection === 'offline' && s.firstSync.emptyAtStart !== null, 'the offline status');
    expect(offline.lastError?.code).toBe('network-error');
    // Not a first sync: the data is there already, so no progress bar.
    expect(offline.firstSync.emptyAtStart).toBe(false);
    expect(d.controller.active).not.toBeNull();
  });

  describe('with access tokens that last 1.5 s', () => {
    let shortLived: TestServer;
    beforeAll(async () => {
      shortLived = await startTestServer({ demo: true, config: { auth: { ...loadConfig({}).auth, accessTtlMs: 1_500 } } });
    });
    afterAll(async () => {
      shortLived?.fieldstock.app.server.closeAllConnections();
      await shortLived?.close();
    });

    it('a token about to expire is refreshed before use and syncing goes on; the rotated refresh token is saved', async () => {
      const d = device();
      await d.controller.signIn(shortLived.url, 'tech1', DEMO_PASSWORD);
      const session = active(d);
      await waitFor(status$(session), (s) => s.firstSync.done, 'the first sync');
      const firstRefreshToken = d.platform.session?.refreshToken;
      await new Promise((resolve) => setTimeout(resolve, 2_000));

      const level = await firstTruckLevel(session, truck1);
      const tx = adjustment(truck1, level.productId, 2);
      await session.db.inventoryTransactions.insert(tx);

      await waitFor(transaction$(session, tx.id), (doc) => doc?.status === 'posted', 'the upload with a refreshed token');
      expect(d.platform.session?.refreshToken).toEqual(expect.any(String));
      expect(d.platform.session?.refreshToken).not.toBe(firstRefreshToken);
      expect(d.controller.active).not.toBeNull();
    });

    it('a request refused with token-expired is retried once after one refresh, without signing out', async () => {
      // The device believes its tokens last an hour, so only the server's 401 can tell it otherwise.
      const refreshes: number[] = [];
      let refusedAsExpired = 0;
      const trusting: typeof fetch = async (input, init) => {
        const url = String(input instanceof Request ? input.url : input);
        const response = await fetch(input, init);
        if (response.status === 401 && ((await response.clone().json()) as { code?: string }).code === 'token-expired') refusedAsExpired++;
        if (!/\/auth\/(login|refresh)$/.test(url) || !response.ok) return response;
        if (url.endsWith('/refresh')) refreshes.push(Date.now());
        const body = (await response.json()) as Record<string, unknown>;
        return new Response(JSON.stringify({ ...body, expiresIn: 3600 }), { status: 200, headers: { 'content-type': 'application/json' } });
      };
      const d = device({ fetch: trusting });
      await d.controller.signIn(shortLived.url, 'tech1', DEMO_PASSWORD);
      const session = active(d);
      await waitFor(status$(session), (s) => s.firstSync.done, 'the first sync');
      // Meanwhile the server ends the streams with the token; their reconnects and pulls meet 401s.
      await new Promise((resolve) => setTimeout(resolve, 2_000));

      const level = await firstTruckLevel(session, truck1);
      const tx = adjustment(truck1, level.productId, 2);
      await session.db.inventoryTransactions.insert(tx);

      await waitFor(transaction$(session, tx.id), (doc) => doc?.status === 'posted', 'the upload after a 401 and a refresh');
      // One refresh served every collection's refused request (a second would have revoked the session).
      expect(refusedAsExpired).toBeGreaterThan(0);
      expect(refreshes.length).toBeGreaterThanOrEqual(1);
      expect(d.controller.active).not.toBeNull();
      expect(session.sync.status().lastError).toBeNull();
    });
  });
});
