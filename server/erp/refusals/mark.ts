/**
 * Marks a posted document (a receipt, an inventory transaction) with the
 * ERP's refusal of what the backend sent for it (`erpError`), or clears the
 * mark. The document keeps its status: Fieldstock posted it and the stock
 * moved here; the ERP's side is a second state, for people to see.
 *
 * Written straight into the store inside the caller's transaction (the
 * outbox outcome's): never through a push, so nothing is posted again, and
 * the document's scope and author stay as they were. A document whose mark
 * would not change is not written (no replication churn).
 */
import type { OutboxError } from '../../../shared/erp/outbox-wire.js';
import type { StoredDoc, Writer } from '../../store/write.js';

/** The collections whose documents the backend posts and an ERP may refuse. */
export type RefusableCollection = 'receipts' | 'inventoryTransactions';

export interface ErpRefusal {
  code: string;
  message: string;
  at: string;
}

const NO_MESSAGE = 'The ERP refused it without a message.';

/** The ERP's error as the document holds it, within the schema's bounds. */
export function refusalOf(error: OutboxError, now: number): ErpRefusal {
  return { code: error.code.slice(0, 64) || 'erp-user-error', message: error.message.slice(0, 2000) || NO_MESSAGE, at: new Date(now).toISOString() };
}

function currentRefusal(doc: StoredDoc): { code: unknown; message: unknown } | undefined {
  const value = doc.data.erpError;
  return value !== null && typeof value === 'object' ? (value as { code: unknown; message: unknown }) : undefined;
}

/**
 * Sets (`refusal`) or clears (undefined) a stored document's erpError.
 * Returns whether it wrote. A deleted document, and one with the same
 * refusal already (same code and message: `at` keeps the first time), is left alone.
 */
export function putErpError(writer: Writer, collection: RefusableCollection, doc: StoredDoc, refusal: ErpRefusal | undefined): boolean {
  if (doc.deleted) return false;
  const current = currentRefusal(doc);
  if (refusal === undefined && current === undefined) return false;
  if (refusal !== undefined && current !== undefined && current.code === refusal.code && current.message === refusal.message) return false;
  const { erpError: _previous, ...rest } = doc.data;
  const data = refusal === undefined ? rest : { ...rest, erpError: refusal };
  writer.put({ collection, id: doc.id, data: { ...data, _deleted: false }, scopeA: doc.scopeA, scopeB: doc.scopeB, ownerId: doc.ownerId });
  return true;
}
