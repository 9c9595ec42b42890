import { useMemo } from 'react';
import type { DeepReadonly } from 'rxdb';
import type { InventoryTransaction, Product, PurchaseOrder } from '../../shared/collections.js';
import type { FieldstockDatabase } from '../db/database.js';
import { plain$, useLiveQuery } from '../db/use-live-query.js';
import { pendingReceiptLines, type PendingReceiptLine } from './pending-receipts.js';

export interface PendingSources {
  transactions: readonly DeepReadonly<InventoryTransaction>[];
  receiptLines: readonly PendingReceiptLine[];
}

/**
 * Everything this device has not had posted yet, live: pending transactions
 * and pending receipts converted to base units. Few documents wait for
 * upload; transfers into a warehouse carry it in toWarehouseId, which no
 * index covers, so these are queried by status across warehouses.
 */
export function usePendingSources(db: FieldstockDatabase, products: ReadonlyMap<string, DeepReadonly<Product>> | undefined): PendingSources | undefined {
  const transactions = useLiveQuery(() => plain$(db.inventoryTransactions.find({ selector: { status: 'pending' } })), [db]);
  const receipts = useLiveQuery(() => plain$(db.receipts.find({ selector: { status: 'pending' } })), [db]);
  const orderIds = useMemo(() => [...new Set((receipts ?? []).map((r) => r.purchaseOrderId))].sort().join('\n'), [receipts]);
  const orders = useLiveQuery(() => plain$(db.purchaseOrders.find({ selector: { id: { $in: orderIds ? orderIds.split('\n') : [] } } })), [db, orderIds]);
  const sharedUnits = useLiveQuery(() => plain$(db.referenceData.find({ selector: { kind: 'unit' } })), [db]);

  return useMemo(() => {
    if (!transactions || !receipts || !orders || !sharedUnits || !products) return undefined;
    const purchaseOrders = new Map<string, DeepReadonly<PurchaseOrder>>(orders.map((o) => [o.id, o]));
    return { transactions, receiptLines: pendingReceiptLines(receipts, { products, purchaseOrders, sharedUnits }) };
  }, [transactions, receipts, orders, sharedUnits, products]);
}
