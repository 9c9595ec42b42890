/**
 * One refresh of the ERP screen: the four reads side by side, each kept as
 * its own result so one failing route does not hide what the others said.
 */
import type { ApiResult, ErpAdminApi } from './admin-api.js';
import type { OutboxItem, OutboxStatusAnswer, SyncAnswer } from './erp-wire.js';
import { loadLineCounts, type LineCounts } from './line-counts.js';

export interface ErpOverview {
  status: ApiResult<OutboxStatusAnswer>;
  poison: ApiResult<OutboxItem[]>;
  sync: ApiResult<SyncAnswer>;
  lines: ApiResult<LineCounts>;
}

export async function loadOverview(api: ErpAdminApi): Promise<ErpOverview> {
  const [status, poison, sync, lines] = await Promise.all([api.status(), api.poisonItems(), api.sync(), loadLineCounts(api)]);
  return { status, poison: poison.ok ? { ok: true, value: poison.value.items } : poison, sync, lines };
}

/**
 * No ERP to talk to: the status route is missing (an older server), or the
 * server runs without an ERP adapter and nothing was ever queued.
 */
export function noErpConfigured(overview: ErpOverview): boolean {
  if (!overview.status.ok) return overview.status.problem.status === 404;
  return overview.status.value.maps.length === 0 && overview.sync.ok && overview.sync.value.adapter === 'none';
}
