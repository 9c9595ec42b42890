/**
 * Fixing a rejected receipt: the Receive form starts from the rejected
 * receipt's quantities on the order as it is now, and the new receipt says in
 * its note which one it corrects (receipts have no external reference). The
 * rejected receipt itself is never edited: it is the server's record of what
 * was refused.
 */
import type { DeepReadonly } from 'rxdb';
import type { Product, PurchaseOrder, Receipt } from '../../shared/collections.js';
import { addUnits, formatUnits, units, ZERO_UNITS, type Units } from '../../shared/decimal.js';
import { textField } from '../../shared/schemas/common.js';
import { correctsMarker } from '../transactions/correction.js';
import type { TypedQuantities } from './receipt-draft.js';

export interface ReceiptCorrection {
  /** The rejected receipt being corrected. */
  receiptId: string;
  receivedAt: string;
  /** The server's reason for rejecting it. */
  reason: string;
  /** Its quantities per PO line number, as the form shows them. */
  typed: TypedQuantities;
  /** Its note without any earlier correction marker. */
  note: string;
  /** Why some of its lines are not in the form: they no longer match the order. */
  dropped: string[];
}

const MARKER = /\[corrects [^\]\s]+\]/g;

/**
 * The form's starting point for correcting `rejected` on `order`. A line is
 * kept only when the order still has that line number for the same product
 * in the same unit; otherwise its quantity would mean something else now.
 */
export function correctionFromRejected(
  rejected: DeepReadonly<Receipt>,
  order: DeepReadonly<Pick<PurchaseOrder, 'number' | 'lines'>>,
  products: ReadonlyMap<string, DeepReadonly<Pick<Product, 'number'>>>,
): ReceiptCorrection {
  const orderLines = new Map(order.lines.map((l) => [l.lineNumber, l]));
  const totals = new Map<number, Units>();
  const dropped: string[] = [];
  for (const line of rejected.lines) {
    const product = products.get(line.productId)?.number ?? line.productId;
    const now = orderLines.get(line.lineNumber);
    if (!now || now.productId !== line.productId) {
      dropped.push(`Line ${line.lineNumber} (${product}) is no longer on ${order.number}, so it was left out.`);
      continue;
    }
    if (line.unit && line.unit !== now.unit) {
      dropped.push(`Line ${line.lineNumber} (${product}) was received in ${line.unit} but ${order.number} now orders it in ${now.unit}, so it was left out.`);
      continue;
    }
    let quantity: Units;
    try {
      quantity = units(line.quantity);
    } catch {
      dropped.push(`Line ${line.lineNumber} (${product}) had a quantity that is not valid, so it was left out.`);
      continue;
    }
    // A receipt may name a line twice; the form has one field per line.
    totals.set(line.lineNumber, addUnits(totals.get(line.lineNumber) ?? ZERO_UNITS, quantity));
  }
  const typed: Record<number, string> = {};
  for (const [lineNumber, total] of totals) if (total > 0) typed[lineNumber] = formatUnits(total);
  return {
    receiptId: rejected.id,
    receivedAt: rejected.receivedAt,
    reason: rejected.error?.message ?? 'The server gave no reason.',
    typed,
    note: (rejected.note ?? '').replace(MARKER, '').replace(/\s{2,}/g, ' ').trim(),
    dropped,
  };
}

/** The note of the correcting receipt: the user's note, then " [corrects <id>]", within the note's maximum length. */
export function correctingNote(note: string, receiptId: string): string {
  const marker = correctsMarker(receiptId);
  const trimmed = note.trim();
  // The marker must survive: the user's text gives way when the note would be too long.
  const room = textField.maxLength - marker.length - 1;
  return trimmed ? `${trimmed.slice(0, room).trimEnd()} ${marker}` : marker;
}
