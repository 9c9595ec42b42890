/**
 * The device's local database: the nine replicated collections in RxDB, one
 * database per (server, user) so that signing in as someone else never shows
 * or uploads another user's data.
 */
import { addRxPlugin, createRxDatabase, type MigrationStrategies, type RxCollection, type RxDatabase, type RxJsonSchema, type RxStorage } from 'rxdb';
import { RxDBLocalDocumentsPlugin } from 'rxdb/plugins/local-documents';
import { RxDBMigrationSchemaPlugin } from 'rxdb/plugins/migration-schema';
import { getRxStorageDexie } from 'rxdb/plugins/storage-dexie';
import { COLLECTION_NAMES, collectionSchemas, type CollectionDocuments, type CollectionName } from '../../shared/collections.js';
import { masterWinsConflictHandler } from './conflict-handler.js';
import { migrationStrategies } from './migrations.js';

addRxPlugin(RxDBMigrationSchemaPlugin);
addRxPlugin(RxDBLocalDocumentsPlugin);

export type FieldstockCollections = { [C in CollectionName]: RxCollection<CollectionDocuments[C]> };
export type FieldstockDatabase = RxDatabase<FieldstockCollections>;

export interface OpenDatabaseOptions {
  serverUrl: string;
  username: string;
  /** Dexie (IndexedDB) by default; tests pass memory storage or Dexie over fake-indexeddb. */
  storage?: RxStorage<unknown, unknown>;
  /** Several browser tabs on one database (default true); false in Electron's single window and in tests. */
  multiInstance?: boolean;
  /** Tests only: replace a shared schema (e.g. a version bump) and its migrations. */
  overrides?: Partial<Record<CollectionName, { schema: RxJsonSchema<unknown>; migrationStrategies: MigrationStrategies }>>;
}

/**
 * A stable, RxDB-legal name for (server, user). FNV-1a is enough: the names only
 * need to differ between the few accounts used on one device, and the browser's
 * crypto.subtle is missing on plain-http origins.
 */
export function databaseName(serverUrl: string, username: string): string {
  const key = `${normalizeServerUrl(serverUrl)}\n${username}`;
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193;
  for (let i = 0; i < key.length; i++) {
    const c = key.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193) >>> 0;
    h2 = Math.imul(h2 ^ c, 0x5bd1e995) >>> 0;
  }
  const readable = username.toLowerCase().replace(/[^a-z0-9]+/g, '').slice(0, 20);
  return `fieldstock-${readable}-${h1.toString(16).padStart(8, '0')}${h2.toString(16).padStart(8, '0')}`;
}

/** Origin plus path without a trailing slash, so "http://H:1/" and "http://h:1" are one server. */
export function normalizeServerUrl(serverUrl: string): string {
  const url = new URL(serverUrl.trim());
  return `${url.origin}${url.pathname.replace(/\/+$/, '')}`;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<FieldstockDatabase> {
  const db = await createRxDatabase<FieldstockCollections>({
    name: databaseName(options.serverUrl, options.username),
    storage: options.storage ?? getRxStorageDexie(),
    multiInstance: options.multiInstance ?? true,
    // Stores the signed-in user's profile beside the data, for starting offline.
    localDocuments: true,
    // "How many documents wait for upload" counts by status, which no index covers.
    allowSlowCount: true,
  });
  try {
    const creators = Object.fromEntries(
      COLLECTION_NAMES.map((name) => {
        const override = options.overrides?.[name];
        return [
          name,
          {
            // The shared schemas are `as const` literals; RxDB's schema type is a mapped type over the document type.
            schema: override?.schema ?? (collectionSchemas[name] as unknown as RxJsonSchema<unknown>),
            migrationStrategies: override?.migrationStrategies ?? migrationStrategies[name],
            conflictHandler: masterWinsConflictHandler(),
          },
        ];
      }),
    );
    await db.addCollections(creators);
  } catch (error) {
    await db.close();
    throw error;
  }
  return db;
}
