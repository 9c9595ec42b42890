/**
 * Typed errors every ERP adapter throws, so the outbox can decide what to do
 * without knowing the ERP: retry later (`retryable`), or mark the
 * originating document rejected with the ERP's own message.
 *
 * Messages carry the ERP's text and the method called, never parameters:
 * parameters can hold passwords, session keys or customer data.
 */
import type { SinkError } from '../ledger/aggregation/sink.js';

export const ERP_ERROR_CODES = {
  /** The ERP refused on business grounds (missing required value, closed PO, access rule): permanent. */
  'erp-user-error': { retryable: false },
  /** The ERP wants a user to confirm a warning; a machine cannot: permanent until handled in the ERP. */
  'erp-user-warning': { retryable: false },
  /** The record changed in the ERP since we read it: re-read and try again. */
  'erp-concurrency': { retryable: true },
  /** Our credentials were refused: permanent until the configuration is fixed. */
  'erp-login-failed': { retryable: false },
  /** A fresh session was refused too: permanent until the configuration is fixed. */
  'erp-session-rejected': { retryable: false },
  /** The ERP forbids this call (HTTP 403). */
  'erp-forbidden': { retryable: false },
  /** The configured database does not exist in the ERP. */
  'erp-database-not-found': { retryable: false },
  /** Too many login attempts: wait and retry. */
  'erp-rate-limited': { retryable: true },
  /** No answer in time; a write may or may not have happened (idempotent creates make the retry safe). */
  'erp-timeout': { retryable: true },
  /** The ERP could not be reached (refused, reset, DNS): the call did not happen. */
  'erp-network': { retryable: true },
  /** The ERP failed internally (HTTP 5xx or an unexpected exception). */
  'erp-server-error': { retryable: true },
  /** The ERP answered something we do not understand. */
  'erp-protocol': { retryable: false },
  /** No ERP is configured (adapter `none`) but an ERP write was asked for. */
  'erp-not-configured': { retryable: false },
  /** The model has no field to hold our external reference, so creates there cannot be made idempotent. */
  'erp-no-reference': { retryable: false },
  /** Two records carry the same external reference and the extra one could not be removed. */
  'erp-duplicate-reference': { retryable: false },
  /** The adapter name or its settings are wrong (raised at start). */
  'erp-config': { retryable: false },
  // Refusals an ERP journal sink records on the lines they concern (server/ledger/aggregation/sink.ts).
  /** The ERP has no product with our product's number: permanent until it is created there (then an admin retries). */
  'erp-unknown-product': { retryable: false },
  /** The ERP has no warehouse (or no usable location) with our warehouse's code: permanent until master data is fixed. */
  'erp-unknown-warehouse': { retryable: false },
  /** The ERP has no mapping for this kind of journal (a receipt goes through its purchase order): permanent. */
  'erp-not-supported': { retryable: false },
  /** The ERP holds less of a line than was sent after the create: delivering again creates only the missing rest. */
  'erp-incomplete': { retryable: true },
  /** A line to post carries no ERP document id: permanent (posting again cannot invent it). */
  'erp-missing-id': { retryable: false },
  /** The ERP document was cancelled in the ERP, so it cannot be posted: permanent until handled there. */
  'erp-cancelled': { retryable: false },
  /** The ERP document is gone or in a state the connector cannot finish: permanent until handled there. */
  'erp-not-found': { retryable: false },
} as const satisfies Record<string, { retryable: boolean }>;

export type ErpErrorCode = keyof typeof ERP_ERROR_CODES;

export class ErpError extends Error {
  readonly code: ErpErrorCode;
  readonly retryable: boolean;
  /** The ERP method that failed (e.g. "model.purchase.purchase.create"), when there was one. */
  readonly method: string | undefined;

  constructor(code: ErpErrorCode, message: string, options: { method?: string; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'ErpError';
    this.code = code;
    this.retryable = ERP_ERROR_CODES[code].retryable;
    this.method = options.method;
  }

  /** The `{ code, message }` a journal line or document records. */
  toSinkError(): SinkError {
    return { code: this.code, message: this.message };
  }
}

/** Whether a recorded `{ code }` is one of ours (a sink's line error may carry another code, e.g. `internal-error`). */
export function isErpErrorCode(code: string): code is ErpErrorCode {
  return Object.hasOwn(ERP_ERROR_CODES, code);
}

export function isErpError(error: unknown, code?: ErpErrorCode): error is ErpError {
  return error instanceof ErpError && (code === undefined || error.code === code);
}
