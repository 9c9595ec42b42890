import type { FromSchema } from 'json-schema-to-ts';
import { codeField, idField, nameField, quantityField, timestampField } from './common.js';

export const PURCHASE_ORDER_STATUSES = ['open', 'partially-received', 'received', 'closed', 'cancelled'] as const;

export const purchaseOrderSchema = {
  title: 'purchaseOrders',
  description: 'A purchase order delivered to a warehouse or truck, with its lines embedded.',
  version: 1,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    number: codeField,
    vendorName: nameField,
    /** The vendor's code in referenceData (kind "vendor"), where its over-receipt tolerance lives. */
    vendorCode: codeField,
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
          /** The purchase unit: quantities on this line (ordered, received, receipt lines) are in it. */
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
