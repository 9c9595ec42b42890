import type { FromSchema } from 'json-schema-to-ts';
import { codeField, documentStatusField, erpErrorField, errorField, idField, textField, timestampField } from './common.js';

export const receiptSchema = {
  title: 'receipts',
  description: 'Products received against a purchase order; immutable once sent, posted once by the backend.',
  version: 2,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    purchaseOrderId: idField,
    warehouseId: idField,
    receivedAt: timestampField,
    note: textField,
    lines: {
      type: 'array',
      minItems: 1,
      maxItems: 500,
      items: {
        type: 'object',
        properties: {
          lineNumber: { type: 'integer', minimum: 1, maximum: 100000 },
          productId: idField,
          /** In the purchase order line's unit (the purchase unit). */
          quantity: { type: 'number' },
          /** The unit the quantity was entered in; when given it must be the PO line's unit. */
          unit: codeField,
        },
        required: ['lineNumber', 'productId', 'quantity'],
        additionalProperties: false,
      },
    },
    status: documentStatusField,
    error: errorField,
    journalId: idField,
    /**
     * Version 2: the ERP refused this posted receipt (its purchase cancelled or
     * done there, nothing left open), set by the backend and cleared when a
     * later delivery is accepted. The receipt stays posted: the goods arrived.
     */
    erpError: erpErrorField,
  },
  required: ['id', 'purchaseOrderId', 'warehouseId', 'receivedAt', 'lines', 'status'],
  indexes: ['warehouseId'],
  additionalProperties: false,
} as const;

export type Receipt = FromSchema<typeof receiptSchema>;
