import type { FromSchema } from 'json-schema-to-ts';
import { codeField, documentStatusField, erpErrorField, errorField, idField, quantityField, textField, timestampField } from './common.js';

export const TRANSACTION_TYPES = ['adjustment', 'transfer', 'count', 'consumption'] as const;

export const inventoryTransactionSchema = {
  title: 'inventoryTransactions',
  description:
    'An immutable inventory transaction made on a device or an external channel. ' +
    'adjustment: signed delta; count: counted quantity; transfer, consumption: positive quantity.',
  version: 1,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    type: { type: 'string', enum: TRANSACTION_TYPES },
    warehouseId: idField,
    toWarehouseId: idField,
    productId: idField,
    quantity: quantityField,
    reasonCode: codeField,
    externalReference: {
      type: 'object',
      properties: { category: codeField, id: { type: 'string', minLength: 1, maxLength: 200 } },
      required: ['category', 'id'],
      additionalProperties: false,
    },
    note: textField,
    occurredAt: timestampField,
    status: documentStatusField,
    error: errorField,
    journalId: idField,
    /**
     * Version 1: the ERP refused the journal line carrying this posted
     * transaction (an unknown product, a business rule), set by the backend
     * and cleared when the line posts. The stock moved in Fieldstock all the same.
     */
    erpError: erpErrorField,
  },
  required: ['id', 'type', 'warehouseId', 'productId', 'quantity', 'occurredAt', 'status'],
  indexes: ['warehouseId'],
  additionalProperties: false,
} as const;

export type InventoryTransaction = FromSchema<typeof inventoryTransactionSchema>;
export type TransactionType = (typeof TRANSACTION_TYPES)[number];
