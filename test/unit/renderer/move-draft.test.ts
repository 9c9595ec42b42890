/** The stock moves form's rules apart from React: typed text becomes a pending transaction or a message per field. */
import { describe, expect, it } from 'vitest';
import { correctedId, draftFromRejected } from '../../../renderer/transactions/correction.js';
import { buildMove, emptyDraft, type MoveContext, type MoveDraft } from '../../../renderer/transactions/move-draft.js';
import { newId } from '../../../renderer/db/new-id.js';

const mine = new Set(['truck', 'main']);
const context: MoveContext = { id: 'id-1', now: new Date('2026-03-01T10:00:00.000Z'), reasonRequired: true, inScope: (id) => mine.has(id) };
const draft = (patch: Partial<MoveDraft>): MoveDraft => ({ ...emptyDraft('adjustment', 'truck', 'p1'), quantity: '2', reasonCode: 'DAMAGED', ...patch });
const base = { id: 'id-1', productId: 'p1', occurredAt: '2026-03-01T10:00:00.000Z', status: 'pending' };

describe('building a move from the form', () => {
  it('"remove" makes a negative pending adjustment with the reason and an external reference', () => {
    const result = buildMove(draft({ referenceCategory: ' ticket ', referenceId: ' T-77 ', note: ' behind the seat ' }), context);
    expect(result).toEqual({
      ok: true,
      transaction: { ...base, type: 'adjustment', warehouseId: 'truck', quantity: -2, reasonCode: 'DAMAGED', externalReference: { category: 'ticket', id: 'T-77' }, note: 'behind the seat' },
    });
  });

  it('a count keeps the counted quantity (0 included), needs no reason and carries no reason code', () => {
    const result = buildMove(draft({ type: 'count', quantity: '0', reasonCode: 'DAMAGED' }), context);
    expect(result).toEqual({ ok: true, transaction: { ...base, type: 'count', warehouseId: 'truck', quantity: 0 } });
  });

  it('a transfer goes from one warehouse to another with a positive quantity, one side in scope', () => {
    expect(buildMove(draft({ type: 'transfer', toWarehouseId: 'elsewhere', quantity: '1,5' }), context)).toEqual({
      ok: true,
      transaction: { ...base, type: 'transfer', warehouseId: 'truck', toWarehouseId: 'elsewhere', quantity: 1.5 },
    });
    // Into the user's truck from a warehouse outside the scope: the server allows it, so does the form.
    expect(buildMove(draft({ type: 'transfer', warehouseId: 'elsewhere', toWarehouseId: 'truck' }), context).ok).toBe(true);
  });

  it('refuses a transfer with no side in scope, the same warehouse twice, or no destination', () => {
    const errors = (patch: Partial<MoveDraft>) => {
      const result = buildMove(draft({ type: 'transfer', ...patch }), context);
      return result.ok ? null : result.errors;
    };
    expect(errors({ warehouseId: 'x', toWarehouseId: 'y' })).toEqual({ toWarehouseId: 'One side of a transfer must be one of your warehouses or trucks.' });
    expect(errors({ toWarehouseId: 'truck' })).toEqual({ toWarehouseId: 'Choose a different warehouse or truck than the one the stock comes from.' });
    expect(errors({ toWarehouseId: '' })).toEqual({ toWarehouseId: 'Choose where the stock goes.' });
  });

  it('parts used go against a work order, as externalReference work-order', () => {
    expect(buildMove(draft({ type: 'consumption', workOrder: ' WO-4711 ' }), context)).toEqual({
      ok: true,
      transaction: { ...base, type: 'consumption', warehouseId: 'truck', quantity: 2, externalReference: { category: 'work-order', id: 'WO-4711' } },
    });
    const missing = buildMove(draft({ type: 'consumption' }), context);
    expect(missing.ok ? null : missing.errors).toEqual({ workOrder: 'Enter the work order the parts were used on.' });
  });

  it.each([
    ['adjustment', '', 'Enter a quantity.'],
    ['adjustment', '0', 'Enter a quantity greater than 0.'],
    ['transfer', '0', 'Enter a quantity greater than 0.'],
    ['adjustment', '-3', 'Enter the quantity without a minus sign, and choose "Remove from stock".'],
    ['count', '-3', 'Enter the quantity without a minus sign.'],
    ['consumption', 'two', 'Enter a number, for example 2 or 1.5.'],
    ['count', '1.23456', 'Use at most 4 decimal places.'],
  ] as const)('a %s of %j is refused with "%s"', (type, quantity, message) => {
    const result = buildMove(draft({ type, quantity, toWarehouseId: 'main', workOrder: 'WO-1' }), context);
    expect(result).toEqual({ ok: false, errors: { quantity: message } });
  });

  it('says which choices are missing, asks for both halves of a reference, and refuses a warehouse outside the scope', () => {
    expect(buildMove(draft({ warehouseId: '', productId: '', reasonCode: '', referenceCategory: 'ticket' }), context)).toEqual({
      ok: false,
      errors: {
        warehouseId: 'Choose the warehouse or truck.',
        productId: 'Choose a product.',
        reasonCode: 'Choose a reason.',
        reference: 'Give both the kind of reference and its number, or neither.',
      },
    });
    expect(buildMove(draft({ warehouseId: 'elsewhere' }), context)).toEqual({ ok: false, errors: { warehouseId: 'Choose one of your warehouses or trucks.' } });
    const withoutReasons = buildMove(draft({ reasonCode: '' }), { ...context, reasonRequired: false });
    expect(withoutReasons.ok && withoutReasons.transaction.reasonCode).toBeUndefined();
  });
});

describe('a correction of a rejected document', () => {
  const rejected = {
    id: 'rej-1',
    type: 'adjustment' as const,
    warehouseId: 'truck',
    productId: 'p1',
    quantity: -2.5,
    reasonCode: 'LOST',
    note: 'left at the site',
    occurredAt: '2026-02-01T10:00:00.000Z',
    status: 'rejected' as const,
    error: { code: 'insufficient-stock', message: 'TRUCK-1 has 1 on hand' },
  };

  it('starts from the same values and records what it corrects in externalReference', () => {
    const fix = draftFromRejected(rejected);
    expect(fix).toMatchObject({ type: 'adjustment', warehouseId: 'truck', productId: 'p1', direction: 'remove', quantity: '2.5', reasonCode: 'LOST', note: 'left at the site', correctsId: 'rej-1' });
    const result = buildMove({ ...fix, quantity: '1' }, { ...context, id: 'fix-1' });
    expect(result.ok && result.transaction).toMatchObject({ id: 'fix-1', quantity: -1, externalReference: { category: 'corrects', id: 'rej-1' }, note: 'left at the site', status: 'pending' });
    expect(result.ok && correctedId(result.transaction)).toBe('rej-1');
  });

  it('says it in the note when the external reference is taken (parts used on a work order), and a fix of a fix names the latest', () => {
    const consumption = { ...rejected, type: 'consumption' as const, quantity: 3, externalReference: { category: 'work-order', id: 'WO-9' }, note: 'x'.repeat(2000) };
    const fix = draftFromRejected(consumption);
    expect(fix).toMatchObject({ workOrder: 'WO-9', quantity: '3', correctsId: 'rej-1' });
    const result = buildMove(fix, { ...context, id: 'fix-1' });
    if (!result.ok) throw new Error(JSON.stringify(result.errors));
    expect(result.transaction.externalReference).toEqual({ category: 'work-order', id: 'WO-9' });
    expect(result.transaction.note).toMatch(/ \[corrects rej-1\]$/);
    expect(result.transaction.note?.length).toBeLessThanOrEqual(2000);
    expect(correctedId(result.transaction)).toBe('rej-1');

    // The fix was rejected too: its own fix names it, and the old marker does not travel along.
    const second = draftFromRejected({ ...result.transaction, status: 'rejected' });
    expect(second.correctsId).toBe('fix-1');
    expect(second.note).not.toContain('[corrects');
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
