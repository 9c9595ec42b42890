/**
 * The statuses journals walk on their way to the ERP, shared by the backend
 * (which moves them) and the app (which shows them).
 *
 * A posting journal (one per source document) is `posted` when the ledger
 * wrote it and `aggregated` once its lines were summed into ERP journal lines.
 * Each aggregated ERP line then walks the line lifecycle below; the ERP
 * journal shows a summary of its lines.
 */

export const POSTING_JOURNAL_STATUSES = ['posted', 'aggregated'] as const;
export type PostingJournalStatus = (typeof POSTING_JOURNAL_STATUSES)[number];

export const ERP_LINE_STATUSES = ['created', 'do-not-sync', 'sent', 'create-error', 'created-in-erp', 'post-error', 'posted'] as const;
export type ErpLineStatus = (typeof ERP_LINE_STATUSES)[number];

/**
 * Every legal move of an ERP line. `do-not-sync` (the line nets to zero, so
 * there is nothing to tell the ERP) and `posted` are final. An error goes back
 * to the step that failed: a create error is sent again, a post error is
 * posted again from `created-in-erp` (the ERP already holds the journal, so
 * sending it again would create it twice).
 */
export const ERP_LINE_TRANSITIONS: Readonly<Record<ErpLineStatus, readonly ErpLineStatus[]>> = {
  created: ['do-not-sync', 'sent'],
  'do-not-sync': [],
  sent: ['create-error', 'created-in-erp'],
  'create-error': ['sent'],
  'created-in-erp': ['post-error', 'posted'],
  'post-error': ['created-in-erp'],
  posted: [],
};

export const ERP_LINE_STATUS_LABELS: Readonly<Record<ErpLineStatus, string>> = {
  created: 'Created',
  'do-not-sync': 'Do not sync (nets to zero)',
  sent: 'Sent to ERP',
  'create-error': 'Error creating in ERP',
  'created-in-erp': 'Created in ERP',
  'post-error': 'Error posting in ERP',
  posted: 'Posted',
};

export const POSTING_JOURNAL_STATUS_LABELS: Readonly<Record<PostingJournalStatus, string>> = {
  posted: 'Posted',
  aggregated: 'Aggregated',
};

export function isErpLineStatus(value: unknown): value is ErpLineStatus {
  return typeof value === 'string' && (ERP_LINE_STATUSES as readonly string[]).includes(value);
}

export function canMoveErpLine(from: ErpLineStatus, to: ErpLineStatus): boolean {
  return ERP_LINE_TRANSITIONS[from].includes(to);
}

export function isFinalErpLineStatus(status: ErpLineStatus): boolean {
  return ERP_LINE_TRANSITIONS[status].length === 0;
}

/** How far a line has come; a summary shows the line that is furthest behind. */
const PROGRESS: Readonly<Record<ErpLineStatus, number>> = {
  created: 0,
  sent: 1,
  'create-error': 1,
  'created-in-erp': 2,
  'post-error': 2,
  posted: 3,
  'do-not-sync': 4,
};

/**
 * The status of an ERP journal as a whole: an error on any line wins (someone
 * must act), otherwise the least advanced line; `do-not-sync` only when every
 * line nets to zero. An empty journal cannot exist, but reads as `created`.
 */
export function summarizeErpLineStatuses(statuses: Iterable<ErpLineStatus>): ErpLineStatus {
  let summary: ErpLineStatus | undefined;
  let createError = false;
  let postError = false;
  for (const s of statuses) {
    if (s === 'create-error') createError = true;
    if (s === 'post-error') postError = true;
    if (summary === undefined || PROGRESS[s] < PROGRESS[summary]) summary = s;
  }
  if (createError) return 'create-error';
  if (postError) return 'post-error';
  return summary ?? 'created';
}
