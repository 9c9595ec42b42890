/**
 * The local database: naming per (server, user), the master-wins conflict
 * handler, and a schema migration that keeps work not yet uploaded.
 */
import { randomUUID } from 'node:crypto';
import type { RxJsonSchema, WithDeleted } from 'rxdb';
import { map } from 'rxjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { collectionSchemas, type InventoryTransaction } from '../../../shared/collections.js';
import { masterWinsConflictHandler } from '../../../renderer/db/conflict-handler.js';
import { databaseName, normalizeServerUrl, openDatabase } from '../../../renderer/db/database.js';
import { migrationStrategies } from '../../../renderer/db/migrations.js';
import { authApi } from '../../../renderer/session/auth-api.js';
import { AccessTokens } from '../../../renderer/session/tokens.js';
import { startSyncEngine } from '../../../renderer/sync/engine.js';
import { DEMO_PASSWORD, demo, startTestServer, type TestServer } from '../../helpers/server.js';
import { memoryPlatform } from './memory-platform.js';
import { deviceStorage, FAST_SYNC, waitFor } from './sync-helpers.js';

describe('database names', () => {
  it('one server and user always give the same name, whatever the spelling of the address', () => {
    expect(databaseName('http://Example.com:4310/', 'tech1')).toBe(databaseName('http://example.com:4310', 'tech1'));
    expect(normalizeServerUrl(' https://Fieldstock.Example.com/app/ ')).toBe('https://fieldstock.example.com/app');
  });

  it('another user or another server gives another database', () => {
    const names = new Set([
      databaseName('http://127.0.0.1:4310', 'tech1'),
      databaseName('http://127.0.0.1:4310', 'tech2'),
      databaseName('http://127.0.0.1:4311', 'tech1'),
      databaseName('http://127.0.0.1:4310', 'Tech1'),
    ]);
    expect(names.size).toBe(4);
    for (const name of names) expect(name).toMatch(/^[a-z][_$a-z0-9-]*$/);
  });
});

describe('the conflict handler', () => {
  const handler = masterWinsConflictHandler<InventoryTransaction>();
  const pending: WithDeleted<InventoryTransaction> = {
    id: 't1',
    type: 'adjustment',
    warehouseId: 'w',
    productId: 'p',
    quantity: 1,
    occurredAt: '2026-01-01T00:00:00.000Z',
    status: 'pending',
    _deleted: false,
  };
  const posted: WithDeleted<InventoryTransaction> = { ...pending, status: 'posted', journalId: 'j1' };

  it("resolves every conflict with the server's state", async () => {
    expect(await handler.resolve({ newDocumentState: pending, realMasterState: posted, assumedMasterState: pending }, 'test')).toEqual(posted);
  });

  it('compares documents by content, not by storage bookkeeping', () => {
    const withMeta = { ...pending, _meta: { lwt: 1 }, _rev: '1-a', _attachments: {} };
    expect(handler.isEqual(pending, withMeta, 'test')).toBe(true);
    expect(handler.isEqual(pending, posted, 'test')).toBe(false);
  });
});

describe('a schema migration', () => {
  let server: TestServer;
  beforeAll(async () => {
    server = await startTestServer({ demo: true });
  });
  afterAll(async () => {
    server?.fieldstock.app.server.closeAllConnections();
    await server?.close();
  });

  it('a schema version bump keeps a pending adjustment, which is then uploaded', async () => {
    const storage = deviceStorage();
    const platform = memoryPlatform();
    const login = await server.login('tech1', DEMO_PASSWORD);
    const session = { serverUrl: server.url, username: 'tech1', refreshToken: login.refreshToken };
    const tokens = () =>
      new AccessTokens({ api: authApi(server.url), session, platform, initial: { accessToken: login.accessToken, expiresIn: login.expiresIn }, onExpired: () => {} });
    const truck1 = demo.warehouse('TRUCK-1');

    // The current version: synced once, then an adjustment made while uploads fail, and the app closed.
    const v0 = await openDatabase({ serverUrl: server.url, username: 'tech1', storage: storage(), multiInstance: false });
    const noPush: typeof fetch = (input, init) => (String(input).endsWith('/push') ? Promise.reject(new TypeError('fetch failed')) : fetch(input, init));
    const first = startSyncEngine({ ...FAST_SYNC, db: v0, serverUrl: server.url, tokens: tokens(), platform, fetch: noPush });
    await first.awaitInitialSync();
    const level = (await v0.inventory.findOne({ selector: { warehouseId: truck1 } }).exec(true)).toJSON();
    const tx: InventoryTransaction = { id: randomUUID(), type: 'adjustment', warehouseId: truck1, productId: level.productId, quantity: 4, occurredAt: new Date().toISOString(), status: 'pending' };
    await v0.inventoryTransactions.insert(tx);
    await waitFor(first.status$, (s) => s.lastError?.collection === 'inventoryTransactions', 'the failed upload');
    await first.stop();
    const productCount = await v0.products.count().exec();
    await v0.close();

    // The next version of inventoryTransactions, with a strategy that fills a new default (the app's own steps before it).
    const next = collectionSchemas.inventoryTransactions.version + 1;
    const v1Schema = { ...collectionSchemas.inventoryTransactions, version: next } as unknown as RxJsonSchema<unknown>;
    const v1 = await openDatabase({
      serverUrl: server.url,
      username: 'tech1',
      storage: storage(),
      multiInstance: false,
      overrides: {
        inventoryTransactions: { schema: v1Schema, migrationStrategies: { ...migrationStrategies.inventoryTransactions, [next]: (doc: InventoryTransaction) => ({ ...doc, note: doc.note ?? 'migrated' }) } },
      },
    });
    try {
      expect(v1.inventoryTransactions.schema.version).toBe(next);
      const migrated = (await v1.inventoryTransactions.findOne(tx.id).exec(true)).toJSON();
      expect(migrated).toMatchObject({ status: 'pending', note: 'migrated', quantity: 4 });
      expect(await v1.products.count().exec()).toBe(productCount);

      const second = startSyncEngine({ ...FAST_SYNC, db: v1, serverUrl: server.url, tokens: tokens(), platform });
      const posted = await waitFor(
        v1.inventoryTransactions.findOne(tx.id).$.pipe(map((doc) => doc?.toJSON() ?? null)),
        (doc) => doc?.status === 'posted',
        'the migrated adjustment to be posted',
      );
      expect(posted?.note).toBe('migrated');
      await waitFor(second.status$, (s) => s.pendingUploads === 0, 'nothing left to upload');
      await second.stop();
    } finally {
      await v1.close();
    }
  });
});
