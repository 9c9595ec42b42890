import type { ErrorCode } from '../../shared/errors.js';

export interface Rejection {
  code: ErrorCode;
  message: string;
}

export const reject = (code: ErrorCode, message: string): Rejection => ({ code, message });

/** Clients may only create documents in `pending`; the server owns status, error, journalId and erpError. */
export function checkClientOwnedFields(doc: Record<string, unknown>): Rejection | undefined {
  if (doc._deleted === true) return reject('immutable-document', 'The document was deleted before it was sent; nothing was posted.');
  if (doc.status !== 'pending' || doc.error !== undefined || doc.journalId !== undefined || doc.erpError !== undefined) {
    return reject('status-not-allowed', 'A new document must have status "pending"; status, error, journalId and erpError are set by the server.');
  }
  return undefined;
}

const FUTURE_TOLERANCE_MS = 24 * 60 * 60 * 1000;

/** Normalizes a device timestamp to UTC ISO text (sortable), or rejects one more than 24 h ahead. */
export function normalizeOccurredAt(value: string, now: number): { iso: string } | Rejection {
  const time = Date.parse(value);
  if (Number.isNaN(time)) return reject('invalid-document', `"${value}" is not a date-time.`);
  if (time > now + FUTURE_TOLERANCE_MS) {
    return reject('occurred-in-future', `occurredAt ${value} is more than 24 hours ahead of the server clock; check the device's clock.`);
  }
  return { iso: new Date(time).toISOString() };
}
