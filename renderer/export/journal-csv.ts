/**
 * Journal lines as CSV, one row per line, oldest first (the order a ledger is
 * read in). Codes and numbers instead of ids where a person reads them; the
 * ids stay too, for tracing a row back to its documents.
 */
import { units } from '../../shared/decimal.js';
import type { FlatJournalLine } from '../history/journal-lines.js';
import { integerCell, quantityCell, toCsv } from './csv.js';

export const JOURNAL_CSV_HEADER = [
  'Journal id',
  'Journal name',
  'Line',
  'Source',
  'Source id',
  'Warehouse',
  'Product number',
  'Quantity',
  'Requested quantity',
  'Occurred at',
  'Posted at',
  'Status',
] as const;

const SOURCE_NAMES: Record<string, string> = { inventoryTransactions: 'transaction', receipts: 'receipt' };

export interface CodeLookups {
  /** Warehouse id → code. */
  warehouseCodes: ReadonlyMap<string, string>;
  /** Product id → number. */
  productNumbers: ReadonlyMap<string, string>;
}

/** `lines` newest first, as flattenJournalLines gives them. */
export function journalCsv(lines: readonly FlatJournalLine[], lookups: CodeLookups): string {
  const rows = [...lines].reverse().map(({ journal, line, occurredAt, quantity, status }) => [
    journal.id,
    journal.journalName,
    integerCell(line.lineNumber),
    journal.sourceCollection ? (SOURCE_NAMES[journal.sourceCollection] ?? journal.sourceCollection) : null,
    journal.sourceId,
    // A document can arrive before the warehouse or product it names: the id is better than nothing.
    lookups.warehouseCodes.get(line.warehouseId) ?? line.warehouseId,
    lookups.productNumbers.get(line.productId) ?? line.productId,
    quantityCell(quantity),
    line.requestedQuantity === undefined ? null : quantityCell(units(line.requestedQuantity)),
    occurredAt,
    journal.postedAt,
    status.code,
  ]);
  return toCsv(JOURNAL_CSV_HEADER, rows);
}
