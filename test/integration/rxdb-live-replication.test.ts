/**
 * Real RxDB 17 clients (memory storage validated by RxDB's ajv, dev-mode on)
 * replicating Fieldstock's shared collection schemas live against a real
 * backend with demo data, through the app's own handlers
 * (renderer/sync/http-replication.ts: pull, push and the SSE stream$).
 *
 * RxDB's free build opens at most 13 collections per process: every test
 * closes its client databases (afterEach).
 */
import { randomUUID } from 'node:crypto';
import {
  addRxPlugin,
  createRxDatabase,
  overwritable,
  type RxCollection,
  type RxDatabase,
  type RxDocument,
  type RxJsonSchema,
  type RxReplicationPullStreamItem,
  type WithDeleted,
} from 'rxdb';
import { disableWarnings, RxDBDevModePlugin } from 'rxdb/plugins/dev-mode';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { getValidator, wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import { filter, firstValueFrom, map, timeout, type Observable } from 'rxjs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { migrationStrategies } from '../../renderer/db/migrations.js';
import { pullHandler, pushHandler, streamOf, type Endpoint } from '../../renderer/sync/http-replication.js';
import { COLLECTION_NAMES, collectionSchemas, type CollectionDocuments, type CollectionName } from '../../shared/collections.js';
import type { ReplicationCheckpoint } from '../../shared/wire.js';
import { describeIfPg } from '../helpers/postgres.js';
import { api, demo, pullAll, startTestServer, type Engine, type TestServer } from '../helpers/server.js';

disableWarnings();
addRxPlugin(RxDBDevModePlugin);
// The shared schemas are past version 0: RxDB wants their migration strategies and this plugin.
addRxPlugin(RxDBMigrationSchemaPlugin);

/** Long enough for a push, a posting and a stream event on a busy 2-core machine. */
const WAIT_MS = 15_000;
/** Collections the client pushes to (the others are pull-only on devices). */
const PUSHED: ReadonlySet<CollectionName> = new Set(['inventoryTransactions', 'receipts', 'customerAssets']);

type Doc<C extends CollectionName> = CollectionDocuments[C];
type Wire<C extends CollectionName> = WithDeleted<Doc<C>>;

interface Client {
  username: string;
  db: RxDatabase;
  collection<C extends CollectionName>(name: C): RxCollection<Doc<C>>;
  replication(name: CollectionName): RxReplicationState<unknown, ReplicationCheckpoint>;
  /** Every error the replications reported (pull, push, stream, local validation). */
  errors: unknown[];
  /** Conflicts the server reported on pushes, with what RxDB's conflict handler made of them. */
  conflicts: { collection: CollectionName; pushed: Record<string, unknown>; resolved: Record<string, unknown> }[];
  close(): Promise<void>;
}

const openClients: Client[] = [];

/**
 * A device: an RxDB database with the given shared collections, signed in as
 * `username`, replicating live (stream$ included). With `start: false` the
 * replications are created but not started (local writes can be made first).
 */
async function openClient(server: TestServer, username: string, names: CollectionName[], options: { start?: boolean } = {}): Promise<Client> {
  const token = await server.token(username);
  const db = await createRxDatabase({
    name: `fs${randomUUID().replace(/-/g, '')}`,
    storage: wrappedValidateAjvStorage({ storage: getRxStorageMemory() }),
    multiInstance: false,
  });
  // The shared schemas are `as const` literals; RxDB's schema type is a mapped type over the document type.
  const added = await db.addCollections(
    Object.fromEntries(
      names.map((name) => [name, { schema: collectionSchemas[name] as unknown as RxJsonSchema<Doc<typeof name>>, migrationStrategies: migrationStrategies[name] }]),
    ),
  );
  const errors: unknown[] = [];
  const conflicts: Client['conflicts'] = [];
  const replications = new Map<CollectionName, RxReplicationState<unknown, ReplicationCheckpoint>>();
  for (const name of names) {
    const ep: Endpoint = { baseUrl: server.url, collection: name, accessToken: () => token };
    const state = replicateRxCollection<Doc<typeof name>, ReplicationCheckpoint>({
      replicationIdentifier: `fieldstock:${server.url}:${username}:${name}`,
      collection: added[name] as RxCollection<Doc<typeof name>>,
      live: true,
      retryTime: 250,
      waitForLeadership: false,
      toggleOnDocumentVisible: false,
      autoStart: options.start !== false,
      pull: {
        handler: pullHandler<Wire<typeof name>>(ep),
        batchSize: 500,
        // The wire type allows a null checkpoint (nothing pulled yet); RxDB's is the checkpoint type itself.
        stream$: streamOf<Wire<typeof name>>(ep, { minDelayMs: 100 }) as Observable<RxReplicationPullStreamItem<Doc<typeof name>, ReplicationCheckpoint>>,
      },
      push: PUSHED.has(name) ? { handler: pushHandler<Wire<typeof name>>(ep), batchSize: 100 } : undefined,
    });
    state.error$.subscribe((error) => errors.push(error));
    state.conflict$.subscribe((c) => conflicts.push({ collection: name, pushed: { ...c.input.newDocumentState }, resolved: { ...c.output } }));
    replications.set(name, state as RxReplicationState<unknown, ReplicationCheckpoint>);
  }
  const client: Client = {
    username,
    db,
    errors,
    conflicts,
    collection<C extends CollectionName>(name: C) {
      const c = added[name];
      if (!c) throw new Error(`${username}'s client has no ${name} collection`);
      // addCollections() typed its result by the union of the names given; this is the one for C.
      return c as unknown as RxCollection<Doc<C>>;
    },
    replication(name) {
      const r = replications.get(name);
      if (!r) throw new Error(`${username}'s client does not replicate ${name}`);
      return r;
    },
    async close() {
      await Promise.all([...replications.values()].map((r) => r.cancel()));
      await db.close();
    },
  };
  openClients.push(client);
  if (options.start !== false) await Promise.all([...replications.values()].map((r) => r.awaitInitialReplication()));
  return client;
}

/** Resolves with the first value of a document query that satisfies `predicate`, or fails saying what it waited for. */
async function waitFor<T>(source$: Observable<T>, predicate: (value: T) => boolean, what: string): Promise<T> {
  let last: T | undefined;
  try {
    return await firstValueFrom(
      source$.pipe(
        filter((value) => {
          last = value;
          return predicate(value);
        }),
        timeout({ first: WAIT_MS }),
      ),
    );
  } catch (error) {
    throw new Error(`gave up waiting for ${what}; last seen: ${JSON.stringify(last)}`, { cause: error });
  }
}

function json<T>(doc: RxDocument<T> | null): T | null {
  return doc ? (doc.toJSON() as T) : null;
}

function localDoc$<C extends CollectionName>(client: Client, name: C, id: string): Observable<Doc<C> | null> {
  return client
    .collection(name)
    .findOne(id)
    .$.pipe(map((d) => json(d as RxDocument<Doc<C>> | null)));
}

async function localOnHand(client: Client, warehouseId: string, productId: string): Promise<number | undefined> {
  const doc = await client.collection('inventory').findOne({ selector: { warehouseId, productId } }).exec();
  return doc ? (doc.toJSON() as Doc<'inventory'>).onHand : undefined;
}

/** A new adjustment as the app makes it on a device: pending, with a fresh UUID. */
function adjustment(fields: { warehouseId: string; productId: string; quantity: number }): Doc<'inventoryTransactions'> {
  return { id: randomUUID(), type: 'adjustment', ...fields, occurredAt: new Date().toISOString(), status: 'pending' };
}

function describeOn(engine: Engine): void {
  const describeEngine = engine === 'postgres' ? describeIfPg : describe;
  describeEngine(`RxDB clients replicating live against the backend (${engine})`, () => {
    let server: TestServer;
    let adminToken: string;
    const truck1 = demo.warehouse('TRUCK-1');
    const truck2 = demo.warehouse('TRUCK-2');

    beforeAll(async () => {
      server = await startTestServer({ engine, demo: true });
      adminToken = await server.token('admin');
    });
    afterAll(async () => {
      // Every client is closed by now. Node's fetch opens a spare socket when a stream is
      // aborted; it carries no request, so a graceful close would wait for the client's
      // keep-alive timer (about 4 s). Drop such sockets first.
      server?.fieldstock.app.server.closeAllConnections();
      await server?.close();
    });
    afterEach(async () => {
      const clients = openClients.splice(0);
      for (const c of clients) expect(c.errors, `replication errors on ${c.username}'s client`).toEqual([]);
      await Promise.all(clients.map((c) => c.close()));
    });

    it('RxDB with dev-mode accepts all nine shared schemas and stores every demo document an admin pulls', async () => {
      // Schema checks run in addCollections (dev-mode's checkSchema); then RxDB's strict ajv compiles each one.
      const admin = await openClient(server, 'admin', COLLECTION_NAMES);
      for (const name of COLLECTION_NAMES) {
        expect(() => getValidator(admin.collection(name).schema.jsonSchema), `ajv compiles ${name}`).not.toThrow();
        const onServer = await pullAll(server, adminToken, name);
        const local = await admin.collection(name).find().exec();
        expect(local.map((d) => d.primary).sort(), `${name} on the device`).toEqual(onServer.map((d) => String(d.id)).sort());
      }
      expect((await admin.collection('products').count().exec()) >= 200).toBe(true);

      // The checks above are dev-mode's: it is on, and it does reject a schema it dislikes
      // (here an indexed string without maxLength, error SC34).
      expect(overwritable.isDevMode()).toBe(true);
      const broken = { ...collectionSchemas.warehouses, indexes: ['address'], properties: { ...collectionSchemas.warehouses.properties, address: { type: 'string' } } };
      await expect(admin.db.addCollections({ broken: { schema: broken as unknown as RxJsonSchema<Doc<'warehouses'>> } })).rejects.toThrow(/SC34/);
    });

    it("a technician's first sync brings every warehouse and product but only their truck's inventory and purchase orders", async () => {
      const tech1 = await openClient(server, 'tech1', ['warehouses', 'products', 'inventory', 'purchaseOrders']);
      const ids = async (name: CollectionName) => (await tech1.collection(name).find().exec()).map((d) => d.primary).sort();
      const serverIds = async (name: CollectionName, keep: (d: Record<string, unknown>) => boolean = () => true) =>
        (await pullAll(server, adminToken, name)).filter(keep).map((d) => String(d.id)).sort();
      const onTruck1 = (d: Record<string, unknown>) => d.warehouseId === truck1;

      expect(await ids('warehouses')).toEqual(await serverIds('warehouses'));
      expect((await ids('warehouses')).length).toBe(5);
      expect(await ids('products')).toEqual(await serverIds('products'));
      expect((await ids('products')).length).toBeGreaterThanOrEqual(200);

      const inventory = await tech1.collection('inventory').find().exec();
      expect(inventory.length).toBeGreaterThan(0);
      expect(new Set(inventory.map((d) => d.toJSON().warehouseId))).toEqual(new Set([truck1]));
      expect(await ids('inventory')).toEqual(await serverIds('inventory', onTruck1));

      const orders = await tech1.collection('purchaseOrders').find().exec();
      expect(orders.length).toBeGreaterThanOrEqual(1);
      expect(new Set(orders.map((d) => d.toJSON().warehouseId))).toEqual(new Set([truck1]));
      expect(await ids('purchaseOrders')).toEqual(await serverIds('purchaseOrders', onTruck1));
    });

    it('a pending adjustment made on the device is posted exactly once, and the posted state and new on-hand come back to the device', async () => {
      const tech1 = await openClient(server, 'tech1', ['inventoryTransactions', 'inventory', 'journals']);
      const level = await tech1.collection('inventory').findOne({ selector: { warehouseId: truck1 } }).exec(true);
      const { productId, onHand: before } = level.toJSON();
      const quantity = 2.5;
      const tx = adjustment({ warehouseId: truck1, productId, quantity });

      await tech1.collection('inventoryTransactions').insert(tx);

      const posted = await waitFor(localDoc$(tech1, 'inventoryTransactions', tx.id), (d) => d?.status === 'posted', 'the adjustment to turn posted on the device');
      expect(posted?.journalId).toEqual(expect.any(String));
      expect(posted?.error).toBeUndefined();
      expect(posted?.quantity).toBe(quantity);
      const levelId = level.primary;
      await waitFor(localDoc$(tech1, 'inventory', levelId), (d) => d?.onHand === before + quantity, `on hand ${before} + ${quantity} on the device`);
      const journal = await waitFor(localDoc$(tech1, 'journals', posted?.journalId ?? ''), (d) => d !== null, 'the journal on the device');
      expect(journal?.sourceId).toBe(tx.id);
      expect(journal?.lines.map((l) => [l.warehouseId, l.productId, l.quantity])).toEqual([[truck1, productId, quantity]]);

      // A second device of the same user pushes the very same document (it was made offline):
      // the server answers with the posted master as a conflict, RxDB's default handler keeps the master.
      const device2 = await openClient(server, 'tech1', ['inventoryTransactions'], { start: false });
      await device2.collection('inventoryTransactions').insert(tx);
      await device2.replication('inventoryTransactions').start();
      await device2.replication('inventoryTransactions').awaitInSync();
      const onDevice2 = await waitFor(localDoc$(device2, 'inventoryTransactions', tx.id), (d) => d?.status === 'posted', 'the posted master on the second device');
      expect(onDevice2?.journalId).toBe(posted?.journalId);
      expect(device2.conflicts.map((c) => [c.pushed.id, c.pushed.status, c.resolved.status])).toEqual([[tx.id, 'pending', 'posted']]);

      // Re-pull everything: still one posting, one journal, one on-hand move.
      tech1.replication('inventoryTransactions').reSync();
      tech1.replication('inventory').reSync();
      await tech1.replication('inventoryTransactions').awaitInSync();
      await tech1.replication('inventory').awaitInSync();
      const journals = (await pullAll<Doc<'journals'>>(server, adminToken, 'journals')).filter((j) => j.sourceId === tx.id);
      expect(journals.map((j) => j.id)).toEqual([posted?.journalId]);
      const serverLevel = (await pullAll<Doc<'inventory'>>(server, adminToken, 'inventory')).find((d) => d.id === levelId);
      expect(serverLevel?.onHand).toBe(before + quantity);
      expect(await localOnHand(tech1, truck1, productId)).toBe(before + quantity);
      expect(json(await tech1.collection('inventoryTransactions').findOne(tx.id).exec())?.status).toBe('posted');
    });

    it("two technicians sharing a truck see each other's adjustments and on-hand changes live through the stream", async () => {
      const username = `tech1b-${randomUUID().slice(0, 8)}`;
      const created = await api(server, adminToken, 'POST', '/api/v1/admin/users', {
        username,
        password: 'fieldstock-demo',
        role: 'technician',
        warehouseCodes: ['TRUCK-1'],
      });
      expect(created.status).toBe(201);
      const a = await openClient(server, 'tech1', ['inventoryTransactions', 'inventory']);
      const b = await openClient(server, username, ['inventoryTransactions', 'inventory']);
      const levels = await a.collection('inventory').find({ selector: { warehouseId: truck1 } }).exec();
      const [first, second] = levels.map((l) => l.toJSON());
      if (!first || !second) throw new Error('TRUCK-1 needs two stocked products in the demo data');

      // No reSync() below: only the live stream can bring these changes.
      const fromA = adjustment({ warehouseId: truck1, productId: first.productId, quantity: -1 });
      await a.collection('inventoryTransactions').insert(fromA);
      const seenByB = await waitFor(localDoc$(b, 'inventoryTransactions', fromA.id), (d) => d?.status === 'posted', "tech1's adjustment on the other device");
      expect(seenByB?.quantity).toBe(-1);
      await waitFor(localDoc$(b, 'inventory', first.id), (d) => d?.onHand === first.onHand - 1, "the other device's on hand after tech1's adjustment");

      const fromB = adjustment({ warehouseId: truck1, productId: second.productId, quantity: 4 });
      await b.collection('inventoryTransactions').insert(fromB);
      await waitFor(localDoc$(a, 'inventoryTransactions', fromB.id), (d) => d?.status === 'posted', "the other technician's adjustment on tech1's device");
      await waitFor(localDoc$(a, 'inventory', second.id), (d) => d?.onHand === second.onHand + 4, "tech1's on hand after the other technician's adjustment");
      await waitFor(localDoc$(a, 'inventory', first.id), (d) => d?.onHand === first.onHand - 1, "tech1's own adjustment on tech1's device");
    });

    it('an adjustment for a truck outside the technician’s scope comes back rejected with warehouse-not-in-scope and moves nothing', async () => {
      const tech1 = await openClient(server, 'tech1', ['inventoryTransactions', 'inventory']);
      const truck2Level = (await pullAll<Doc<'inventory'>>(server, adminToken, 'inventory')).find((d) => d.warehouseId === truck2);
      if (!truck2Level) throw new Error('TRUCK-2 has no stock in the demo data');
      const tx = adjustment({ warehouseId: truck2, productId: truck2Level.productId, quantity: 3 });

      await tech1.collection('inventoryTransactions').insert(tx);

      const rejected = await waitFor(localDoc$(tech1, 'inventoryTransactions', tx.id), (d) => d?.status === 'rejected', 'the adjustment to turn rejected on the device');
      expect(rejected?.error?.code).toBe('warehouse-not-in-scope');
      expect(rejected?.journalId).toBeUndefined();
      const after = (await pullAll<Doc<'inventory'>>(server, adminToken, 'inventory')).find((d) => d.id === truck2Level.id);
      expect(after?.onHand).toBe(truck2Level.onHand);
      expect(await tech1.collection('inventory').count({ selector: { warehouseId: truck2 } }).exec()).toBe(0);
      const journals = (await pullAll<Doc<'journals'>>(server, adminToken, 'journals')).filter((j) => j.sourceId === tx.id);
      expect(journals).toEqual([]);
    });
  });
}

describeOn('sqlite');
describeOn('postgres');
