/**
 * The words for inbound sync runs: what a row says while a run goes on, and
 * the one-sentence summary an admin reads after "Sync now", "Full resync" or
 * "Find deletions".
 */
import { SYNC_LIST_CAP, type SyncMapStatus, type SyncRun, type SyncRunKind } from './erp-wire.js';

export const RUN_KIND_LABELS: Record<SyncRunKind, string> = {
  changes: 'changes run',
  initial: 'full resync',
  reconcile: 'deletion check',
};

export type RunIntent = 'success' | 'warning' | 'error';

export interface RunOutcome {
  intent: RunIntent;
  message: string;
}

/** The row's "Last run" cell. `starting`: this screen asked for a run the status does not show yet. */
export function describeRun(m: SyncMapStatus, starting = false): string {
  if (!m.inbound) return `Not synced${m.reason ? `: ${m.reason}` : ''}`;
  if (m.running) return `Running (${RUN_KIND_LABELS[m.running.kind]}, ${progress(m.running)})`;
  if (starting) return 'Running (starting…)';
  return m.lastRun ? finished(m.lastRun) : 'Never ran';
}

/** "40 of 120" once the run knows its total (initial runs count the ERP's ids first), else "40 so far". */
export function progress(run: Pick<SyncRun, 'processed' | 'total'>): string {
  return typeof run.total === 'number' ? `${run.processed} of ${run.total}` : `${run.processed} so far`;
}

function finished(run: SyncRun): string {
  const when = run.finishedAt ? new Date(run.finishedAt).toLocaleString() : 'unfinished';
  return `${RUN_KIND_LABELS[run.kind]}, ${when}${run.error ? ' (failed)' : ''}`;
}

/** How many entries a capped list stands for: "100 or more" when the server stopped listing. */
export function listCount(list: readonly unknown[]): string {
  return list.length >= SYNC_LIST_CAP ? `${SYNC_LIST_CAP} or more` : String(list.length);
}

/**
 * The summary of a finished run. A run that failed as a whole (the ERP
 * unreachable) is an error; one that could not apply some records, or found
 * mismatches, is a warning to look at the details; anything else a success.
 */
export function runOutcome(map: string, run: SyncRun): RunOutcome {
  const head = `${map}, ${RUN_KIND_LABELS[run.kind]}: ${run.processed} processed`;
  const counts = [
    `${run.created} created`,
    `${run.updated} updated`,
    `${run.linked ?? 0} linked`,
    `${run.echoes ?? 0} echoes`,
    `${run.failed ?? 0} failed`,
    `${run.queuedForErp ?? 0} queued for the ERP`,
    `${listCount(run.mismatches)} mismatches`,
    ...(run.kind === 'reconcile' ? [`${run.removed ?? 0} removed`] : []),
  ].join(', ');
  if (run.error) return { intent: 'error', message: `${head} before it failed (${counts}). ${run.error.message} (${run.error.code})` };
  const look = (run.failed ?? 0) > 0 || run.mismatches.length > 0;
  return { intent: look ? 'warning' : 'success', message: `${head}: ${counts}.${look ? ' See the last run details below.' : ''}` };
}

/** A field value as the admin reads it: text as is, nothing as "(empty)", anything else as JSON. */
export function fieldValue(value: unknown): string {
  if (value === null || value === undefined || value === '') return '(empty)';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}
