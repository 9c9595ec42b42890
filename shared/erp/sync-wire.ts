/**
 * What the inbound (ERP → Fieldstock) sync reports, per run and per map, as
 * the admin API answers it (docs/api.md "ERP sync"). The server builds it
 * (server/erp/sync/), the ERP screen shows it. Every record a run did not
 * apply is listed with the reason, so nothing is dropped silently.
 */
import type { Direction } from './direction.js';

/** initial: a full sweep from the start, matching by key; changes: since the stored cursor; reconcile: find deletions. */
export type RunKind = 'initial' | 'changes' | 'reconcile';
export const RUN_KINDS: readonly RunKind[] = ['initial', 'changes', 'reconcile'];

/** A local document and an ERP record with the same integration key but different mapped values. */
export interface Mismatch {
  erpId: string;
  localId: string;
  key: string;
  /** The mapped fields that differ, in local terms. */
  fields: { field: string; local: unknown; erp: unknown }[];
  /** What the map's conflict policy made of it. */
  resolution: string;
}

/** An ERP record this run could not apply (it is tried again when it next changes, or on the next initial run). */
export interface RecordFailure {
  erpId: string;
  key?: string;
  code: string;
  message: string;
}

/** An ERP record that disappeared, and what became of its local document. */
export interface Removal {
  erpId: string;
  localId: string;
  action: 'deactivated' | 'cancelled' | 'kept';
  message: string;
}

/** A record changed on both sides since the last sync, settled by the map's policy. */
export interface Conflict {
  erpId: string;
  localId: string;
  winner: 'app' | 'erp';
  reason: string;
}

export interface RunCounts {
  /** ERP records looked at. */
  processed: number;
  /** How many there are to look at, when known (initial runs count the ERP's ids first). */
  total: number | null;
  created: number;
  updated: number;
  /** Linked to an existing local document by integration key. */
  linked: number;
  /** The ERP record changed but the local document already says the same. */
  unchanged: number;
  /** Excluded by the map's ERP filter. */
  skipped: number;
  /** Re-read records whose ERP version is the one already synced (overlap window, our own writes). */
  echoes: number;
  failed: number;
  /** Local documents marked inactive or cancelled because their ERP record disappeared. */
  removed: number;
  /** Initial runs of two-way maps: local documents the ERP has no record of, queued to be created there. */
  queuedForErp: number;
}

/** A run's lists hold at most this many entries, so a broken map cannot fill the state table; the counts stay exact. */
export const LIST_LIMIT = 100;

/** A run: its exact counts, and its lists capped at LIST_LIMIT entries. */
export interface RunSummary extends RunCounts {
  kind: RunKind;
  startedAt: string;
  finishedAt: string | null;
  mismatches: Mismatch[];
  conflicts: Conflict[];
  failures: RecordFailure[];
  removals: Removal[];
  error: { code: string; message: string } | null;
}

export interface MapSyncStatus {
  map: string;
  collection: string;
  model: string;
  direction: Direction;
  enabled: boolean;
  /** Whether this sync applies the map's ERP records to Fieldstock. */
  inbound: boolean;
  /** Why not, when inbound is false. */
  reason: string | null;
  /** The run in progress, with its counts so far. */
  running: RunSummary | null;
  cursor: string | null;
  lastRun: RunSummary | null;
  lastReconciledAt: string | null;
  lastError: { code: string; message: string; at: string } | null;
  /** Failed runs since this process started. */
  errorCount: number;
}

export interface SyncStatus {
  adapter: string;
  /** False with FIELDSTOCK_ERP=none: there is nothing to sync. */
  enabled: boolean;
  intervalMs: number;
  overlapMs: number;
  reconcileIntervalMs: number;
  maps: MapSyncStatus[];
}
