import { map } from 'rxjs';
import type { FieldstockDatabase } from '../db/database.js';
import { plain$, useLiveQuery } from '../db/use-live-query.js';
import { RECEIVABLE_STATUSES } from './open-orders.js';

/** Purchase orders that can still be received, on this device (the server already limits them to the user's scope). */
export function useReceivableOrders(db: FieldstockDatabase) {
  return useLiveQuery(() => plain$(db.purchaseOrders.find({ selector: { status: { $in: [...RECEIVABLE_STATUSES] } } })), [db]);
}

/** One purchase order, live: its received quantities change as receipts post. `null` when it is not on the device. */
export function usePurchaseOrder(db: FieldstockDatabase, id: string) {
  return useLiveQuery(() => db.purchaseOrders.findOne(id).$.pipe(map((doc) => doc?.toJSON() ?? null)), [db, id]);
}

/** The products of an order's lines. */
export function useProducts(db: FieldstockDatabase, ids: readonly string[]) {
  const key = [...new Set(ids)].sort().join('\n');
  return useLiveQuery(() => plain$(db.products.find({ selector: { id: { $in: key ? key.split('\n') : [] } } })), [db, key]);
}

/** Units with a conversion factor and vendors with a tolerance: what the receiving rules read from referenceData. */
export function useReceivingReferences(db: FieldstockDatabase) {
  return useLiveQuery(() => plain$(db.referenceData.find({ selector: { kind: { $in: ['unit', 'vendor'] } } })), [db]);
}

/** Every receipt of one order on this device (this device's and, once synced, everyone's), newest first. */
export function useReceiptsForOrder(db: FieldstockDatabase, purchaseOrderId: string) {
  return useLiveQuery(() => plain$(db.receipts.find({ selector: { purchaseOrderId }, sort: [{ receivedAt: 'desc' }, { id: 'asc' }] })), [db, purchaseOrderId]);
}
