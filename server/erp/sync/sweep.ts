/**
 * One run over a map's change feed: from the stored cursor (minus the
 * overlap window) for `changes`, from the beginning for `initial`. Pages are
 * applied one after another and the cursor is stored after each, so a crash
 * or an ERP outage resumes where it stopped; re-read records are echoes.
 */
import { erpReadFields } from '../maps/index.js';
import type { EntityMap } from '../maps/types.js';
import { applyRecords } from './apply.js';
import type { SyncDeps } from './deps.js';
import { pushedDownFilter } from './erp-filter.js';
import { readSyncState, writeSyncState } from './state.js';
import type { RunSummary } from '../../../shared/erp/sync-wire.js';

export async function sweep(deps: SyncDeps, map: EntityMap, summary: RunSummary): Promise<void> {
  const state = await readSyncState(deps.store.db, map.name);
  const filter = pushedDownFilter(map.filter.erp);
  const fields = erpReadFields(map);
  let cursor = summary.kind === 'initial' ? null : state.cursor;
  if (summary.kind === 'initial') {
    // Progress for people watching a first sync: how many records the ERP has for this map.
    summary.total = (await deps.connector.readIds(map.model, filter)).length;
  }
  for (;;) {
    const page = await deps.connector.readChanges(map.model, { fields, cursor, overlapMs: deps.overlapMs, limit: deps.pageSize, filter });
    await applyRecords(deps, map, page.records, summary);
    cursor = page.cursor;
    await writeSyncState(deps.store.db, map.name, { cursor });
    if (page.caughtUp) return;
  }
}
