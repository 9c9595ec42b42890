/**
 * The nine replicated collections: one JSON schema each, used by RxDB on the
 * client and by the server's validator. Types are derived from the schemas.
 */
import { customerAssetSchema, type CustomerAsset } from './schemas/customer-assets.js';
import { inventorySchema, type InventoryLevel } from './schemas/inventory.js';
import { inventoryTransactionSchema, type InventoryTransaction } from './schemas/inventory-transactions.js';
import { journalSchema, type Journal } from './schemas/journals.js';
import { productSchema, type Product } from './schemas/products.js';
import { purchaseOrderSchema, type PurchaseOrder } from './schemas/purchase-orders.js';
import { receiptSchema, type Receipt } from './schemas/receipts.js';
import { referenceDataSchema, type ReferenceData } from './schemas/reference-data.js';
import { warehouseSchema, type Warehouse } from './schemas/warehouses.js';

export const collectionSchemas = {
  warehouses: warehouseSchema,
  products: productSchema,
  inventory: inventorySchema,
  purchaseOrders: purchaseOrderSchema,
  receipts: receiptSchema,
  inventoryTransactions: inventoryTransactionSchema,
  journals: journalSchema,
  customerAssets: customerAssetSchema,
  referenceData: referenceDataSchema,
} as const;

export type CollectionName = keyof typeof collectionSchemas;

export const COLLECTION_NAMES = Object.keys(collectionSchemas) as CollectionName[];

export interface CollectionDocuments {
  warehouses: Warehouse;
  products: Product;
  inventory: InventoryLevel;
  purchaseOrders: PurchaseOrder;
  receipts: Receipt;
  inventoryTransactions: InventoryTransaction;
  journals: Journal;
  customerAssets: CustomerAsset;
  referenceData: ReferenceData;
}

/** A document as it travels over replication: with its tombstone flag. */
export type WireDocument<C extends CollectionName> = CollectionDocuments[C] & { _deleted: boolean };

export function isCollectionName(value: string): value is CollectionName {
  return Object.prototype.hasOwnProperty.call(collectionSchemas, value);
}

export type {
  CustomerAsset,
  InventoryLevel,
  InventoryTransaction,
  Journal,
  Product,
  PurchaseOrder,
  Receipt,
  ReferenceData,
  Warehouse,
};
