import type { FromSchema } from 'json-schema-to-ts';
import { idField, quantityField } from './common.js';

export const inventorySchema = {
  title: 'inventory',
  description: 'On-hand projection, one document per (warehouse, product), written by the backend alone.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    warehouseId: idField,
    productId: idField,
    onHand: quantityField,
    /** Open purchase quantity not yet received. */
    onOrder: quantityField,
    /** Demand on outgoing orders (reserved for work orders and sales). */
    ordered: quantityField,
  },
  required: ['id', 'warehouseId', 'productId', 'onHand', 'onOrder', 'ordered'],
  indexes: ['warehouseId'],
  additionalProperties: false,
} as const;

export type InventoryLevel = FromSchema<typeof inventorySchema>;

/** One inventory document per (warehouse, product): its id is derived, so it is never created twice. */
export function inventoryId(warehouseId: string, productId: string): string {
  return `${warehouseId}~${productId}`;
}
