/**
 * The ERP ids we write back onto ERP journal lines, in Tryton's own notation
 * for a record ("model,id", as its Reference fields show them), so a person
 * reading a line knows where to look in Tryton:
 *
 *   erpJournalId  "stock.shipment.internal,41"
 *   erpLineId     "stock.move,87"
 *
 * A line Tryton holds in more than one record (the part of a transfer that
 * moved between the warehouses plus a lost-and-found rest, see plan.ts) lists
 * them all, separated by ";".
 */

export const SHIPMENT_MODEL = 'stock.shipment.internal';
export const MOVE_MODEL = 'stock.move';

const SEPARATOR = ';';

export function formatRecordIds(model: string, ids: Iterable<number>): string {
  return [...new Set(ids)]
    .sort((a, b) => a - b)
    .map((id) => `${model},${id}`)
    .join(SEPARATOR);
}

/** The ids of `model` in text written by formatRecordIds; undefined when any part is not one. */
export function parseRecordIds(model: string, text: string | undefined): number[] | undefined {
  if (!text) return undefined;
  const ids: number[] = [];
  for (const part of text.split(SEPARATOR)) {
    const [name, raw = ''] = part.split(',');
    const id = /^\d{1,15}$/.test(raw) ? Number(raw) : NaN;
    if (name !== model || !Number.isSafeInteger(id) || id < 1) return undefined;
    ids.push(id);
  }
  return ids;
}
