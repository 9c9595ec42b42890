import type { FromSchema } from 'json-schema-to-ts';
import { codeField, idField, quantityField, timestampField } from './common.js';

export const journalSchema = {
  title: 'journals',
  description: 'A posted inventory journal: the lines one source document moved, for history and traceability.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    journalName: codeField,
    sourceCollection: { type: 'string', enum: ['inventoryTransactions', 'receipts'] },
    sourceId: idField,
    warehouseId: idField,
    toWarehouseId: idField,
    postedAt: timestampField,
    occurredAt: timestampField,
    lines: {
      type: 'array',
      maxItems: 1000,
      items: {
        type: 'object',
        properties: {
          lineNumber: { type: 'integer', minimum: 1 },
          warehouseId: idField,
          productId: idField,
          /** The change this line made to on hand (0 when a later count superseded it). */
          quantity: quantityField,
          /** What the source asked for, before count semantics. */
          requestedQuantity: quantityField,
        },
        required: ['lineNumber', 'warehouseId', 'productId', 'quantity'],
        additionalProperties: false,
      },
    },
    erpStatus: { type: 'string', enum: ['not-applicable', 'created', 'sent', 'posted', 'error'] },
  },
  required: ['id', 'journalName', 'sourceCollection', 'sourceId', 'warehouseId', 'postedAt', 'lines', 'erpStatus'],
  indexes: ['warehouseId'],
  additionalProperties: false,
} as const;

export type Journal = FromSchema<typeof journalSchema>;
export type JournalLine = Journal['lines'][number];
