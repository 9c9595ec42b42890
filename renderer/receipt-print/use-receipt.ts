import { useMemo } from 'react';
import type { DeepReadonly } from 'rxdb';
import { map, of } from 'rxjs';
import type { Product, PurchaseOrder, Receipt, Warehouse } from '../../shared/collections.js';
import type { FieldstockDatabase } from '../db/database.js';
import { useLiveQuery } from '../db/use-live-query.js';

export interface ReceiptDetails {
  receipt: DeepReadonly<Receipt>;
  /** Undefined when the order is not on the device (it may have been closed and removed). */
  order: DeepReadonly<PurchaseOrder> | undefined;
  warehouse: DeepReadonly<Warehouse> | undefined;
  products: ReadonlyMap<string, DeepReadonly<Product>>;
}

const one = <T>(doc: { toJSON(): T } | null) => (doc ? doc.toJSON() : undefined);

/** A receipt with what its printout names: order, warehouse, products. null when there is no such receipt; undefined while loading. */
export function useReceiptDetails(db: FieldstockDatabase, receiptId: string): ReceiptDetails | null | undefined {
  const receipt = useLiveQuery(() => db.receipts.findOne(receiptId).$.pipe(map((doc) => ({ receiptId, doc: one(doc) ?? null }))), [db, receiptId]);
  const current = receipt && receipt.receiptId === receiptId ? receipt.doc : undefined;
  const orderId = current?.purchaseOrderId ?? null;
  const warehouseId = current?.warehouseId ?? null;
  const productKey = current ? [...new Set(current.lines.map((l) => l.productId))].sort().join('\n') : '';
  const order = useLiveQuery<{ orderId: string | null; doc: DeepReadonly<PurchaseOrder> | undefined }>(() => (orderId ? db.purchaseOrders.findOne(orderId).$.pipe(map((doc) => ({ orderId, doc: one(doc) }))) : of({ orderId, doc: undefined })), [db, orderId]);
  const warehouse = useLiveQuery<{ warehouseId: string | null; doc: DeepReadonly<Warehouse> | undefined }>(
    () => (warehouseId ? db.warehouses.findOne(warehouseId).$.pipe(map((doc) => ({ warehouseId, doc: one(doc) }))) : of({ warehouseId, doc: undefined })),
    [db, warehouseId],
  );
  const products = useLiveQuery(
    () =>
      productKey
        ? db.products.findByIds(productKey.split('\n')).$.pipe(map((found) => new Map([...found].map(([id, doc]) => [id, doc.toJSON()] as const))))
        : of(new Map<string, DeepReadonly<Product>>()),
    [db, productKey],
  );
  return useMemo(() => {
    if (current === undefined) return undefined;
    if (current === null) return null;
    if (!order || order.orderId !== orderId || !warehouse || warehouse.warehouseId !== warehouseId || !products) return undefined;
    return { receipt: current, order: order.doc, warehouse: warehouse.doc, products };
  }, [current, order, orderId, warehouse, warehouseId, products]);
}
