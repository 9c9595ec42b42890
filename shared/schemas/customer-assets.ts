import type { FromSchema } from 'json-schema-to-ts';
import { codeField, erpErrorField, idField, nameField, textField } from './common.js';

export const customerAssetSchema = {
  title: 'customerAssets',
  description: 'Equipment installed at a customer site, serviced by technicians.',
  version: 1,
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
    /** Version 1: the ERP refused the last change sent for this asset (set by the backend, cleared when a change is accepted). */
    erpError: erpErrorField,
  },
  required: ['id', 'name', 'customerName', 'active'],
  additionalProperties: false,
} as const;

export type CustomerAsset = FromSchema<typeof customerAssetSchema>;
