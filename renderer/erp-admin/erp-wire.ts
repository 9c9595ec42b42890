/**
 * The admin ERP routes' answers under the names this screen uses (docs/api.md
 * "ERP outbox", "ERP sync", "ERP inventory levels"). The shapes are defined
 * once, in shared/erp/, and the server answers with them; only the inbound
 * sync's views are narrower here (see SyncRun).
 */
import type { MapSyncStatus, RunSummary, SyncStatus } from '../../shared/erp/sync-wire.js';

export type { MapStatusView as MapStatus, OutboxItemView as OutboxItem, OutboxStatusView as OutboxStatusAnswer } from '../../shared/erp/outbox-wire.js';
export type { LevelPosting, LevelsRun, WarehouseLevels } from '../../shared/erp/levels-wire.js';
export { LIST_LIMIT as SYNC_LIST_CAP } from '../../shared/erp/sync-wire.js';
export type { Mismatch as SyncMismatch, RecordFailure as SyncFailure, RunKind as SyncRunKind } from '../../shared/erp/sync-wire.js';

/**
 * A run as the screen reads it: only the fields it shows, and those it can
 * do without optional, so a server older than one of them (queuedForErp
 * came later) gets a dash where it says nothing instead of a broken row.
 */
type LaterRunFields = 'total' | 'linked' | 'echoes' | 'failed' | 'removed' | 'queuedForErp' | 'failures';
export type SyncRun = Pick<RunSummary, 'kind' | 'startedAt' | 'finishedAt' | 'processed' | 'created' | 'updated' | 'skipped' | 'mismatches' | 'error'> &
  Partial<Pick<RunSummary, LaterRunFields>>;

export type SyncMapStatus = Pick<MapSyncStatus, 'map' | 'inbound' | 'reason' | 'lastError'> & {
  running: SyncRun | null;
  lastRun: SyncRun | null;
};

export type SyncAnswer = Pick<SyncStatus, 'adapter' | 'enabled'> & { maps: SyncMapStatus[] };

/** GET /api/v1/admin/erp-journals. */
export type { ErpJournalPage } from '../../shared/erp/journals-wire.js';
