// What the Tryton journal sink plans for an ERP journal (pure parts of
// server/erp/adapters/tryton/journals/): Lost-and-Found moves for stock journals,
// storage-to-storage moves for the agreeing part of a transfer with the ends' rests
// through Lost and Found, nothing for what Tryton already holds, and the references
// and ids that make a repeated delivery find instead of create.
import { describe, expect, it } from 'vitest';
import { formatRecordIds, parseRecordIds } from '../../server/erp/adapters/tryton/journals/ids.js';
import { journalKind } from '../../server/erp/adapters/tryton/journals/kinds.js';
import type { TrytonWarehouse } from '../../server/erp/adapters/tryton/journals/lookup.js';
import { planShipments, remainingByLine, type CarriedPart, type TargetLine } from '../../server/erp/adapters/tryton/journals/plan.js';
import { formatLineRanges, parseLineRanges, parseShipmentReference, shipmentReference } from '../../server/erp/adapters/tryton/journals/references.js';
import { units } from '../../shared/decimal.js';

const MAIN: TrytonWarehouse = { id: 1, code: 'WH-MAIN', storageId: 11, lostFoundId: 9 };
const TRUCK: TrytonWarehouse = { id: 2, code: 'TRUCK-1', storageId: 21, lostFoundId: 9 };
const product = (id: number) => ({ id, code: `P-${id}`, uomId: 1 });
const line = (lineNumber: number, warehouse: TrytonWarehouse, productId: number, quantity: string, end: 'from' | 'to' = 'from'): TargetLine => ({
  lineNumber,
  warehouse,
  product: product(productId),
  end,
  quantity: units(quantity),
});
const plan = (kind: 'stock' | 'transfer', lines: TargetLine[], carried: CarriedPart[] = []) => planShipments(kind, lines, remainingByLine(lines, carried));

describe('Tryton journal plan', () => {
  it('moves a stock journal\'s gains in from Lost and Found and its losses out to it, one shipment per direction', () => {
    const shipments = plan('stock', [line(1, MAIN, 100, '7'), line(2, MAIN, 101, '-4'), line(3, MAIN, 102, '2.5')]);
    expect(shipments).toEqual([
      {
        role: 'in',
        from: 9,
        to: 11,
        lineNumbers: [1, 3],
        moves: [
          { productId: 100, uomId: 1, quantity: units('7'), from: 9, to: 11, lineNumbers: [1] },
          { productId: 102, uomId: 1, quantity: units('2.5'), from: 9, to: 11, lineNumbers: [3] },
        ],
      },
      { role: 'out', from: 11, to: 9, lineNumbers: [2], moves: [{ productId: 101, uomId: 1, quantity: units('4'), from: 11, to: 9, lineNumbers: [2] }] },
    ]);
  });

  it('plans nothing for lines Tryton already holds, and only the rest of a line it holds in part', () => {
    const lines = [line(1, MAIN, 100, '7'), line(2, MAIN, 101, '-4')];
    const carried: CarriedPart[] = [
      { lineNumber: 1, shipmentId: 5, moveId: 50, signed: units('7') },
      { lineNumber: 2, shipmentId: 6, moveId: 60, signed: units('-1') },
    ];
    expect(remainingByLine(lines, carried)).toEqual(new Map([[1, 0], [2, units('-3')]]));
    expect(plan('stock', lines, carried)).toEqual([
      { role: 'out', from: 11, to: 9, lineNumbers: [2], moves: [{ productId: 101, uomId: 1, quantity: units('3'), from: 11, to: 9, lineNumbers: [2] }] },
    ]);
  });

  it('moves a transfer storage to storage when both ends agree; one move carries both lines', () => {
    expect(plan('transfer', [line(1, MAIN, 100, '-4'), line(2, TRUCK, 100, '4', 'to')])).toEqual([
      { role: 'transfer', from: 11, to: 21, lineNumbers: [1, 2], moves: [{ productId: 100, uomId: 1, quantity: units('4'), from: 11, to: 21, lineNumbers: [1, 2] }] },
    ]);
  });

  it('sends the ends of a transfer that do not agree through Lost and Found (a count absorbed one end, or the journal was split)', () => {
    // More arrived than left (the sending end was partly absorbed by a count there).
    expect(plan('transfer', [line(1, MAIN, 100, '-4'), line(2, TRUCK, 100, '6', 'to')]).map((s) => [s.role, s.moves.map((m) => [m.from, m.to, m.quantity])])).toEqual([
      ['transfer', [[11, 21, units('4')]]],
      ['to-in', [[9, 21, units('2')]]],
    ]);
    // Only the receiving end is left (the sending end nets to zero and is not sent).
    expect(plan('transfer', [line(2, TRUCK, 100, '4', 'to')]).map((s) => [s.role, s.lineNumbers])).toEqual([['to-in', [2]]]);
    // Only the sending end.
    expect(plan('transfer', [line(1, MAIN, 100, '-4')]).map((s) => [s.role, s.from, s.to])).toEqual([['out', 11, 9]]);
  });

  it('retrying one end of a transfer whose storage-to-storage move exists sends only its rest', () => {
    const receiving = line(2, TRUCK, 100, '6', 'to');
    const carried: CarriedPart[] = [{ lineNumber: 2, shipmentId: 7, moveId: 70, signed: units('4') }];
    expect(plan('transfer', [receiving], carried).map((s) => [s.role, s.moves.map((m) => m.quantity)])).toEqual([['to-in', [units('2')]]]);
  });

  it('names which journals are sent, and why receipts and unknown names are not', () => {
    expect(journalKind('adjustment', false)).toEqual({ ok: true, kind: 'stock' });
    expect(journalKind('count', false)).toEqual({ ok: true, kind: 'stock' });
    expect(journalKind('consumption', false)).toEqual({ ok: true, kind: 'stock' });
    expect(journalKind('transfer', true)).toEqual({ ok: true, kind: 'transfer' });
    expect(journalKind('transfer', false)).toMatchObject({ ok: false, code: 'invalid-request' });
    expect(journalKind('receipt', false)).toMatchObject({ ok: false, code: 'erp-not-supported', message: expect.stringContaining('purchase order') });
    expect(journalKind('scrap', false)).toMatchObject({ ok: false, code: 'erp-not-supported', message: expect.stringContaining('"scrap"') });
  });
});

describe('Tryton journal references and ids', () => {
  it('writes line numbers as ranges and reads them back', () => {
    expect(formatLineRanges([3, 1, 2, 7, 9, 10, 2])).toBe('1-3,7,9-10');
    expect(parseLineRanges('1-3,7,9-10')).toEqual([1, 2, 3, 7, 9, 10]);
    expect(parseLineRanges('3-1')).toBeUndefined();
    expect(parseLineRanges('a')).toBeUndefined();
    expect(() => formatLineRanges([])).toThrow(RangeError);
  });

  it('round-trips a shipment reference and ignores references it did not write', () => {
    const id = '0190c2d4-5b6e-7f00-8a9b-0c1d2e3f4a5b';
    const reference = shipmentReference(id, 'to-in', [4, 5, 6]);
    expect(reference).toBe(`fieldstock:${id}:to-in:4-6`);
    expect(parseShipmentReference(reference)).toEqual({ journalId: id, role: 'to-in', lineNumbers: [4, 5, 6] });
    expect(parseShipmentReference('PO-2001')).toBeUndefined();
    expect(parseShipmentReference(`fieldstock:${id}:sideways:1`)).toBeUndefined();
    // An id with a LIKE wildcard would match other journals' shipments.
    expect(() => shipmentReference('a_b%', 'in', [1])).toThrow(RangeError);
  });

  it('writes ids in Tryton\'s "model,id" notation and reads back only that model', () => {
    expect(formatRecordIds('stock.move', [88, 87, 88])).toBe('stock.move,87;stock.move,88');
    expect(parseRecordIds('stock.move', 'stock.move,87;stock.move,88')).toEqual([87, 88]);
    expect(parseRecordIds('stock.shipment.internal', 'stock.move,87')).toBeUndefined();
    expect(parseRecordIds('stock.move', undefined)).toBeUndefined();
    expect(parseRecordIds('stock.move', 'stock.move,0')).toBeUndefined();
  });
});
