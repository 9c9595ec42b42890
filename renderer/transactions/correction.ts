/**
 * Corrections: a rejected document is never edited (it is the server's
 * record of what was refused). The fix is a NEW document that says which one
 * it corrects, so the rejected one can leave "Needs attention" on every
 * device that sees both.
 */
import type { DeepReadonly } from 'rxdb';
import type { InventoryTransaction } from '../../shared/collections.js';
import { formatUnits, negateUnits, units } from '../../shared/decimal.js';
import { textField } from '../../shared/schemas/common.js';
import type { MoveDraft } from './move-draft.js';

/** externalReference.category of a transaction that corrects a rejected one. */
export const CORRECTS_CATEGORY = 'corrects';

type Reference = InventoryTransaction['externalReference'];

/** "[corrects <id>]": how the note says it when the external reference is taken (and for receipts, which have none). */
export function correctsMarker(id: string): string {
  return `[corrects ${id}]`;
}

const NOTE_MAX_LENGTH = textField.maxLength;

const MARKER = /\[corrects ([^\]\s]+)\]/;

/** Where a new document records the rejected document it corrects. */
export function correctionLink(own: Reference, note: string, correctsId: string): { externalReference: Reference; note: string } {
  if (!correctsId) return { externalReference: own, note };
  if (!own) return { externalReference: { category: CORRECTS_CATEGORY, id: correctsId }, note };
  const marker = correctsMarker(correctsId);
  // The note holds at most 2000 characters (shared/schemas/common.ts): the marker must fit.
  const room = NOTE_MAX_LENGTH - marker.length - 1;
  return { externalReference: own, note: note ? `${note.slice(0, room)} ${marker}` : marker };
}

/** The id of the document this one corrects, or null. */
export function correctedId(doc: { externalReference?: DeepReadonly<Reference>; note?: string | undefined }): string | null {
  if (doc.externalReference?.category === CORRECTS_CATEGORY) return doc.externalReference.id;
  return doc.note ? (MARKER.exec(doc.note)?.[1] ?? null) : null;
}

/** The note without a correction marker, for prefilling a fix. */
function plainNote(note: string | undefined): string {
  return (note ?? '').replace(MARKER, '').replace(/\s{2,}/g, ' ').trim();
}

/** The form's content for fixing a rejected transaction: the same move, to be changed where it went wrong. */
export function draftFromRejected(tx: DeepReadonly<InventoryTransaction>): MoveDraft {
  const quantity = units(tx.quantity);
  const reference = tx.externalReference?.category === CORRECTS_CATEGORY ? undefined : tx.externalReference;
  const workOrder = tx.type === 'consumption' && reference?.category === 'work-order' ? reference.id : '';
  const otherReference = tx.type === 'adjustment' && reference ? reference : undefined;
  return {
    type: tx.type,
    warehouseId: tx.warehouseId,
    toWarehouseId: tx.toWarehouseId ?? '',
    productId: tx.productId,
    direction: tx.type === 'adjustment' && quantity < 0 ? 'remove' : 'add',
    quantity: formatUnits(quantity < 0 ? negateUnits(quantity) : quantity),
    reasonCode: tx.reasonCode ?? '',
    referenceCategory: otherReference?.category ?? '',
    referenceId: otherReference?.id ?? '',
    workOrder,
    note: plainNote(tx.note),
    correctsId: tx.id,
  };
}
