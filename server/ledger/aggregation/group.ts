import { addUnits, type Units } from '../../../shared/decimal.js';
import type { ErpLineStatus } from '../../../shared/ledger/erp-status.js';

/** A posted journal line not yet aggregated, as the aggregator reads it. */
export interface PendingLine {
  id: string;
  journalId: string;
  /** The posted document (inventory transaction or receipt) the line came from. */
  sourceId: string;
  lineNumber: number;
  journalName: string;
  /** The posting journal's warehouses: an ERP journal never mixes journals of different warehouses. */
  journalWarehouseId: string;
  journalToWarehouseId: string | null;
  /** Where this line moved stock (for a transfer: either end). */
  warehouseId: string;
  productId: string;
  quantity: Units;
  /** The source document reaches the ERP by its own flow (a receipt against an ERP purchase): its line is never sent. */
  deliveredElsewhere?: boolean;
}

export interface PlannedLine {
  lineNumber: number;
  warehouseId: string;
  productId: string;
  quantity: Units;
  status: Extract<ErpLineStatus, 'created' | 'do-not-sync'>;
  /** The posting lines summed here. */
  sources: PendingLine[];
}

export interface PlannedJournal {
  journalName: string;
  warehouseId: string;
  toWarehouseId: string | null;
  lines: PlannedLine[];
}

const SEP = '\u0000';

/**
 * Sums posting lines per (journal name, journal warehouse[s], line warehouse,
 * product) and cuts each (journal name, warehouse[s]) into ERP journals of at
 * most `maxLines` lines. A transfer's journal keeps both warehouses and a line
 * per end, so the ERP sees where stock left and where it arrived. A line that
 * nets to zero is `do-not-sync`: there is nothing to tell the ERP. So is a
 * line whose source document reaches the ERP by its own flow (a receipt
 * against an ERP purchase becomes the ERP's own incoming shipment): those
 * lines get journals of their own, so a sum never mixes what is sent with
 * what is not.
 *
 * Pure and deterministic (sorted keys), so the same lines always make the
 * same journals.
 */
export function planErpJournals(lines: readonly PendingLine[], maxLines: number): PlannedJournal[] {
  if (!Number.isInteger(maxLines) || maxLines < 1) throw new RangeError(`maxLines must be a positive integer, not ${maxLines}`);
  const journals = new Map<string, { head: Omit<PlannedJournal, 'lines'>; elsewhere: boolean; items: Map<string, PlannedLine> }>();
  for (const line of lines) {
    const elsewhere = line.deliveredElsewhere === true;
    const journalKey = [line.journalName, line.journalWarehouseId, line.journalToWarehouseId ?? '', elsewhere ? 'elsewhere' : ''].join(SEP);
    let journal = journals.get(journalKey);
    if (!journal) {
      journal = { head: { journalName: line.journalName, warehouseId: line.journalWarehouseId, toWarehouseId: line.journalToWarehouseId }, elsewhere, items: new Map() };
      journals.set(journalKey, journal);
    }
    const itemKey = [line.warehouseId, line.productId].join(SEP);
    const item = journal.items.get(itemKey);
    if (item) {
      item.quantity = addUnits(item.quantity, line.quantity);
      item.sources.push(line);
    } else {
      journal.items.set(itemKey, { lineNumber: 0, warehouseId: line.warehouseId, productId: line.productId, quantity: line.quantity, status: 'created', sources: [line] });
    }
  }
  const planned: PlannedJournal[] = [];
  for (const key of [...journals.keys()].sort()) {
    const journal = journals.get(key);
    if (!journal) continue;
    const items = [...journal.items.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)).map(([, item]) => item);
    for (let i = 0; i < items.length; i += maxLines) {
      const chunk = items.slice(i, i + maxLines).map((item, n) => ({
        ...item,
        lineNumber: n + 1,
        status: item.quantity === 0 || journal.elsewhere ? ('do-not-sync' as const) : ('created' as const),
      }));
      planned.push({ ...journal.head, lines: chunk });
    }
  }
  return planned;
}
