/**
 * The admin ERP routes' answers as this screen reads them (docs/api.md "ERP
 * outbox", "ERP sync", "ERP inventory levels"): only the fields it shows. The server owns the full
 * shapes; the app never imports server code.
 */
import type { ErpJournal } from '../../shared/schemas/journals.js';

export const OUTBOX_STATUSES = ['pending', 'in-flight', 'done', 'poison'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

export interface MapStatus {
  map: string;
  paused: boolean;
  pausedAt: string | null;
  reason: string | null;
  depth: Record<OutboxStatus, number>;
  retrying: number;
  oldestPendingAgeMs: number | null;
  lastError: { itemId: string; code: string; message: string; at: string } | null;
  alert: boolean;
}

export interface OutboxStatusAnswer {
  alertThreshold: number;
  maps: MapStatus[];
}

export interface OutboxItem {
  id: string;
  map: string;
  operation: string;
  documentId: string;
  status: OutboxStatus;
  attempts: number;
  lastError: { code: string; message: string; at: string } | null;
  updatedAt: string;
}

/** A local document and an ERP record with the same integration key but different mapped values. */
export interface SyncMismatch {
  erpId: string;
  localId: string;
  key: string;
  fields: { field: string; local: unknown; erp: unknown }[];
  /** What the map's conflict policy made of it. */
  resolution: string;
}

/** An ERP record a run could not apply. */
export interface SyncFailure {
  erpId: string;
  key?: string;
  code: string;
  message: string;
}

/** The lists of a run hold at most this many entries; the counts stay exact (docs/api.md "ERP sync"). */
export const SYNC_LIST_CAP = 100;

export interface SyncRun {
  kind: SyncRunKind;
  startedAt: string;
  finishedAt: string | null;
  processed: number;
  /** How many there are to look at, when known (an initial run counts the ERP's ids first). */
  total?: number | null;
  created: number;
  updated: number;
  /** The counts below are absent from servers older than them. */
  linked?: number;
  echoes?: number;
  failed?: number;
  removed?: number;
  /** Initial runs of two-way maps: local-only records queued to be created in the ERP. */
  queuedForErp?: number;
  skipped: number;
  mismatches: SyncMismatch[];
  failures?: SyncFailure[];
  error: { code: string; message: string } | null;
}

/** changes: since the stored cursor; initial: every ERP record again, matched by key; reconcile: find deletions. */
export type SyncRunKind = 'initial' | 'changes' | 'reconcile';

export interface SyncMapStatus {
  map: string;
  inbound: boolean;
  reason: string | null;
  running: SyncRun | null;
  lastRun: SyncRun | null;
  lastError: { code: string; message: string; at: string } | null;
}

export interface SyncAnswer {
  adapter: string;
  enabled: boolean;
  maps: SyncMapStatus[];
}

/** A (warehouse, product) pair whose level a levels run changed, or tried to (decimals, in base units). */
export interface LevelPosting {
  productId: string;
  productNumber: string;
  erpLevel: number;
  inFlight: number;
  onHandBefore: number;
  delta: number;
  transactionId: string;
  /** Absent when the ledger refused the posting. */
  journalId?: string;
  error?: { code: string; message: string };
}

export interface WarehouseLevels {
  warehouseId: string;
  warehouseCode: string;
  /** Products whose ERP level was read. */
  products: number;
  postings: LevelPosting[];
  /** Why nothing was posted for this warehouse this run; the next run tries again. */
  skipped?: { code: string; message: string };
}

/** POST /api/v1/admin/erp/levels/run (docs/api.md "ERP inventory levels"). */
export interface LevelsRun {
  runId: string;
  startedAt: string;
  finishedAt: string;
  journals: number;
  warehouses: WarehouseLevels[];
  /** Set when the run did nothing at all (no inventory map, no linked warehouse). */
  note?: string;
}

export interface ErpJournalPage {
  journals: ErpJournal[];
  nextCursor: string | null;
}
