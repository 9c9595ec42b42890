/**
 * The adjustment form's rules, apart from React: what the user typed becomes
 * either a pending inventory transaction or a message per field.
 */
import type { InventoryTransaction } from '../../shared/collections.js';
import { negateUnits, parseQuantity, toQuantity } from '../../shared/decimal.js';

export type Direction = 'remove' | 'add';

export interface AdjustmentInput {
  warehouseId: string;
  productId: string;
  direction: Direction;
  /** As typed: a positive decimal with at most four places. */
  quantity: string;
  reasonCode: string;
  note: string;
}

export type AdjustmentField = 'warehouseId' | 'productId' | 'quantity' | 'reasonCode';

export type AdjustmentResult = { ok: true; transaction: InventoryTransaction } | { ok: false; errors: Partial<Record<AdjustmentField, string>> };

export function buildAdjustment(input: AdjustmentInput, context: { id: string; now: Date; reasonRequired: boolean }): AdjustmentResult {
  const errors: Partial<Record<AdjustmentField, string>> = {};
  if (!input.warehouseId) errors.warehouseId = 'Choose the warehouse or truck.';
  if (!input.productId) errors.productId = 'Choose a product.';
  if (context.reasonRequired && !input.reasonCode) errors.reasonCode = 'Choose a reason.';
  // A comma is how many keyboards type the decimal separator.
  const parsed = parseQuantity(input.quantity.trim().replace(',', '.'));
  if (!input.quantity.trim()) errors.quantity = 'Enter a quantity.';
  else if (!parsed.ok) errors.quantity = parsed.code === 'precision-exceeded' ? 'Use at most 4 decimal places.' : 'Enter a number, for example 2 or 1.5.';
  else if (parsed.units < 0) errors.quantity = 'Enter the quantity without a minus sign, and choose "Remove from stock".';
  else if (parsed.units === 0) errors.quantity = 'Enter a quantity greater than 0.';
  if (!parsed.ok || Object.keys(errors).length > 0) return { ok: false, errors };

  const units = input.direction === 'remove' ? negateUnits(parsed.units) : parsed.units;
  const note = input.note.trim();
  return {
    ok: true,
    transaction: {
      id: context.id,
      type: 'adjustment',
      warehouseId: input.warehouseId,
      productId: input.productId,
      quantity: toQuantity(units),
      ...(input.reasonCode ? { reasonCode: input.reasonCode } : {}),
      ...(note ? { note } : {}),
      occurredAt: context.now.toISOString(),
      status: 'pending',
    },
  };
}
