import type { FromSchema } from 'json-schema-to-ts';
import { codeField, erpErrorField, idField, nameField } from './common.js';

export const REFERENCE_KINDS = ['payment-term', 'ship-via', 'asset-category', 'reason-code', 'unit', 'vendor'] as const;

export const referenceDataSchema = {
  title: 'referenceData',
  description: 'Small reference tables in one collection, told apart by kind (keeps RxDB under its collection cap).',
  version: 2,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    kind: { type: 'string', enum: REFERENCE_KINDS },
    code: codeField,
    name: nameField,
    active: { type: 'boolean' },
    /** Units: how many base units one of this unit holds (e.g. a box of 12). */
    factor: { type: 'number', exclusiveMinimum: 0 },
    /** Vendors: over-receipt tolerance in percent of the ordered quantity (a product's own tolerance wins). */
    overReceiptTolerancePercent: { type: 'number', minimum: 0, maximum: 1000 },
    /** Version 2: the ERP refused the last change sent for this entry (set by the backend, cleared when a change is accepted). */
    erpError: erpErrorField,
  },
  required: ['id', 'kind', 'code', 'name', 'active'],
  additionalProperties: false,
} as const;

export type ReferenceData = FromSchema<typeof referenceDataSchema>;
export type ReferenceKind = (typeof REFERENCE_KINDS)[number];
