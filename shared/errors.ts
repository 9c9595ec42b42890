/**
 * Every machine-readable error code Fieldstock answers with, in one union.
 * HTTP 4xx bodies are `{ code, message }`; rejected documents carry `error: { code, message }`.
 */
export const ERROR_CODES = [
  // request level
  'invalid-request',
  'malformed-json',
  'payload-too-large',
  'unsupported-media-type',
  'not-found',
  'unauthorized',
  'token-expired',
  'forbidden',
  'invalid-credentials',
  'too-many-requests',
  'username-taken',
  'unknown-collection',
  'collection-read-only',
  'internal-error',
  'not-ready',
  // document level (rejections kept on the document)
  'invalid-document',
  'unknown-product',
  'unknown-warehouse',
  'unknown-purchase-order',
  'unknown-po-line',
  'warehouse-not-in-scope',
  'invalid-quantity',
  'precision-exceeded',
  'insufficient-stock',
  'over-receipt',
  'po-not-open',
  'warehouse-mismatch',
  'occurred-in-future',
  'status-not-allowed',
  'immutable-document',
  'same-warehouse',
  'unknown-unit',
  'unit-mismatch',
] as const;

export type ErrorCode = (typeof ERROR_CODES)[number];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
}

export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (ERROR_CODES as readonly string[]).includes(value);
}
