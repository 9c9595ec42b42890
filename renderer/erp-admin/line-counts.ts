/**
 * ERP journal lines counted by their own status (a journal's status is only
 * a summary of its lines), read page by page from the admin list.
 */
import { ERP_LINE_STATUSES, type ErpLineStatus } from '../../shared/ledger/erp-status.js';
import type { ErpJournal } from '../../shared/schemas/journals.js';
import type { ApiResult, ErpAdminApi } from './admin-api.js';

/** The order the screen lists them in: the way a line walks, then the ends that need no one and the errors that need someone. */
export const LINE_STATUS_ORDER: readonly ErpLineStatus[] = ['created', 'sent', 'created-in-erp', 'posted', 'do-not-sync', 'create-error', 'post-error'];

/** Pages of 200 journals read per refresh; beyond this the counts cover the newest journals only. */
export const MAX_JOURNAL_PAGES = 5;

export interface LineCounts {
  counts: Record<ErpLineStatus, number>;
  journals: number;
  /** True when there were more journals than were read. */
  partial: boolean;
}

export function countLines(journals: Iterable<Pick<ErpJournal, 'lines'>>): Record<ErpLineStatus, number> {
  const counts = Object.fromEntries(ERP_LINE_STATUSES.map((s) => [s, 0])) as Record<ErpLineStatus, number>;
  for (const journal of journals) for (const line of journal.lines) counts[line.status] += 1;
  return counts;
}

export async function loadLineCounts(api: Pick<ErpAdminApi, 'erpJournals'>): Promise<ApiResult<LineCounts>> {
  const journals: ErpJournal[] = [];
  let cursor: string | null = null;
  for (let page = 0; page < MAX_JOURNAL_PAGES; page++) {
    const result = await api.erpJournals(cursor);
    if (!result.ok) return result;
    journals.push(...result.value.journals);
    cursor = result.value.nextCursor;
    if (!cursor) break;
  }
  return { ok: true, value: { counts: countLines(journals), journals: journals.length, partial: cursor !== null } };
}
