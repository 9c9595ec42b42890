import type { FieldstockDatabase } from '../db/database.js';
import { plain$, useLiveQuery } from '../db/use-live-query.js';

export function useReasonCodes(db: FieldstockDatabase) {
  return useLiveQuery(() => plain$(db.referenceData.find({ selector: { kind: 'reason-code', active: true }, sort: [{ code: 'asc' }] })), [db]);
}

export function useActiveProducts(db: FieldstockDatabase) {
  return useLiveQuery(() => plain$(db.products.find({ selector: { active: true }, sort: [{ number: 'asc' }] })), [db]);
}

/** The latest transactions made on or synced to this device, newest first, with their sync state. */
export function useRecentTransactions(db: FieldstockDatabase, limit = 10) {
  return useLiveQuery(() => plain$(db.inventoryTransactions.find({ sort: [{ occurredAt: 'desc' }, { id: 'asc' }], limit })), [db, limit]);
}
