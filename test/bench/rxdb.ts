/** RxDB databases for the bench: memory storage, one `inventory` collection with the app's schema. */
import { createRxDatabase, type RxCollection, type RxDatabase, type RxJsonSchema } from 'rxdb';
import { getRxStorageMemory } from 'rxdb/plugins/storage-memory';
import { inventorySchema, type InventoryLevel } from '../../shared/schemas/inventory.js';

export type InventoryCollection = RxCollection<InventoryLevel>;
export type BenchDatabase = RxDatabase<{ inventory: InventoryCollection }>;

// The shared schema is `as const` (readonly arrays, literal types) so json-schema-to-ts can
// derive InventoryLevel from it; RxJsonSchema wants mutable arrays. Same object, wider type.
const schema = inventorySchema as unknown as RxJsonSchema<InventoryLevel>;

let counter = 0;

/** A fresh database (unique name), single-instance: no leader election in Node. */
export async function createInventoryDatabase(prefix: string): Promise<BenchDatabase> {
  counter += 1;
  const db = await createRxDatabase<{ inventory: InventoryCollection }>({
    name: `${prefix}-${process.pid}-${counter}-${Date.now().toString(36)}`,
    storage: getRxStorageMemory(),
    multiInstance: false,
    eventReduce: true,
  });
  await db.addCollections({ inventory: { schema } });
  return db;
}
