import type { FromSchema } from 'json-schema-to-ts';
import { codeField, idField, nameField, textField } from './common.js';

export const customerAssetSchema = {
  title: 'customerAssets',
  description: 'Equipment installed at a customer site, serviced by technicians.',
  version: 0,
  primaryKey: 'id',
  type: 'object',
  properties: {
    id: idField,
    name: nameField,
    customerName: nameField,
    categoryCode: codeField,
    productId: idField,
    serialNumber: { type: 'string', maxLength: 100 },
    location: textField,
    active: { type: 'boolean' },
  },
  required: ['id', 'name', 'customerName', 'active'],
  additionalProperties: false,
} as const;

export type CustomerAsset = FromSchema<typeof customerAssetSchema>;
