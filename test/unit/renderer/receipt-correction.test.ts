/**
 * The starting point of a receipt correction: the rejected receipt's
 * quantities on the order as it is now, lines that no longer match left out
 * with the reason, and a note that names the rejected receipt however long
 * the user's note is.
 */
import { describe, expect, it } from 'vitest';
import type { PurchaseOrder, Receipt } from '../../../shared/collections.js';
import { correctingNote, correctionFromRejected } from '../../../renderer/receive/receipt-correction.js';
import { correctedId } from '../../../renderer/transactions/correction.js';

const ORDER: Pick<PurchaseOrder, 'number' | 'lines'> = {
  number: 'PO-7',
  lines: [
    { lineNumber: 1, productId: 'p-bolt', quantityOrdered: 5, quantityReceived: 0, unit: 'BOX' },
    { lineNumber: 2, productId: 'p-valve', quantityOrdered: 2, quantityReceived: 0, unit: 'EA' },
    { lineNumber: 4, productId: 'p-hose', quantityOrdered: 10, quantityReceived: 0, unit: 'M' },
  ],
};
const PRODUCTS = new Map([
  ['p-bolt', { number: 'BOLT-8' }],
  ['p-pipe', { number: 'PIPE-1' }],
  ['p-hose', { number: 'HOSE-2' }],
]);

function rejected(lines: Receipt['lines'], note?: string): Receipt {
  return {
    id: 'r-rejected',
    purchaseOrderId: 'po-7',
    warehouseId: 'w-1',
    receivedAt: '2026-11-02T08:00:00.000Z',
    ...(note === undefined ? {} : { note }),
    lines,
    status: 'rejected',
    error: { code: 'over-receipt', message: 'Line 1 of PO-7: receiving 6 BOX makes 6 of 5 ordered.' },
  };
}

describe('correcting a rejected receipt', () => {
  it('starts from its quantities per line, summing a line named twice, and leaves out lines the order no longer has', () => {
    const start = correctionFromRejected(
      rejected(
        [
          { lineNumber: 1, productId: 'p-bolt', quantity: 4, unit: 'BOX' },
          { lineNumber: 1, productId: 'p-bolt', quantity: 2.5, unit: 'BOX' },
          { lineNumber: 2, productId: 'p-valve', quantity: 1 },
          { lineNumber: 3, productId: 'p-pipe', quantity: 3, unit: 'EA' },
          { lineNumber: 4, productId: 'p-hose', quantity: 1, unit: 'ROLL' },
          { lineNumber: 2, productId: 'p-valve', quantity: 0.12345 },
        ],
        'damaged box [corrects r-older]  see photo',
      ),
      ORDER,
      PRODUCTS,
    );
    expect(start).toEqual({
      receiptId: 'r-rejected',
      receivedAt: '2026-11-02T08:00:00.000Z',
      reason: 'Line 1 of PO-7: receiving 6 BOX makes 6 of 5 ordered.',
      typed: { 1: '6.5', 2: '1' },
      // The marker of the receipt it once corrected is not carried over: the new one names this one.
      note: 'damaged box see photo',
      dropped: [
        'Line 3 (PIPE-1) is no longer on PO-7, so it was left out.',
        'Line 4 (HOSE-2) was received in ROLL but PO-7 now orders it in M, so it was left out.',
        'Line 2 (p-valve) had a quantity that is not valid, so it was left out.',
      ],
    });
  });

  it('leaves out a line whose number now holds another product', () => {
    const start = correctionFromRejected(rejected([{ lineNumber: 2, productId: 'p-bolt', quantity: 1, unit: 'EA' }]), ORDER, PRODUCTS);
    expect(start.typed).toEqual({});
    expect(start.dropped).toEqual(['Line 2 (BOLT-8) is no longer on PO-7, so it was left out.']);
    expect(start.note).toBe('');
  });

  it('appends the marker to the note, within the note maximum, where the attention list finds it', () => {
    expect(correctingNote('  delivery 4711 ', 'r-1')).toBe('delivery 4711 [corrects r-1]');
    expect(correctingNote('', 'r-1')).toBe('[corrects r-1]');
    const long = correctingNote('x'.repeat(2000), 'r-1');
    expect(long).toHaveLength(2000);
    expect(long.endsWith(' [corrects r-1]')).toBe(true);
    expect(correctedId({ note: long })).toBe('r-1');
  });
});
