/**
 * The ERP outbox as the admin API answers it (docs/api.md "ERP outbox"):
 * an item, a map's status, and the status of all maps. The server builds
 * them (server/erp/outbox/status.ts), the CLI prints them and the ERP screen
 * shows them.
 */

export const OUTBOX_STATUSES = ['pending', 'in-flight', 'done', 'poison'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** Why a delivery failed: its code and message. */
export interface OutboxError {
  code: string;
  message: string;
}

/** An item as the admin API answers it. */
export interface OutboxItemView {
  id: string;
  seq: number;
  map: string;
  operation: string;
  documentId: string;
  dedupeKey: string;
  status: OutboxStatus;
  attempts: number;
  nextAttemptAt: string;
  lastError: (OutboxError & { at: string }) | null;
  erpId: string | null;
  payload: unknown;
  createdAt: string;
  updatedAt: string;
}

export interface MapStatusView {
  map: string;
  paused: boolean;
  pausedAt: string | null;
  reason: string | null;
  depth: Record<OutboxStatus, number>;
  /** Pending items that failed at least once and wait for their next attempt. */
  retrying: number;
  /** Age of the oldest undelivered (pending or in-flight) item: the map's lag. */
  oldestPendingAgeMs: number | null;
  lastError: (OutboxError & { itemId: string; at: string }) | null;
  /** Poison or retrying items reached the alert threshold. */
  alert: boolean;
  /** Operations this server instance has a handler for (items of other operations wait). */
  handledOperations: string[];
}

export interface OutboxStatusView {
  maps: MapStatusView[];
  alertThreshold: number;
}
