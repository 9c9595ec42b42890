/** Each map's stored cursor and last run (table erp_sync_state). */
import type { Kysely } from 'kysely';
import type { Database } from '../../store/tables.js';
import type { RunSummary } from '../../../shared/erp/sync-wire.js';

export interface StoredSyncState {
  cursor: string | null;
  lastRun: RunSummary | null;
  lastError: { code: string; message: string; at: string } | null;
  lastReconciledAt: number | null;
}

export async function readSyncState(db: Kysely<Database>, map: string): Promise<StoredSyncState> {
  const row = await db.selectFrom('erp_sync_state').selectAll().where('map', '=', map).executeTakeFirst();
  return {
    cursor: row?.cursor ?? null,
    lastRun: parse<RunSummary>(row?.last_run),
    lastError: parse<{ code: string; message: string; at: string }>(row?.last_error),
    lastReconciledAt: row?.last_reconciled_at === null || row?.last_reconciled_at === undefined ? null : Number(row.last_reconciled_at),
  };
}

type Patch = Partial<{ cursor: string | null; lastRun: RunSummary; lastError: { code: string; message: string; at: string } | null; lastReconciledAt: number }>;

export async function writeSyncState(db: Kysely<Database>, map: string, patch: Patch): Promise<void> {
  const values = {
    ...('cursor' in patch ? { cursor: patch.cursor ?? null } : {}),
    ...(patch.lastRun ? { last_run: JSON.stringify(patch.lastRun) } : {}),
    ...('lastError' in patch ? { last_error: patch.lastError ? JSON.stringify(patch.lastError) : null } : {}),
    ...(patch.lastReconciledAt !== undefined ? { last_reconciled_at: patch.lastReconciledAt } : {}),
    updated_at: Date.now(),
  };
  await db
    .insertInto('erp_sync_state')
    .values({ map, cursor: null, last_run: null, last_error: null, last_reconciled_at: null, ...values })
    .onConflict((oc) => oc.column('map').doUpdateSet(values))
    .execute();
}

function parse<T>(text: string | null | undefined): T | null {
  if (!text) return null;
  try {
    return JSON.parse(text) as T;
  } catch {
    return null;
  }
}
