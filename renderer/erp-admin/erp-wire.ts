/**
 * The admin ERP routes' answers as this screen reads them (docs/api.md "ERP
 * outbox", "ERP sync"): only the fields it shows. The server owns the full
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

export interface SyncRun {
  kind: 'initial' | 'changes' | 'reconcile';
  startedAt: string;
  finishedAt: string | null;
  processed: number;
  created: number;
  updated: number;
  skipped: number;
  /** Initial runs of two-way maps: local-only records queued to be created in the ERP. Absent from servers older than that. */
  queuedForErp?: number;
  mismatches: unknown[];
  error: { code: string; message: string } | null;
}

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

export interface ErpJournalPage {
  journals: ErpJournal[];
  nextCursor: string | null;
}
