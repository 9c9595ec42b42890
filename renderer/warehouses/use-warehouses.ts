import { plain$, useLiveQuery } from '../db/use-live-query.js';
import type { FieldstockDatabase } from '../db/database.js';

/** Every warehouse and truck, by code. */
export function useWarehouses(db: FieldstockDatabase) {
  return useLiveQuery(() => plain$(db.warehouses.find({ sort: [{ code: 'asc' }] })), [db]);
}
