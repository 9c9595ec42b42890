/**
 * The one ERP connector interface the rest of the backend uses, shaped for
 * dual-write: the sync engine pulls what changed in the ERP since a cursor
 * (re-reading an overlap window, upserting idempotently), reconciles id sets
 * to notice deletions (ERPs seldom track them), pushes creates and updates
 * that are idempotent through our own external reference, and delivers
 * aggregated inventory journals through the ledger's ErpJournalSink.
 *
 * Records are addressed by the ERP's own model name ("stock.location" in
 * Tryton, "stock.warehouse" in Odoo): the declarative entity maps say which
 * model and fields an entity uses; the connector only moves values.
 *
 * Every method throws ErpError (server/erp/errors.ts) on failure.
 */
import type { Config } from '../config.js';
import type { ErpJournalSink } from '../ledger/aggregation/sink.js';
import type { ReceiptPostedHook } from '../ledger/post.js';
import type { ErpLevelSource } from './levels/source.js';
import type { OutboxHandlers } from './outbox/handlers.js';
import type { OutboxLog } from './outbox/worker.js';
import type { ErpValue, ErpValues } from './values.js';

/** A record as the ERP holds it. */
export interface ErpRecord {
  /** The ERP's id, as text (Tryton's integer ids, Dynamics' GUIDs). */
  erpId: string;
  /** The ERP's own version for optimistic writes and echo detection (Tryton: `_timestamp`). */
  version: string;
  /** When it last changed in the ERP, ISO UTC with microseconds (what change cursors compare). */
  changedAt: string;
  /** The fields asked for, decoded to ERP-neutral values. */
  values: ErpValues;
}

export type ErpOperator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'in' | 'not in' | 'like' | 'ilike';

/** Conditions ANDed together, e.g. [['type', '=', 'warehouse']]: a map's filter of which records sync. */
export type ErpFilter = readonly (readonly [field: string, operator: ErpOperator, value: ErpValue])[];

export interface ChangeQuery {
  /** Fields to read besides the id and version. */
  fields: readonly string[];
  /** What the previous page returned; null starts from the beginning (initial sync). */
  cursor: string | null;
  /**
   * How far before the cursor to read again. ERPs stamp a change with its
   * transaction's start time, so a long transaction commits "in the past";
   * and a record changed while a sweep was paging can be passed by. Re-read
   * records are upserted idempotently, so overlap costs only reads.
   */
  overlapMs: number;
  /** Most records per page. */
  limit: number;
  filter?: ErpFilter;
}

export interface ChangePage {
  records: ErpRecord[];
  /** Opaque; store it and pass it to the next call. */
  cursor: string;
  /** True when this page ended a sweep: call again later, not now. */
  caughtUp: boolean;
}

export interface CreateOnceResult {
  erpId: string;
  /** False when a record with this reference already existed (a retry, or a concurrent create). */
  created: boolean;
}

export interface ErpConnector {
  /** The adapter name, for logs and the admin API ("none", "tryton"). */
  readonly name: string;
  /** False for `none`: there is no ERP, Fieldstock is the master and nothing is read or written. */
  readonly external: boolean;
  /** Where aggregated ERP journals go; undefined while the adapter cannot deliver them (journals then wait in `created`). */
  readonly journals: ErpJournalSink | undefined;
  /** How the levels run reads the ERP's on hand and what it applied of ours; absent when the adapter cannot (levels/). */
  readonly levels?: ErpLevelSource;
  /**
   * Receipts against the ERP's purchases, when the adapter sends them as the
   * ERP's own receiving (Tryton: incoming shipments) rather than as journals:
   * registers the outbox handler on the app's handlers and returns the
   * ledger hook that queues each receipt as it posts.
   */
  registerReceipts?(handlers: OutboxHandlers, log: OutboxLog): ErpReceiptFlow;

  /** Confirms the ERP answers and the credentials work. */
  check(): Promise<{ version: string }>;
  /** Records of `model` changed since the cursor (minus the overlap), in pages. */
  readChanges(model: string, query: ChangeQuery): Promise<ChangePage>;
  /** Every id of `model` passing the filter, for reconciliation (finding deletions). */
  readIds(model: string, filter?: ErpFilter): Promise<string[]>;
  /** The records with these ids that still exist. */
  read(model: string, erpIds: readonly string[], fields: readonly string[]): Promise<ErpRecord[]>;
  /** The id of the record carrying our external reference, if any. */
  findByReference(model: string, reference: string): Promise<string | undefined>;
  /** Creates the record unless one with our reference exists; safe to retry and to call concurrently. */
  createOnce(model: string, reference: string, values: ErpValues): Promise<CreateOnceResult>;
  /** Writes values; with `expectedVersion`, fails with `erp-concurrency` if the record changed since. */
  update(model: string, erpId: string, values: ErpValues, options?: { expectedVersion?: string }): Promise<void>;
  /** Ends the session (best effort) and releases resources. */
  close(): Promise<void>;
}

/** An adapter's receipt flow, as the app wires it (ErpConnector.registerReceipts). */
export interface ErpReceiptFlow {
  /** Queues a posted receipt for the ERP, in the posting's transaction. */
  onReceiptPosted: ReceiptPostedHook;
  /** Removes the outbox handler (the app's close). */
  unregister(): void;
}

/** What an adapter folder's index.ts exports as `adapter`. */
export interface ErpAdapter {
  readonly name: string;
  /** One line for the admin API and error messages. */
  readonly description: string;
  /**
   * Builds a connector from the backend's config; adapter-specific settings
   * not in Config are read from `env` (FIELDSTOCK_<ADAPTER>_*), so a new
   * adapter needs no change outside its folder. Throws ErpError `erp-config`
   * for missing settings. Makes no network call.
   */
  create(options: { config: Config; env: NodeJS.ProcessEnv }): ErpConnector;
}
