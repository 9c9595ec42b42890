/**
 * Building the inbound sync's run summaries. Their shapes are the admin
 * API's answer, defined once in shared/erp/sync-wire.ts.
 */
import { LIST_LIMIT, type RunKind, type RunSummary } from '../../../shared/erp/sync-wire.js';

export function emptySummary(kind: RunKind, now: Date = new Date()): RunSummary {
  return {
    kind,
    startedAt: now.toISOString(),
    finishedAt: null,
    processed: 0,
    total: null,
    created: 0,
    updated: 0,
    linked: 0,
    unchanged: 0,
    skipped: 0,
    echoes: 0,
    failed: 0,
    removed: 0,
    queuedForErp: 0,
    mismatches: [],
    conflicts: [],
    failures: [],
    removals: [],
    error: null,
  };
}

/** Appends to a capped list (the matching count is kept by the caller). */
export function note<T>(list: T[], item: T): void {
  if (list.length < LIST_LIMIT) list.push(item);
}
