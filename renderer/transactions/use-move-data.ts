import { useMemo } from 'react';
import type { DeepReadonly } from 'rxdb';
import { map } from 'rxjs';
import type { Product } from '../../shared/collections.js';
import { units, ZERO_UNITS, type Units } from '../../shared/decimal.js';
import { inventoryId } from '../../shared/schemas/inventory.js';
import type { FieldstockDatabase } from '../db/database.js';
import { plain$, useLiveQuery } from '../db/use-live-query.js';
import { onHandWithPending, pendingChanges } from '../stock/pending-change.js';
import { usePendingSources } from '../stock/use-pending.js';

export function useReasonCodes(db: FieldstockDatabase) {
  return useLiveQuery(() => plain$(db.referenceData.find({ selector: { kind: 'reason-code', active: true }, sort: [{ code: 'asc' }] })), [db]);
}

/** Every product by id (inactive ones too: an older document may name one). */
export function useProductMap(db: FieldstockDatabase) {
  return useLiveQuery(() => plain$(db.products.find({ sort: [{ number: 'asc' }] })).pipe(map((docs) => new Map<string, DeepReadonly<Product>>(docs.map((p) => [p.id, p])))), [db]);
}

/** The latest transactions made on or synced to this device, newest first, with their sync state. */
export function useRecentTransactions(db: FieldstockDatabase, limit = 10) {
  return useLiveQuery(() => plain$(db.inventoryTransactions.find({ sort: [{ occurredAt: 'desc' }, { id: 'asc' }], limit })), [db, limit]);
}

/**
 * The level of one product in one warehouse as this device sees it: the
 * server's on hand plus this device's pending changes. null when the device
 * does not hold that warehouse's stock (outside the user's scope) or nothing
 * is chosen; undefined while loading.
 */
export function useExpectedLevel(
  db: FieldstockDatabase,
  warehouseId: string,
  productId: string,
  held: boolean,
  products: ReadonlyMap<string, DeepReadonly<Product>> | undefined,
): Units | null | undefined {
  const level = useLiveQuery(
    () => db.inventory.findOne(inventoryId(warehouseId || '-', productId || '-')).$.pipe(map((doc) => ({ key: `${warehouseId}\n${productId}`, onHand: doc ? units(doc.onHand) : ZERO_UNITS }))),
    [db, warehouseId, productId],
  );
  const pending = usePendingSources(db, products);
  return useMemo(() => {
    if (!warehouseId || !productId || !held) return null;
    // The previous choice's level stays in state until the new query answers.
    if (!level || level.key !== `${warehouseId}\n${productId}` || !pending) return undefined;
    const change = pendingChanges(pending.transactions, warehouseId, pending.receiptLines).get(productId) ?? null;
    return onHandWithPending(level.onHand, change);
  }, [warehouseId, productId, held, level, pending]);
}
