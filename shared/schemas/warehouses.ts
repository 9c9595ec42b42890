import type { FromSchema } from 'json-schema-to-ts';
import { codeField, erpErrorField, idField, nameField, textField } from './common.js';

export const warehouseSchema = {
  title: 'warehouses',
  description: 'A warehouse or a truck (a truck is a warehouse on wheels). code is the ERP integration key.',
  version: 1,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    code: codeField,
    name: nameField,
    kind: { type: 'string', enum: ['warehouse', 'truck'] },
    address: textField,
    latitude: { type: 'number', minimum: -90, maximum: 90 },
    longitude: { type: 'number', minimum: -180, maximum: 180 },
    /** The ERP is the master of on-hand for this warehouse. */
    externallyMaintained: { type: 'boolean' },
    /** When false, a transaction that would take on hand below zero is rejected. */
    allowNegativeStock: { type: 'boolean' },
    active: { type: 'boolean' },
    /**
     * Version 1: the ERP's refusal of the last change sent to it (a code another
     * location holds, a missing value), set by the backend; cleared when a change
     * is accepted. The document itself keeps the change: the ERP did not take it.
     */
    erpError: erpErrorField,
  },
  required: ['id', 'code', 'name', 'kind', 'externallyMaintained', 'allowNegativeStock', 'active'],
  additionalProperties: false,
} as const;

export type Warehouse = FromSchema<typeof warehouseSchema>;
