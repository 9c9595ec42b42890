import type { OutboxError } from '../../../shared/erp/outbox-wire.js';
import type { Writer } from '../../store/write.js';

/**
 * The ERP outbox's server-side types: what is queued, and what a handler
 * gets and answers. The admin API's answers (items, map status) are
 * shared/erp/outbox-wire.ts, which the CLI and the ERP screen read too.
 */

/** Map names and operations: short, plain, safe in URLs, logs and metric labels. */
export const OUTBOX_NAME = /^[a-z0-9][a-z0-9._-]{0,63}$/;

/** What a change asks to be written to the ERP (see enqueue). */
export interface OutboxRequest {
  /** The entity map ("warehouses", "inventory-journals"): pause, resume and status are per map. */
  map: string;
  /** What to do there ("create", "update", "post"): a handler is registered per map and operation. */
  operation: string;
  /** Our id of the document; items of one (map, document) are delivered in enqueue order. */
  documentId: string;
  /**
   * Names the change, e.g. `${map}:${documentId}:${version}`: a second
   * enqueue with the same key (a retried push, a replayed event) is ignored,
   * even after the first was delivered.
   */
  dedupeKey: string;
  /** Whatever the handler needs, JSON-serializable. */
  payload: unknown;
}

/** An item handed to a handler. */
export interface OutboxDelivery {
  id: string;
  map: string;
  operation: string;
  documentId: string;
  payload: unknown;
  /** 1 on the first delivery. */
  attempt: number;
  /**
   * The item id: the same on every delivery of this item, also after a
   * crash. Handlers make their ERP write idempotent with it (e.g. as the
   * external reference of a createOnce), so a repeated delivery has no second effect.
   */
  idempotencyKey: string;
  /** Aborted when the delivery times out: stop and let the retry happen. */
  signal: AbortSignal;
}

export interface OutboxHandlerResult {
  /** The ERP's id of what was created or changed, kept on the item for tracing. */
  erpId?: string | undefined;
}

/**
 * Delivers one item to the ERP. Throws ErpError (server/erp/errors.ts) to
 * fail: retryable codes are retried with backoff, the rest set the item
 * aside as poison with the error. Any other exception counts as retryable
 * (`internal-error`), until the attempts run out.
 */
export type OutboxHandler = (item: OutboxDelivery) => Promise<OutboxHandlerResult | void>;

/** The item an outcome hook is told about. */
export interface OutboxItemRef {
  id: string;
  map: string;
  operation: string;
  documentId: string;
  payload: unknown;
}

/**
 * Optional, per handler: run inside the write transaction that records the
 * outcome, so what the app shows changes together with the item's status
 * (the ERP id onto a journal line; a document marked rejected with the ERP's
 * message). A hook that throws rolls the recording back: the item stays in
 * flight and is delivered again after its lease, until its attempts run out.
 */
export interface OutboxHooks {
  onDone?(writer: Writer, item: OutboxItemRef, erpId: string | null): Promise<void>;
  onPoison?(writer: Writer, item: OutboxItemRef, error: OutboxError): Promise<void>;
}
