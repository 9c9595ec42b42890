/**
 * The stock moves form's rules, apart from React: what the user typed for an
 * adjustment, a count, a transfer or a consumption becomes either a pending
 * inventory transaction or a message per field.
 */
import type { InventoryTransaction } from '../../shared/collections.js';
import { negateUnits, parseQuantity, toQuantity, type Units } from '../../shared/decimal.js';
import type { TransactionType } from '../../shared/schemas/inventory-transactions.js';
import { correctionLink } from './correction.js';

export type Direction = 'remove' | 'add';

/** Everything the form holds, as typed; fields a type does not use are ignored for it. */
export interface MoveDraft {
  type: TransactionType;
  /** The warehouse of an adjustment, count or consumption; the "from" side of a transfer. */
  warehouseId: string;
  /** The "to" side of a transfer. */
  toWarehouseId: string;
  productId: string;
  /** Adjustments only. */
  direction: Direction;
  /** As typed: a decimal with at most four places; a comma is read as the decimal separator. */
  quantity: string;
  reasonCode: string;
  /** An adjustment's optional external reference (a ticket, a claim…). */
  referenceCategory: string;
  referenceId: string;
  /** A consumption's work order. */
  workOrder: string;
  note: string;
  /** The rejected document this one corrects, or '' for a new move. */
  correctsId: string;
}

export type MoveField = 'warehouseId' | 'toWarehouseId' | 'productId' | 'quantity' | 'reasonCode' | 'reference' | 'workOrder';
export type MoveErrors = Partial<Record<MoveField, string>>;

export interface MoveContext {
  id: string;
  now: Date;
  /** True when reason codes exist on the device: an adjustment then needs one. */
  reasonRequired: boolean;
  /** Whether the user may write in a warehouse (the server checks it again). */
  inScope(warehouseId: string): boolean;
}

export type MoveResult = { ok: true; transaction: InventoryTransaction } | { ok: false; errors: MoveErrors };

export function emptyDraft(type: TransactionType, warehouseId = '', productId = ''): MoveDraft {
  return {
    type,
    warehouseId,
    toWarehouseId: '',
    productId,
    direction: 'remove',
    quantity: '',
    reasonCode: '',
    referenceCategory: '',
    referenceId: '',
    workOrder: '',
    note: '',
    correctsId: '',
  };
}

/** The typed quantity as units, or the message the Quantity field shows. */
export function readQuantity(text: string, type: TransactionType): { ok: true; units: Units } | { ok: false; message: string } {
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, message: 'Enter a quantity.' };
  const parsed = parseQuantity(trimmed.replace(',', '.'));
  if (!parsed.ok) return { ok: false, message: parsed.code === 'precision-exceeded' ? 'Use at most 4 decimal places.' : 'Enter a number, for example 2 or 1.5.' };
  if (parsed.units < 0) {
    return { ok: false, message: type === 'adjustment' ? 'Enter the quantity without a minus sign, and choose "Remove from stock".' : 'Enter the quantity without a minus sign.' };
  }
  // A count of 0 is a real finding (the shelf is empty); every other move of 0 changes nothing.
  if (parsed.units === 0 && type !== 'count') return { ok: false, message: 'Enter a quantity greater than 0.' };
  return { ok: true, units: parsed.units };
}

function checkFields(draft: MoveDraft, context: MoveContext): MoveErrors {
  const errors: MoveErrors = {};
  const from = draft.type === 'transfer' ? 'Choose where the stock comes from.' : 'Choose the warehouse or truck.';
  if (!draft.warehouseId) errors.warehouseId = from;
  if (!draft.productId) errors.productId = 'Choose a product.';
  const quantity = readQuantity(draft.quantity, draft.type);
  if (!quantity.ok) errors.quantity = quantity.message;
  switch (draft.type) {
    case 'adjustment': {
      if (context.reasonRequired && !draft.reasonCode) errors.reasonCode = 'Choose a reason.';
      const category = draft.referenceCategory.trim();
      const id = draft.referenceId.trim();
      if (Boolean(category) !== Boolean(id)) errors.reference = 'Give both the kind of reference and its number, or neither.';
      break;
    }
    case 'consumption':
      if (!draft.workOrder.trim()) errors.workOrder = 'Enter the work order the parts were used on.';
      break;
    case 'transfer':
      if (!draft.toWarehouseId) errors.toWarehouseId = 'Choose where the stock goes.';
      else if (draft.toWarehouseId === draft.warehouseId) errors.toWarehouseId = 'Choose a different warehouse or truck than the one the stock comes from.';
      else if (draft.warehouseId && !context.inScope(draft.warehouseId) && !context.inScope(draft.toWarehouseId)) {
        errors.toWarehouseId = 'One side of a transfer must be one of your warehouses or trucks.';
      }
      break;
    case 'count':
      break;
  }
  if (draft.type !== 'transfer' && draft.warehouseId && !context.inScope(draft.warehouseId)) errors.warehouseId = 'Choose one of your warehouses or trucks.';
  return errors;
}

/** The external reference the transaction carries (an adjustment's own, a consumption's work order), if any. */
function ownReference(draft: MoveDraft): InventoryTransaction['externalReference'] {
  if (draft.type === 'consumption') return { category: 'work-order', id: draft.workOrder.trim() };
  if (draft.type === 'adjustment' && draft.referenceCategory.trim() && draft.referenceId.trim()) {
    return { category: draft.referenceCategory.trim(), id: draft.referenceId.trim() };
  }
  return undefined;
}

export function buildMove(draft: MoveDraft, context: MoveContext): MoveResult {
  const errors = checkFields(draft, context);
  const quantity = readQuantity(draft.quantity, draft.type);
  if (!quantity.ok || Object.keys(errors).length > 0) return { ok: false, errors };

  const signed = draft.type === 'adjustment' && draft.direction === 'remove' ? negateUnits(quantity.units) : quantity.units;
  // A correction records what it corrects: in externalReference when that is free, else in the note.
  const { externalReference, note } = correctionLink(ownReference(draft), draft.note.trim(), draft.correctsId);
  return {
    ok: true,
    transaction: {
      id: context.id,
      type: draft.type,
      warehouseId: draft.warehouseId,
      ...(draft.type === 'transfer' ? { toWarehouseId: draft.toWarehouseId } : {}),
      productId: draft.productId,
      quantity: toQuantity(signed),
      ...(draft.type === 'adjustment' && draft.reasonCode ? { reasonCode: draft.reasonCode } : {}),
      ...(externalReference ? { externalReference } : {}),
      ...(note ? { note } : {}),
      occurredAt: context.now.toISOString(),
      status: 'pending',
    },
  };
}
