/**
 * RxDB's own backend conformance suite (`runReplicationBaseTestSuite` from
 * rxdb/plugins/test-utils) against a real Fieldstock backend: RxDB's "human"
 * collection is registered beside Fieldstock's nine, and the clients replicate
 * through the app's own HTTP handlers (renderer/sync/http-replication.ts).
 *
 * Runs under mocha (the suite is written for mocha's globals), launched by
 * test/conformance/run.mjs; once on SQLite and once on PostgreSQL when a
 * cluster can be started.
 */
import { addRxPlugin, type RxCollection, type RxReplicationPullStreamItem, type WithDeleted } from 'rxdb';
import { disableWarnings, RxDBDevModePlugin } from 'rxdb/plugins/dev-mode';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import { replicateRxCollection, type RxReplicationState } from 'rxdb/plugins/replication';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { runReplicationBaseTestSuite, schemas, setConfig, type HumanDocumentType } from 'rxdb/plugins/test-utils';
import { wrappedValidateAjvStorage } from 'rxdb/plugins/validate-ajv';
import type { Observable } from 'rxjs';
import { pullHandler, pushHandler, streamOf, type Endpoint } from '../../renderer/sync/http-replication.js';
import type { ReplicationCheckpoint } from '../../shared/wire.js';
import { ADMIN_PASSWORD, startBackend, startPostgres, type ConformanceBackend, type Engine } from './backend.js';

/** Mocha's BDD globals (set by mocha before it imports this file; @types/mocha is not installed). */
interface MochaGlobals {
  describe(title: string, fn: () => void): void;
  before(fn: () => Promise<void>): void;
  after(fn: () => Promise<void>): void;
}
const { describe, before, after } = globalThis as unknown as MochaGlobals;

const COLLECTION = 'human';
type Human = WithDeleted<HumanDocumentType>;

// RxDB's test environment: memory storage, validated by RxDB itself (dev-mode demands a validator).
disableWarnings();
addRxPlugin(RxDBDevModePlugin);
addRxPlugin(RxDBLocalDocumentsPlugin); // humansCollection.create() opens local documents
setConfig({
  storage: {
    name: 'memory',
    getStorage: () => wrappedValidateAjvStorage({ storage: getRxStorageMemory() }),
    getPerformanceStorage: () => ({ storage: wrappedValidateAjvStorage({ storage: getRxStorageMemory() }), description: 'memory' }),
    hasPersistence: false,
    hasMultiInstance: false,
    hasAttachments: true,
    hasReplication: true,
  },
});

// Engines: SQLite always; PostgreSQL when a throwaway cluster can be started (or FIELDSTOCK_TEST_PG_URL is set).
const requested = (process.env.FIELDSTOCK_CONFORMANCE_ENGINES ?? 'sqlite,postgres').split(',').map((e) => e.trim());
const postgres = requested.includes('postgres') ? await startPostgres() : undefined;
const engines: Engine[] = [];
if (requested.includes('sqlite')) engines.push('sqlite');
if (postgres?.adminUrl) engines.push('postgres');
else if (postgres) console.log(`[conformance] PostgreSQL run left out: ${postgres.unavailableReason}`);
else console.log('[conformance] PostgreSQL run left out: FIELDSTOCK_CONFORMANCE_ENGINES does not name it');
if (postgres) after(() => postgres.stop());

function suiteFor(engine: Engine): void {
  describe(`Fieldstock backend (${engine})`, () => {
    let backend: ConformanceBackend | undefined;
    let token = '';
    const server = (): ConformanceBackend => {
      if (!backend) throw new Error('the backend has not started');
      return backend;
    };
    const endpoint = (): Endpoint => ({ baseUrl: server().url, collection: COLLECTION, accessToken: () => token });

    before(async () => {
      backend = await startBackend({
        engine,
        pgAdminUrl: postgres?.adminUrl,
        extraCollections: [{ name: COLLECTION, schema: schemas.human, readScope: 'all', writeAccess: 'signed-in' }],
      });
      token = await backend.login('admin', ADMIN_PASSWORD);
    });
    after(async () => {
      await backend?.close();
    });

    function replicate(collection: RxCollection<HumanDocumentType>, live: boolean): RxReplicationState<HumanDocumentType, ReplicationCheckpoint> {
      const ep = endpoint();
      return replicateRxCollection<HumanDocumentType, ReplicationCheckpoint>({
        // Checkpoints are stored under this id: one per server.
        replicationIdentifier: `fieldstock-conformance:${ep.baseUrl}:${COLLECTION}`,
        collection,
        live,
        retryTime: 200,
        waitForLeadership: false,
        toggleOnDocumentVisible: false,
        pull: {
          handler: pullHandler<Human>(ep),
          batchSize: 50,
          // The wire type allows a null checkpoint (nothing pulled yet); RxDB's is the checkpoint type itself.
          stream$: live ? (streamOf<Human>(ep, { minDelayMs: 100 }) as Observable<RxReplicationPullStreamItem<HumanDocumentType, ReplicationCheckpoint>>) : undefined,
        },
        push: { handler: pushHandler<Human>(ep), batchSize: 50 },
      });
    }

    /** Every human on the server, tombstones included, pulled over HTTP as admin. */
    async function getAllServerDocs(): Promise<Human[]> {
      const pull = pullHandler<Human>(endpoint());
      const docs: Human[] = [];
      let checkpoint: ReplicationCheckpoint | undefined;
      for (;;) {
        const page = await pull(checkpoint, 1000);
        docs.push(...page.documents);
        checkpoint = page.checkpoint ?? undefined;
        if (page.documents.length < 1000) return docs;
      }
    }

    runReplicationBaseTestSuite({
      startReplication: (collection) => replicate(collection, true),
      async syncOnce(collection) {
        const state = replicate(collection, false);
        try {
          await state.awaitInitialReplication();
        } finally {
          await state.cancel();
        }
      },
      getAllServerDocs,
      async cleanUpServer() {
        // Test seam, not an HTTP route: wipe the test collection in the store.
        await server().fieldstock.ctx.store.db.deleteFrom('docs').where('collection', '=', COLLECTION).execute();
      },
      softDeletes: true,
      isDeleted: (doc: Human) => doc._deleted,
      getPrimaryOfServerDoc: (doc: Human) => doc.passportId,
    });
  });
}

for (const engine of engines) suiteFor(engine);
