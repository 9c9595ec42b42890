/** Building blocks shared by the collection schemas. */

export const ID_MAX_LENGTH = 100;

export const idField = { type: 'string', maxLength: ID_MAX_LENGTH, minLength: 1 } as const;
export const codeField = { type: 'string', maxLength: 64, minLength: 1 } as const;
export const nameField = { type: 'string', maxLength: 200, minLength: 1 } as const;
export const textField = { type: 'string', maxLength: 2000 } as const;
export const timestampField = { type: 'string', format: 'date-time', maxLength: 40 } as const;
/** Quantities are JSON numbers with at most 4 decimals; shared/decimal.ts checks precision. */
export const quantityField = { type: 'number' } as const;

export const documentStatusField = { type: 'string', enum: ['pending', 'posted', 'rejected'] } as const;

export const errorField = {
  type: 'object',
  properties: {
    code: { type: 'string', maxLength: 64 },
    message: { type: 'string', maxLength: 2000 },
  },
  required: ['code', 'message'],
  additionalProperties: false,
} as const;

/**
 * The ERP's refusal of what the backend last sent it for this document (a
 * missing value, a closed purchase), set and cleared by the backend only; a
 * device never sends it. Not a Fieldstock state: the document keeps its status.
 */
export const erpErrorField = {
  type: 'object',
  properties: {
    code: { type: 'string', maxLength: 64 },
    message: { type: 'string', maxLength: 2000 },
    at: timestampField,
  },
  required: ['code', 'message', 'at'],
  additionalProperties: false,
} as const;

export type DocumentStatus = 'pending' | 'posted' | 'rejected';
