import type { FromSchema } from 'json-schema-to-ts';
import { codeField, idField, nameField, textField } from './common.js';

export const productSchema = {
  title: 'products',
  description: 'A stocked product. number is the ERP integration key; unit is the base (stocking) unit.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    number: codeField,
    name: nameField,
    description: textField,
    unit: codeField,
    barcodes: { type: 'array', items: { type: 'string', maxLength: 64 }, maxItems: 20 },
    tracking: { type: 'string', enum: ['none', 'serial', 'lot'] },
    active: { type: 'boolean' },
  },
  required: ['id', 'number', 'name', 'unit', 'barcodes', 'tracking', 'active'],
  additionalProperties: false,
} as const;

export type Product = FromSchema<typeof productSchema>;
