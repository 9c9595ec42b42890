/**
 * The reference every shipment we create in Tryton carries, so a delivery
 * that is repeated (a lost answer, a crash before we recorded the outcome, a
 * retry of refused lines) finds what Tryton already holds instead of making
 * it twice:
 *
 *   fieldstock:<ERP journal id>:<role>:<our line numbers>
 *   fieldstock:0190c2d4-…:in:1-3,7
 *
 * Stock moves have no free text field in Tryton 6.0, so the shipment is the
 * record that carries the reference, written in the same call that creates
 * it and its moves (one Tryton transaction: all or nothing). Which move is
 * which line follows from the product (an ERP journal has one line per
 * warehouse and product) and from the storage location it enters or leaves.
 */

export const REFERENCE_PREFIX = 'fieldstock';

/** in/out: lost-and-found to or from the journal's warehouse; transfer: between the two warehouses; to-in/to-out: lost-and-found at the receiving warehouse. */
export const SHIPMENT_ROLES = ['in', 'out', 'transfer', 'to-in', 'to-out'] as const;
export type ShipmentRole = (typeof SHIPMENT_ROLES)[number];

export interface ParsedReference {
  journalId: string;
  role: ShipmentRole;
  lineNumbers: number[];
}

/** What every shipment of one ERP journal starts with (a Tryton `like` pattern needs a trailing %). */
export function journalPrefix(journalId: string): string {
  // Our ids are UUIDs: no ':' and none of like's wildcards (%, _), so the prefix matches only this journal.
  if (!/^[0-9A-Za-z-]+$/.test(journalId)) throw new RangeError(`ERP journal id "${journalId}" cannot be part of a Tryton reference`);
  return `${REFERENCE_PREFIX}:${journalId}:`;
}

export function shipmentReference(journalId: string, role: ShipmentRole, lineNumbers: readonly number[]): string {
  return `${journalPrefix(journalId)}${role}:${formatLineRanges(lineNumbers)}`;
}

/** Undefined for a reference we did not write (someone else's shipment that happens to match the prefix). */
export function parseShipmentReference(reference: string): ParsedReference | undefined {
  const parts = reference.split(':');
  if (parts.length !== 4 || parts[0] !== REFERENCE_PREFIX) return undefined;
  const [, journalId = '', role = '', ranges = ''] = parts;
  if (!(SHIPMENT_ROLES as readonly string[]).includes(role)) return undefined;
  const lineNumbers = parseLineRanges(ranges);
  if (!lineNumbers || !journalId) return undefined;
  return { journalId, role: role as ShipmentRole, lineNumbers };
}

/** [1,2,3,7,9,10] → "1-3,7,9-10": a shipment of a 1000-line journal keeps a short reference. */
export function formatLineRanges(lineNumbers: readonly number[]): string {
  const sorted = [...new Set(lineNumbers)].sort((a, b) => a - b);
  if (sorted.length === 0 || !sorted.every((n) => Number.isSafeInteger(n) && n >= 1)) throw new RangeError(`line numbers must be positive integers, not [${lineNumbers.join(', ')}]`);
  const ranges: string[] = [];
  let start = sorted[0] as number;
  let end = start;
  for (const n of sorted.slice(1)) {
    if (n === end + 1) {
      end = n;
      continue;
    }
    ranges.push(start === end ? String(start) : `${start}-${end}`);
    start = n;
    end = n;
  }
  ranges.push(start === end ? String(start) : `${start}-${end}`);
  return ranges.join(',');
}

/** The inverse of formatLineRanges; undefined for anything it would not have written. */
export function parseLineRanges(text: string): number[] | undefined {
  const numbers: number[] = [];
  for (const part of text.split(',')) {
    const match = /^(\d{1,6})(?:-(\d{1,6}))?$/.exec(part);
    if (!match) return undefined;
    const from = Number(match[1]);
    const to = match[2] === undefined ? from : Number(match[2]);
    if (from < 1 || to < from) return undefined;
    for (let n = from; n <= to; n += 1) numbers.push(n);
  }
  return numbers;
}
