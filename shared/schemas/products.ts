import type { FromSchema } from 'json-schema-to-ts';
import { codeField, idField, nameField, quantityField, textField } from './common.js';

export const productSchema = {
  title: 'products',
  description: 'A stocked product. number is the ERP integration key; unit is the base (stocking) unit.',
  version: 1,
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
    /** Other units this product is bought in: one `unit` holds `factor` base units (a box of 12: factor 12). */
    unitConversions: {
      type: 'array',
      maxItems: 20,
      items: {
        type: 'object',
        properties: { unit: codeField, factor: quantityField },
        required: ['unit', 'factor'],
        additionalProperties: false,
      },
    },
    /** Over-receipt tolerance for this product in percent of the ordered quantity; wins over the vendor's. */
    overReceiptTolerancePercent: { type: 'number', minimum: 0, maximum: 1000 },
  },
  required: ['id', 'number', 'name', 'unit', 'barcodes', 'tracking', 'active'],
  additionalProperties: false,
} as const;

export type Product = FromSchema<typeof productSchema>;
