/**
 * What the user typed on the receiving form becomes either a pending receipt
 * document (with the warnings the shared ledger rules raise) or a message per
 * line. Lines left empty are not part of the receipt: partial receipts are
 * the normal case on a delivery that comes in several drops.
 */
import type { DeepReadonly } from 'rxdb';
import type { PurchaseOrder, Receipt } from '../../shared/collections.js';
import { parseQuantity, toQuantity, type Units } from '../../shared/decimal.js';
import type { LedgerProblem } from '../../shared/ledger/problem.js';
import { overReceiptProblem } from '../../shared/ledger/tolerance.js';
import { receivedBefore, type ReceiveLine } from './receive-lines.js';

/** The text typed per PO line number. */
export type TypedQuantities = Readonly<Record<number, string>>;

export type Entry = { kind: 'empty' } | { kind: 'quantity'; units: Units } | { kind: 'invalid'; message: string };

export function parseEntry(text: string | undefined): Entry {
  const trimmed = (text ?? '').trim();
  if (!trimmed) return { kind: 'empty' };
  // A comma is how many keyboards type the decimal separator.
  const parsed = parseQuantity(trimmed.replace(',', '.'));
  if (!parsed.ok) return { kind: 'invalid', message: parsed.code === 'precision-exceeded' ? 'Use at most 4 decimal places.' : 'Enter a number, for example 2 or 1.5.' };
  if (parsed.units < 0) return { kind: 'invalid', message: 'Enter the quantity without a minus sign.' };
  if (parsed.units === 0) return { kind: 'invalid', message: 'Enter a quantity greater than 0, or leave the line empty.' };
  return { kind: 'quantity', units: parsed.units };
}

export interface DraftContext {
  id: string;
  now: Date;
  order: DeepReadonly<Pick<PurchaseOrder, 'id' | 'number' | 'warehouseId'>>;
  note: string;
}

export type DraftResult =
  | { ok: true; receipt: Receipt; problems: LedgerProblem[] }
  | { ok: false; lineErrors: Record<number, string>; formError: string | null };

export function buildReceiptDraft(lines: readonly ReceiveLine[], typed: TypedQuantities, context: DraftContext): DraftResult {
  const lineErrors: Record<number, string> = {};
  const receiving: { line: ReceiveLine; units: Units }[] = [];
  for (const line of lines) {
    const entry = parseEntry(typed[line.lineNumber]);
    if (entry.kind === 'invalid') lineErrors[line.lineNumber] = entry.message;
    else if (entry.kind === 'quantity') receiving.push({ line, units: entry.units });
  }
  if (Object.keys(lineErrors).length > 0) return { ok: false, lineErrors, formError: null };
  if (receiving.length === 0) return { ok: false, lineErrors, formError: 'Enter a quantity on at least one line, or scan a product.' };

  const problems: LedgerProblem[] = [];
  for (const { line, units } of receiving) {
    const over = overReceiptProblem({
      poNumber: context.order.number,
      lineNumber: line.lineNumber,
      unit: line.unit,
      ordered: line.ordered,
      receivedBefore: receivedBefore(line),
      adding: units,
      percent: line.tolerancePercent,
    });
    if (over) problems.push(over);
    if (!line.conversion.ok) problems.push(line.conversion.problem);
  }
  const note = context.note.trim();
  return {
    ok: true,
    problems,
    receipt: {
      id: context.id,
      purchaseOrderId: context.order.id,
      warehouseId: context.order.warehouseId,
      receivedAt: context.now.toISOString(),
      ...(note ? { note } : {}),
      lines: receiving.map(({ line, units }) => ({ lineNumber: line.lineNumber, productId: line.productId, quantity: toQuantity(units), unit: line.unit })),
      status: 'pending',
    },
  };
}
