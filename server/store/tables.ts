/** Row types of the backend's tables, as Kysely sees them (same on SQLite and PostgreSQL). */
import type { Generated } from 'kysely';

export interface MetaTable {
  key: string;
  value: string;
}

/** One row: the last assigned change sequence. Its row lock serializes writers. */
export interface ChangeCounterTable {
  id: number;
  value: number;
}

/** Every replicated document, latest state only, with the sequence of its last change. */
export interface DocsTable {
  collection: string;
  id: string;
  seq: number;
  deleted: number;
  /** Warehouses whose users may read the document (null: not warehouse-bound). */
  scope_a: string | null;
  scope_b: string | null;
  /** The user who created it: a rejected out-of-scope document stays visible to its author. */
  owner_id: string | null;
  /** The integration key people and ERPs use: warehouse code, product number. */
  natural_key: string | null;
  data: string;
}

export interface UsersTable {
  id: string;
  username: string;
  password_hash: string;
  role: string;
  /** JSON array of warehouse ids. */
  warehouse_ids: string;
  disabled: number;
  created_at: number;
}

export interface SessionsTable {
  id: string;
  user_id: string;
  created_at: number;
  revoked_at: number | null;
}

export interface AuthTokensTable {
  /** SHA-256 of the token: a database leak does not leak usable tokens. */
  token_hash: string;
  session_id: string;
  kind: 'access' | 'refresh';
  expires_at: number;
  used_at: number | null;
}

export interface LoginThrottleTable {
  key: string;
  failures: number;
  locked_until: number;
  last_failure_at: number;
}

/** The on-hand projection; quantities in units of 1/10,000. */
export interface OnHandTable {
  warehouse_id: string;
  product_id: string;
  on_hand: number;
  on_order: number;
  ordered: number;
  /** occurredAt of the latest posted count (ISO, UTC). */
  last_count_at: string | null;
}

export interface JournalLinesTable {
  id: string;
  journal_id: string;
  source_id: string;
  warehouse_id: string;
  product_id: string;
  occurred_at: string;
  quantity: number;
  requested_quantity: number;
  posted_at: number;
  /** The posting journal's name and line number, and the warehouses the ERP journal is keyed by. */
  journal_name: string;
  line_number: number;
  /** The posting journal's warehouse (for a transfer: the one stock leaves). */
  journal_warehouse_id: string;
  journal_to_warehouse_id: string | null;
  /** 'pending' until summed into an ERP journal line, then 'aggregated' (once: the aggregator only takes pending lines). */
  aggregation_status: 'pending' | 'aggregated';
  erp_journal_id: string | null;
  erp_line_number: number | null;
}

/**
 * ERP journals made by aggregation: the state an outbox drives. The same
 * journal is replicated as a `journals` document (kind 'erp'), rebuilt from
 * these rows whenever a line status moves.
 */
export interface ErpJournalsTable {
  id: string;
  journal_name: string;
  warehouse_id: string;
  to_warehouse_id: string | null;
  /** Summary of the line statuses (summarizeErpLineStatuses). */
  status: string;
  line_count: number;
  created_at: number;
  updated_at: number;
}

export interface ErpJournalLinesTable {
  journal_id: string;
  line_number: number;
  warehouse_id: string;
  product_id: string;
  /** Sum of the aggregated posting lines, in units of 1/10,000. */
  quantity: number;
  source_line_count: number;
  status: string;
  /** The ERP's own ids, once it created the journal. */
  erp_journal_id: string | null;
  erp_line_id: string | null;
  error_code: string | null;
  error_message: string | null;
  updated_at: number;
}

/** At most one row per source document: the database, not a prior read, decides "posted once". */
export interface PostingsTable {
  source_collection: string;
  source_id: string;
  journal_id: string | null;
  outcome: 'posted' | 'rejected';
  posted_at: number;
}

/** Pushed rows that failed validation: kept whole, so nothing a client sent is lost. */
export interface PushRejectionsTable {
  id: string;
  collection: string;
  doc_id: string | null;
  user_id: string;
  code: string;
  message: string;
  payload: string;
  created_at: number;
}

/** One write to the ERP, queued with the change that caused it (server/erp/outbox/). */
export interface ErpOutboxTable {
  id: string;
  /** Enqueue order; items of one (map, document) are delivered in this order. */
  seq: number;
  map_name: string;
  operation: string;
  /** Our id of the document the write is about. */
  document_id: string;
  /** Unique: enqueueing the same change twice leaves one row. */
  dedupe_key: string;
  /** JSON. */
  payload: string;
  status: 'pending' | 'in-flight' | 'done' | 'poison';
  /** Deliveries started (a claim counts, so a crash loop ends in poison too). */
  attempts: number;
  next_attempt_at: number;
  /** The claim of the worker delivering it (in-flight only), and until when that claim holds. */
  claim_id: string | null;
  lease_expires_at: number | null;
  last_error_code: string | null;
  last_error_message: string | null;
  last_error_at: number | null;
  /** The ERP's id of what the write created or changed, once done. */
  erp_id: string | null;
  created_at: number;
  updated_at: number;
}

/** Pause state of an entity map's outbox (no row: running). */
export interface ErpMapStateTable {
  map_name: string;
  paused: number;
  paused_at: number | null;
  reason: string | null;
  updated_at: number;
}

/** Which local document is which ERP record, per map (server/erp/sync/): stops echo loops, traces records across systems. */
export interface ErpRecordLinksTable {
  map: string;
  local_id: string;
  erp_id: string;
  /** The ERP change stamp last synced (write_date, else create_date). */
  erp_version: string;
  /** The local document's change sequence after our last sync of it. */
  local_seq: number;
  synced_at: number;
}

/** Each map's inbound change cursor and last run (server/erp/sync/). */
export interface ErpSyncStateTable {
  map: string;
  cursor: string | null;
  /** JSON summary of the last run. */
  last_run: string | null;
  last_error: string | null;
  last_reconciled_at: number | null;
  updated_at: number;
}

export interface Database {
  meta: MetaTable;
  change_counter: ChangeCounterTable;
  docs: DocsTable;
  users: UsersTable;
  sessions: SessionsTable;
  auth_tokens: AuthTokensTable;
  login_throttle: LoginThrottleTable;
  onhand: OnHandTable;
  journal_lines: JournalLinesTable;
  erp_journals: ErpJournalsTable;
  erp_journal_lines: ErpJournalLinesTable;
  postings: PostingsTable;
  push_rejections: PushRejectionsTable;
  erp_outbox: ErpOutboxTable;
  erp_map_state: ErpMapStateTable;
  erp_record_links: ErpRecordLinksTable;
  erp_sync_state: ErpSyncStateTable;
}

export type { Generated };
