/**
 * The receiving form's rules apart from React: telling a scanner from a
 * person by key timing (times are passed in, no clock), the lines a receipt
 * adds to, and what a draft becomes.
 */
import { describe, expect, it } from 'vitest';
import type { Product, PurchaseOrder, Receipt } from '../../../shared/collections.js';
import { buildReceiptDraft } from '../../../renderer/receive/receipt-draft.js';
import { baseEquivalent, receiveLines, type ReceiveContext } from '../../../renderer/receive/receive-lines.js';
import { applyScan } from '../../../renderer/receive/scan.js';
import { BURST_BREAK_MS, MAX_AVERAGE_GAP_MS, ScannerBurst } from '../../../renderer/receive/scanner-burst.js';
import { units } from '../../../shared/decimal.js';

function typeKeys(burst: ScannerBurst, text: string, gapMs: number, start = 1_000): number {
  let at = start;
  for (const char of text) {
    burst.key(char, at);
    at += gapMs;
  }
  return at;
}

describe('telling a scanner from a person', () => {
  it('keys a few milliseconds apart followed by Enter are a scan', () => {
    const burst = new ScannerBurst();
    const enterAt = typeKeys(burst, '4006381333931', 8);
    expect(burst.enter(enterAt)).toBe('4006381333931');
    expect(burst.idle).toBe(true);
  });

  it('a person typing the same code (about 120 ms a key) is not a scan', () => {
    const burst = new ScannerBurst();
    expect(burst.enter(typeKeys(burst, '4006381333931', 120))).toBeNull();
  });

  it('one late key inside a fast burst (a busy main thread) is still a scan, a long pause is not', () => {
    const late = new ScannerBurst();
    let at = typeKeys(late, '400638', 5);
    at += 80; // one late key, below the pause that ends a burst
    at = typeKeys(late, '1333931', 5, at);
    expect(late.enter(at)).toBe('4006381333931');

    const paused = new ScannerBurst();
    at = typeKeys(paused, '4006', 5);
    at += BURST_BREAK_MS + 1;
    at = typeKeys(paused, '12', 5, at);
    // After the pause only "12" is left: too short for a scan.
    expect(paused.enter(at)).toBeNull();
  });

  it('short fast bursts (a quick "12" and Enter) are typing, and an Enter long after the keys is too', () => {
    const short = new ScannerBurst();
    expect(short.enter(typeKeys(short, '12', 5))).toBeNull();
    const slowEnter = new ScannerBurst();
    expect(slowEnter.enter(typeKeys(slowEnter, '4006381333931', 5) + BURST_BREAK_MS + 1)).toBeNull();
    const edge = new ScannerBurst();
    // Exactly at the average limit still counts.
    expect(edge.enter(typeKeys(edge, 'ABCD', MAX_AVERAGE_GAP_MS))).toBe('ABCD');
  });
});

const bolt: Product = { id: 'p-bolt', number: 'P-1', name: 'Bolt', unit: 'EA', barcodes: ['111'], tracking: 'none', active: true, unitConversions: [{ unit: 'BOX', factor: 12 }] };
const cable: Product = { id: 'p-cable', number: 'P-2', name: 'Cable', unit: 'M', barcodes: ['222'], tracking: 'none', active: true, overReceiptTolerancePercent: 20 };
const order: PurchaseOrder = {
  id: 'po',
  number: 'PO-9',
  vendorName: 'V',
  vendorCode: 'V1',
  status: 'open',
  warehouseId: 'w',
  lines: [
    { lineNumber: 1, productId: 'p-bolt', quantityOrdered: 3, quantityReceived: 1, unit: 'BOX' },
    // A drum holds 2.5 m, known only from referenceData.
    { lineNumber: 2, productId: 'p-cable', quantityOrdered: 10, quantityReceived: 0, unit: 'DRUM' },
    { lineNumber: 3, productId: 'p-bolt', quantityOrdered: 4, quantityReceived: 0, unit: 'PAIL' },
  ],
};
const pending = (lines: Receipt['lines'], status: Receipt['status'] = 'pending'): Receipt => ({ id: crypto.randomUUID(), purchaseOrderId: 'po', warehouseId: 'w', receivedAt: '2026-11-25T10:00:00.000Z', lines, status });

function context(overrides: Partial<ReceiveContext> = {}): ReceiveContext {
  return {
    order,
    products: new Map([
      [bolt.id, bolt],
      [cable.id, cable],
    ]),
    sharedUnits: [{ id: 'u', kind: 'unit', code: 'DRUM', name: 'Drum', active: true, factor: 2.5 }],
    vendor: { id: 'v', kind: 'vendor', code: 'V1', name: 'V', active: true, overReceiptTolerancePercent: 5 },
    pendingReceipts: [],
    ...overrides,
  };
}

describe('the lines a receipt adds to', () => {
  it("count this device's pending receipts as received, and only pending ones of this order", () => {
    const lines = receiveLines(
      context({
        pendingReceipts: [
          pending([{ lineNumber: 1, productId: 'p-bolt', quantity: 1.5, unit: 'BOX' }]),
          pending([{ lineNumber: 1, productId: 'p-bolt', quantity: 0.25, unit: 'BOX' }]),
          // Answered by the server already: its quantity is in the PO's quantityReceived.
          pending([{ lineNumber: 1, productId: 'p-bolt', quantity: 9, unit: 'BOX' }], 'posted'),
          { ...pending([{ lineNumber: 1, productId: 'p-bolt', quantity: 9, unit: 'BOX' }]), purchaseOrderId: 'other' },
        ],
      }),
    );
    expect(lines[0]).toMatchObject({ received: units(1), pending: units(1.75), remaining: units(0.25), tolerancePercent: 5 });
    // The product's own tolerance wins over the vendor's.
    expect(lines[1]?.tolerancePercent).toBe(20);
  });

  it('convert purchase units with the product’s conversion or a shared unit, and say when neither knows the unit', () => {
    const [box, drum, pail] = receiveLines(context());
    expect(baseEquivalent(box!, units(2))).toBe('2 BOX = 24 EA');
    expect(baseEquivalent(drum!, units(3))).toBe('3 DRUM = 7.5 M');
    expect(pail?.conversion).toEqual({ ok: false, problem: expect.objectContaining({ code: 'unknown-unit' }) });
    expect(baseEquivalent(pail!, units(1))).toBeNull();
  });

  it('a draft sends only the lines with a quantity, warns beyond the tolerance and about unknown units', () => {
    const lines = receiveLines(context());
    const draft = buildReceiptDraft(lines, { 1: '2,5', 2: '', 3: '1' }, { id: 'r-1', now: new Date('2026-11-25T10:00:00Z'), order, note: '  ' });
    expect(draft).toEqual({
      ok: true,
      receipt: {
        id: 'r-1',
        purchaseOrderId: 'po',
        warehouseId: 'w',
        receivedAt: '2026-11-25T10:00:00.000Z',
        status: 'pending',
        lines: [
          { lineNumber: 1, productId: 'p-bolt', quantity: 2.5, unit: 'BOX' },
          { lineNumber: 3, productId: 'p-bolt', quantity: 1, unit: 'PAIL' },
        ],
      },
      problems: [
        // 1 + 2.5 = 3.5 of 3, the vendor's 5% allows 3.15.
        { code: 'over-receipt', message: 'Line 1 of PO-9: receiving 2.5 BOX makes 3.5 of 3 ordered (tolerance 5%: at most 3.15).' },
        { code: 'unknown-unit', message: expect.stringContaining('no conversion from PAIL') },
      ],
    });
    // Within the product's 20% tolerance: 12 of 10 drums.
    const within = buildReceiptDraft(lines, { 2: '12' }, { id: 'r-2', now: new Date(), order, note: '' });
    expect(within.ok && within.problems).toEqual([]);
  });

  it('a scan of a code no line has changes nothing; a line with a broken quantity is not guessed at', () => {
    const lines = receiveLines(context());
    const products = context().products;
    expect(applyScan('999', lines, products, { 1: '1' }, 'PO-9')).toEqual({ ok: false, message: 'No product on PO-9 has the barcode “999”. Nothing was added.' });
    // The product number works for labels without a barcode; line 1 has 2 BOX left, so it gets the scan.
    expect(applyScan('p-1', lines, products, { 1: '1' }, 'PO-9')).toMatchObject({ ok: true, lineNumber: 1, quantity: '2' });
    // Line 1 is full with what is typed: the next line of the same product gets it.
    expect(applyScan('111', lines, products, { 1: '2' }, 'PO-9')).toMatchObject({ ok: true, lineNumber: 3, quantity: '1' });
    expect(applyScan('111', lines, products, { 1: 'x', 3: '1' }, 'PO-9')).toEqual({
      ok: false,
      message: 'Line 1 (P-1) has a quantity that is not a number. Correct it, then scan again.',
    });
  });
});
