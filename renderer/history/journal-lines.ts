/**
 * Journal lines as the history and the exports read them: posting journals
 * only (ERP journals sum those same lines, so counting both would count
 * twice), each line with its ERP status resolved through the ERP journal
 * that carries it.
 */
import type { DeepReadonly } from 'rxdb';
import type { Journal } from '../../shared/collections.js';
import { units, type Units } from '../../shared/decimal.js';
import { ERP_LINE_STATUS_LABELS, isErpLineStatus, POSTING_JOURNAL_STATUS_LABELS } from '../../shared/ledger/erp-status.js';

export type JournalDoc = DeepReadonly<Journal>;
type JournalDocLine = JournalDoc['lines'][number];

/** Documents written before journals had a kind (schema version 0) were all posting journals. */
export function isPostingJournal(journal: JournalDoc): boolean {
  return (journal.kind ?? 'posting') === 'posting';
}

export interface LineStatus {
  /** Machine-readable, for CSV: posted, aggregated, or the ERP line status. */
  code: string;
  label: string;
}

/**
 * Where a posting line stands: posted; aggregated into an ERP line, then that
 * line's status once its ERP journal is on the device.
 */
export function lineStatus(journal: JournalDoc, line: JournalDocLine, erpJournals: ReadonlyMap<string, JournalDoc>): LineStatus {
  const link = line.erpJournal;
  if (link) {
    const status = erpJournals.get(link.id)?.lines.find((l) => l.lineNumber === link.lineNumber)?.status;
    if (isErpLineStatus(status)) return { code: status, label: ERP_LINE_STATUS_LABELS[status] };
    return { code: 'aggregated', label: POSTING_JOURNAL_STATUS_LABELS.aggregated };
  }
  return journal.status === 'aggregated'
    ? { code: 'aggregated', label: POSTING_JOURNAL_STATUS_LABELS.aggregated }
    : { code: 'posted', label: POSTING_JOURNAL_STATUS_LABELS.posted };
}

/** The ERP journals the given posting journals point at: what the status column needs from the device. */
export function linkedErpJournalIds(journals: readonly JournalDoc[]): string[] {
  const ids = new Set<string>();
  for (const journal of journals) for (const line of journal.lines) if (line.erpJournal) ids.add(line.erpJournal.id);
  return [...ids].sort();
}

export interface FlatJournalLine {
  journal: JournalDoc;
  line: JournalDocLine;
  /** When it happened (occurredAt; postedAt for a journal without one). */
  occurredAt: string;
  /** Milliseconds of occurredAt; 0 when it does not parse, which sorts it oldest. */
  time: number;
  /** The applied change to on hand. */
  quantity: Units;
  /** What the source asked for, when it differs from what was applied (or the counted level of a count). */
  requested: Units | null;
  status: LineStatus;
}

function timeOf(iso: string): number {
  const time = Date.parse(iso);
  return Number.isFinite(time) ? time : 0;
}

/**
 * Every posting line in one warehouse (optionally of one product), newest
 * first. "In a warehouse" is the line's own warehouse: a transfer's journal
 * belongs to the warehouse it leaves, but its incoming line moves the other.
 */
export function flattenJournalLines(
  journals: readonly JournalDoc[],
  filter: { warehouseId: string; productId?: string },
  erpJournals: ReadonlyMap<string, JournalDoc>,
): FlatJournalLine[] {
  const flat: FlatJournalLine[] = [];
  for (const journal of journals) {
    if (!isPostingJournal(journal)) continue;
    const occurredAt = journal.occurredAt ?? journal.postedAt ?? '';
    for (const line of journal.lines) {
      if (line.warehouseId !== filter.warehouseId) continue;
      if (filter.productId !== undefined && line.productId !== filter.productId) continue;
      const quantity = units(line.quantity);
      const requested = line.requestedQuantity === undefined ? null : units(line.requestedQuantity);
      flat.push({
        journal,
        line,
        occurredAt,
        time: timeOf(occurredAt),
        quantity,
        // A count's requested quantity is the counted level, always worth showing; otherwise only a difference is news.
        requested: requested !== null && (journal.journalName === 'count' || requested !== quantity) ? requested : null,
        status: lineStatus(journal, line, erpJournals),
      });
    }
  }
  return flat.sort(newestFirst);
}

/**
 * Newest first by when it happened; at the same moment, the one posted later
 * was applied later; then a fixed order so the list never jumps.
 */
export function newestFirst(a: FlatJournalLine, b: FlatJournalLine): number {
  return (
    b.time - a.time ||
    compareText(b.journal.postedAt ?? '', a.journal.postedAt ?? '') ||
    compareText(b.journal.id, a.journal.id) ||
    b.line.lineNumber - a.line.lineNumber
  );
}

function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
