/**
 * A document trace (shared/erp/trace-wire.ts) in words an integration
 * administrator reads at a glance: where the document stands, whether it was
 * posted, whether its lines reached an ERP journal, and the quantities as
 * decimals. React-free so the wording is tested on its own.
 */
import type { Units } from '../../shared/decimal.js';
import { formatUnits } from '../../shared/decimal.js';
import type { DocumentTrace, TraceDocument } from '../../shared/erp/trace-wire.js';
import { ERP_LINE_STATUS_LABELS, isErpLineStatus } from '../../shared/ledger/erp-status.js';
import { isTraceCollection, POSTED_COLLECTIONS, TRACE_COLLECTION_LABELS } from './trace-target.js';

/** The trace gives quantities scaled by 10^4 (as journal_lines stores them): the same integers shared/decimal.ts calls Units. */
export function traceQuantity(scaled: number): string {
  return Number.isSafeInteger(scaled) ? formatUnits(scaled as Units) : String(scaled);
}

export function erpLineStatusLabel(status: string): string {
  return isErpLineStatus(status) ? ERP_LINE_STATUS_LABELS[status] : status;
}

export function collectionLabel(collection: string): string {
  return isTraceCollection(collection) ? TRACE_COLLECTION_LABELS[collection] : collection;
}

export function when(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

/** The document's own state: its status, or that it is a master record, and whether it was deleted. */
export function documentStateText(doc: TraceDocument): string {
  const state = doc.status ?? 'no status (master data)';
  return doc.deleted ? `${state}; deleted in Fieldstock` : state;
}

/** What the ledger did with it. */
export function postingText(trace: DocumentTrace): string {
  const { posting, document } = trace;
  if (posting?.outcome === 'posted') return `Posted ${when(posting.postedAt)}${posting.journalId ? ` in journal ${posting.journalId}` : ''}.`;
  if (posting?.outcome === 'rejected') return `Rejected ${when(posting.postedAt)}: nothing was posted, so nothing goes to the ERP.`;
  if (!POSTED_COLLECTIONS.has(document.collection)) return `Not posted: ${collectionLabel(document.collection).toLowerCase()} are master data, which the ledger does not post; the sync carries them.`;
  return 'Not posted yet: the server has not posted it to the ledger (it may still be waiting to sync).';
}

/** Why the ERP lines table is empty, or null when it is not. */
export function erpLinesEmptyText(trace: DocumentTrace): string | null {
  if (trace.erpLines.length > 0) return null;
  if (trace.postingLines.length === 0) return 'No ERP lines: no posting lines to sum.';
  if (trace.postingLines.some((l) => l.aggregation === 'pending')) return 'Not aggregated yet: the next aggregation run sums it into an ERP journal.';
  return 'No ERP lines found for the aggregated posting lines.';
}

/** How many posting lines still wait for aggregation (0 when all were summed). */
export function pendingLineCount(trace: DocumentTrace): number {
  return trace.postingLines.filter((l) => l.aggregation === 'pending').length;
}
