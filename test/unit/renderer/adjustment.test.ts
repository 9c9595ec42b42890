import { describe, expect, it } from 'vitest';
import { buildAdjustment, type AdjustmentInput } from '../../../renderer/adjust/adjustment.js';
import { newId } from '../../../renderer/db/new-id.js';

const base: AdjustmentInput = { warehouseId: 'w1', productId: 'p1', direction: 'remove', quantity: '2', reasonCode: 'DAMAGED', note: '' };
const context = { id: 'id-1', now: new Date('2026-03-01T10:00:00.000Z'), reasonRequired: true };

describe('building an adjustment from the form', () => {
  it('"remove" makes a negative pending adjustment with the reason, dated now', () => {
    expect(buildAdjustment(base, context)).toEqual({
      ok: true,
      transaction: {
        id: 'id-1',
        type: 'adjustment',
        warehouseId: 'w1',
        productId: 'p1',
        quantity: -2,
        reasonCode: 'DAMAGED',
        occurredAt: '2026-03-01T10:00:00.000Z',
        status: 'pending',
      },
    });
  });

  it('"add" keeps the quantity positive, reads a decimal comma, and keeps a note', () => {
    const result = buildAdjustment({ ...base, direction: 'add', quantity: ' 1,2345 ', note: ' found behind the seat ' }, context);
    expect(result.ok && result.transaction).toMatchObject({ quantity: 1.2345, note: 'found behind the seat' });
  });

  it.each([
    ['', 'Enter a quantity.'],
    ['0', 'Enter a quantity greater than 0.'],
    ['-3', 'Enter the quantity without a minus sign, and choose "Remove from stock".'],
    ['two', 'Enter a number, for example 2 or 1.5.'],
    ['1.23456', 'Use at most 4 decimal places.'],
  ])('quantity %j is refused with "%s"', (quantity, message) => {
    expect(buildAdjustment({ ...base, quantity }, context)).toEqual({ ok: false, errors: { quantity: message } });
  });

  it('says which choices are missing, and needs a reason only when reasons exist', () => {
    expect(buildAdjustment({ ...base, warehouseId: '', productId: '', reasonCode: '' }, context)).toEqual({
      ok: false,
      errors: { warehouseId: 'Choose the warehouse or truck.', productId: 'Choose a product.', reasonCode: 'Choose a reason.' },
    });
    const withoutReasons = buildAdjustment({ ...base, reasonCode: '' }, { ...context, reasonRequired: false });
    expect(withoutReasons.ok && withoutReasons.transaction.reasonCode).toBeUndefined();
  });
});

describe('new document ids', () => {
  it('are version 4 UUIDs, also where crypto.randomUUID is missing (plain-http pages)', () => {
    const uuid = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
    expect(newId()).toMatch(uuid);
    const original = crypto.randomUUID;
    try {
      Object.defineProperty(crypto, 'randomUUID', { value: undefined, configurable: true });
      const ids = new Set(Array.from({ length: 100 }, () => newId()));
      expect(ids.size).toBe(100);
      for (const id of ids) expect(id).toMatch(uuid);
    } finally {
      Object.defineProperty(crypto, 'randomUUID', { value: original, configurable: true });
    }
  });
});
