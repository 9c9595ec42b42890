import type { MigrationStrategies } from 'rxdb';
import type { CollectionName } from '../../shared/collections.js';

/**
 * Version 1 of products, purchase orders, receipts and reference data added optional fields (units, tolerances, vendors); of warehouses, the ERP's refusal (erpError).
 * Version 2 of receipts and 1 of inventory transactions: the ERP's refusal of a posted document (erpError), set by the backend only.
 * Version 1 of customer assets and 2 of reference data: the ERP's refusal of a change sent for them (erpError), as on warehouses.
 */
const keep = <T>(doc: T): T => doc;

/**
 * Schema migrations per collection, keyed by the version they migrate *to*.
 * A version that only adds optional fields keeps the document as it is
 * (`keep`); RxDB still needs a strategy for every version step.
 *
 * RxDB's migration-schema plugin then rewrites the stored documents on open,
 * including the replication's record of the server state, so documents not
 * yet pushed stay unpushed and are uploaded afterwards (see the test
 * "a schema version bump keeps a pending adjustment, which is then uploaded").
 * The server must accept the migrated shape: change it there first.
 */
export const migrationStrategies: Record<CollectionName, MigrationStrategies> = {
  warehouses: { 1: keep },
  products: { 1: keep },
  inventory: {},
  purchaseOrders: { 1: keep },
  receipts: { 1: keep, 2: keep },
  inventoryTransactions: { 1: keep },
  journals: { 1: ({ erpStatus: _dropped, ...doc }: Record<string, unknown>) => ({ ...doc, kind: 'posting', status: 'posted' }) },
  customerAssets: { 1: keep },
  referenceData: { 1: keep, 2: keep },
};
