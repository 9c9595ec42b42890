import type { MigrationStrategies } from 'rxdb';
import type { CollectionName } from '../../shared/collections.js';

/**
 * Schema migrations per collection, keyed by the version they migrate *to*.
 * Every shared schema is at version 0, so there is nothing to migrate yet.
 *
 * When a schema in shared/schemas gets `version: 1`, add here e.g.
 *   inventoryTransactions: { 1: (doc) => ({ ...doc, note: doc.note ?? '' }) }
 * RxDB's migration-schema plugin then rewrites the stored documents on open,
 * including the replication's record of the server state, so documents not
 * yet pushed stay unpushed and are uploaded afterwards (see the test
 * "a schema version bump keeps a pending adjustment, which is then uploaded").
 * The server must accept the migrated shape: change it there first.
 */
export const migrationStrategies: Record<CollectionName, MigrationStrategies> = {
  warehouses: {},
  products: {},
  inventory: {},
  purchaseOrders: {},
  receipts: {},
  inventoryTransactions: {},
  journals: {},
  customerAssets: {},
  referenceData: {},
};
