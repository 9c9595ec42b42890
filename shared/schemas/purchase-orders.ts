import type { FromSchema } from 'json-schema-to-ts';
import { codeField, idField, nameField, quantityField, timestampField } from './common.js';

export const PURCHASE_ORDER_STATUSES = ['open', 'partially-received', 'received', 'closed', 'cancelled'] as const;

export const purchaseOrderSchema = {
  title: 'purchaseOrders',
  description: 'A purchase order delivered to a warehouse or truck, with its lines embedded.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    number: codeField,
    vendorName: nameField,
    status: { type: 'string', enum: PURCHASE_ORDER_STATUSES },
    warehouseId: idField,
    orderDate: timestampField,
    expectedDate: timestampField,
    lines: {
      type: 'array',
      maxItems: 500,
      items: {
        type: 'object',
        properties: {
          lineNumber: { type: 'integer', minimum: 1, maximum: 100000 },
          productId: idField,
          quantityOrdered: quantityField,
          quantityReceived: quantityField,
          unit: codeField,
        },
        required: ['lineNumber', 'productId', 'quantityOrdered', 'quantityReceived', 'unit'],
        additionalProperties: false,
      },
    },
  },
  required: ['id', 'number', 'vendorName', 'status', 'warehouseId', 'lines'],
  indexes: ['warehouseId'],
  additionalProperties: false,
} as const;

export type PurchaseOrder = FromSchema<typeof purchaseOrderSchema>;
export type PurchaseOrderLine = PurchaseOrder['lines'][number];
export type PurchaseOrderStatus = (typeof PURCHASE_ORDER_STATUSES)[number];
