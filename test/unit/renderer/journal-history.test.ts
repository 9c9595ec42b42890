import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatUnits, sumUnits, units, type Units } from '../../../shared/decimal.js';
import type { ErpJournal, PostingJournal } from '../../../shared/schemas/journals.js';
import { stepChart } from '../../../renderer/history/chart-geometry.js';
import { flattenJournalLines, isPostingJournal, type JournalDoc } from '../../../renderer/history/journal-lines.js';
import { onHandSeries, summarize, walkBack, type Movement } from '../../../renderer/history/on-hand-over-time.js';

const W = 'w-truck1';
const P = 'p-1';

function posting(id: string, name: string, occurredAt: string, lines: Partial<PostingJournal['lines'][number]>[], extra: Partial<PostingJournal> = {}): PostingJournal {
  return {
    id,
    kind: 'posting',
    journalName: name,
    status: 'posted',
    sourceCollection: name === 'receipt' ? 'receipts' : 'inventoryTransactions',
    sourceId: `src-${id}`,
    warehouseId: W,
    postedAt: occurredAt,
    occurredAt,
    lines: lines.map((l, i) => ({ lineNumber: i + 1, warehouseId: W, productId: P, quantity: 0, requestedQuantity: l.quantity ?? 0, ...l })),
    ...extra,
  };
}

const none = new Map<string, JournalDoc>();
const quantities = (lines: { quantity: Units }[]) => lines.map((l) => formatUnits(l.quantity));

describe('journal lines for the history', () => {
  it('takes posting journals only, treats a journal without a kind (schema version 0) as one, and sorts newest first', () => {
    const erp: ErpJournal = {
      id: 'erp-1',
      kind: 'erp',
      journalName: 'adjustment',
      status: 'sent',
      warehouseId: W,
      createdAt: '2025-03-03T00:00:00.000Z',
      updatedAt: '2025-03-03T00:00:00.000Z',
      lines: [{ lineNumber: 1, warehouseId: W, productId: P, quantity: 7, sourceLineCount: 2, status: 'sent' }],
    };
    const old = { ...posting('j-0', 'adjustment', '2025-03-01T08:00:00.000Z', [{ quantity: 2 }]), kind: undefined } as unknown as JournalDoc;
    const journals: JournalDoc[] = [old, posting('j-1', 'adjustment', '2025-03-02T08:00:00.000Z', [{ quantity: 5 }]), erp];

    expect(isPostingJournal(old)).toBe(true);
    const lines = flattenJournalLines(journals, { warehouseId: W, productId: P }, none);
    expect(lines.map((l) => l.journal.id)).toEqual(['j-1', 'j-0']);
    expect(quantities(lines)).toEqual(['5', '2']);
  });

  it("counts a transfer's incoming line for the warehouse it enters, though the journal belongs to the one it leaves", () => {
    const transfer = posting('j-t', 'transfer', '2025-03-02T08:00:00.000Z', [
      { warehouseId: 'w-main', quantity: -3 },
      { warehouseId: W, quantity: 3 },
    ], { warehouseId: 'w-main', toWarehouseId: W });
    expect(quantities(flattenJournalLines([transfer], { warehouseId: W, productId: P }, none))).toEqual(['3']);
    expect(quantities(flattenJournalLines([transfer], { warehouseId: 'w-main', productId: P }, none))).toEqual(['-3']);
    // Without a product: every line of the warehouse, for the export.
    expect(flattenJournalLines([transfer], { warehouseId: 'w-main' }, none)).toHaveLength(1);
  });

  it('shows the ERP status of the aggregated line carrying a posting line, and "Aggregated" while that journal is not on the device', () => {
    const erp: ErpJournal = {
      id: 'erp-1',
      kind: 'erp',
      journalName: 'adjustment',
      status: 'post-error',
      warehouseId: W,
      createdAt: '2025-03-03T00:00:00.000Z',
      updatedAt: '2025-03-03T00:00:00.000Z',
      lines: [
        { lineNumber: 1, warehouseId: W, productId: 'p-other', quantity: 1, sourceLineCount: 1, status: 'posted' },
        { lineNumber: 2, warehouseId: W, productId: P, quantity: 5, sourceLineCount: 1, status: 'post-error' },
      ],
    };
    const aggregated = posting('j-1', 'adjustment', '2025-03-02T08:00:00.000Z', [{ quantity: 5, erpJournal: { id: 'erp-1', lineNumber: 2 } }], { status: 'aggregated' });
    const notYet = posting('j-2', 'adjustment', '2025-03-02T09:00:00.000Z', [{ quantity: 1 }]);

    const withErp = flattenJournalLines([aggregated, notYet], { warehouseId: W, productId: P }, new Map([['erp-1', erp]]));
    expect(withErp.map((l) => l.status)).toEqual([
      { code: 'posted', label: 'Posted' },
      { code: 'post-error', label: 'Error posting in ERP' },
    ]);
    const withoutErp = flattenJournalLines([aggregated], { warehouseId: W, productId: P }, none);
    expect(withoutErp[0]?.status).toEqual({ code: 'aggregated', label: 'Aggregated' });
  });

  it('keeps the requested quantity where it tells something: a count, or a line a later count superseded', () => {
    const journals = [
      posting('j-count', 'count', '2025-03-03T08:00:00.000Z', [{ quantity: -2, requestedQuantity: 8 }]),
      posting('j-late', 'adjustment', '2025-03-02T08:00:00.000Z', [{ quantity: 0, requestedQuantity: -4 }]),
      posting('j-plain', 'adjustment', '2025-03-01T08:00:00.000Z', [{ quantity: 3, requestedQuantity: 3 }]),
    ];
    const lines = flattenJournalLines(journals, { warehouseId: W, productId: P }, none);
    expect(lines.map((l) => (l.requested === null ? null : formatUnits(l.requested)))).toEqual(['8', '-4', null]);
  });

  it('orders lines of the same moment by when they were posted, the later one newest', () => {
    const at = '2025-03-02T08:00:00.000Z';
    const first = posting('j-b', 'adjustment', at, [{ quantity: 1 }], { postedAt: '2025-03-02T08:00:01.000Z' });
    const second = posting('j-a', 'adjustment', at, [{ quantity: 2 }], { postedAt: '2025-03-02T08:00:02.000Z' });
    expect(flattenJournalLines([first, second], { warehouseId: W, productId: P }, none).map((l) => l.journal.id)).toEqual(['j-a', 'j-b']);
  });
});

describe('on hand over time', () => {
  const move = (time: number, quantity: number): Movement => ({ time, quantity: units(quantity) });

  it('walks back from the current level: before = after − change, newest first', () => {
    const steps = walkBack(units(12), [move(3, 5), move(2, -2), move(1, 4)]);
    expect(steps.map((s) => [formatUnits(s.before), formatUnits(s.after)])).toEqual([
      ['7', '12'],
      ['9', '7'],
      ['5', '9'],
    ]);
  });

  it('is exact with decimals', () => {
    const steps = walkBack(units('0.3'), [move(2, 0.1), move(1, 0.2)]);
    expect(formatUnits(steps[1]?.before ?? (0 as Units))).toBe('0');
  });

  it('tells the physical story of a count: a line a later count superseded moves nothing, and the count lands on the counted level', () => {
    // Server story: on hand 10; +5 on day 3 posted; a count of 8 taken on day 2 arrives: applied = 8 + 5 − 15 = −2;
    // then a −4 from day 1 arrives late: the count already included it, applied 0. On hand now: 13.
    const journals = [
      posting('j-add', 'adjustment', '2025-03-03T08:00:00.000Z', [{ quantity: 5, requestedQuantity: 5 }], { postedAt: '2025-03-03T08:00:00.000Z' }),
      posting('j-count', 'count', '2025-03-02T08:00:00.000Z', [{ quantity: -2, requestedQuantity: 8 }], { postedAt: '2025-03-04T08:00:00.000Z' }),
      posting('j-late', 'consumption', '2025-03-01T08:00:00.000Z', [{ quantity: 0, requestedQuantity: -4 }], { postedAt: '2025-03-05T08:00:00.000Z' }),
    ];
    const lines = flattenJournalLines(journals, { warehouseId: W, productId: P }, none);
    const steps = walkBack(units(13), lines);
    expect(steps.map((s) => [s.movement.journal.journalName, formatUnits(s.before), formatUnits(s.after)])).toEqual([
      ['adjustment', '8', '13'],
      ['count', '10', '8'],
      ['consumption', '10', '10'],
    ]);
  });

  it('draws a series from the level before the oldest movement to the current level now', () => {
    const steps = walkBack(units(12), [move(3_000, 5), move(1_000, 4)]);
    const points = onHandSeries(steps, units(12), 10_000);
    expect(points.map((p) => [p.time, formatUnits(p.onHand)])).toEqual([
      [1_000, '3'],
      [1_000, '7'],
      [3_000, '12'],
      [10_000, '12'],
    ]);
    expect(summarize(points)).toEqual({ first: units(3), last: units(12), lowest: units(3), highest: units(12) });
    expect(onHandSeries([], units(12), 10_000)).toEqual([]);
  });

  it('ends at the current level and starts at current minus the sum of all changes, in any order (property)', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1_000_000, max: 1_000_000 }), fc.array(fc.integer({ min: -100_000, max: 100_000 }), { maxLength: 40 }), (current, changes) => {
        const movements = changes.map((q, i) => ({ time: changes.length - i, quantity: q as Units }));
        const steps = walkBack(current as Units, movements);
        if (steps.length === 0) return;
        expect(steps[0]?.after).toBe(current);
        expect(steps[steps.length - 1]?.before).toBe(current - sumUnits(movements.map((m) => m.quantity)));
        for (let i = 1; i < steps.length; i++) expect(steps[i]?.after).toBe(steps[i - 1]?.before);
      }),
    );
  });
});

describe('the step chart', () => {
  it('runs flat between movements and jumps at each one, with zero in view and the level before the first movement shown', () => {
    // As onHandSeries makes it: 2 before the movement at 0, 4 after it, carried on to now (80).
    const chart = stepChart(
      [
        { time: 0, onHand: units(2) },
        { time: 0, onHand: units(4) },
        { time: 80, onHand: units(4) },
      ],
      { width: 180, height: 100, padLeft: 0, padRight: 0, padTop: 0, padBottom: 0 },
    );
    // x: an eighth of the span (10) before the first movement, so time −10…80 over 0…180; y: 4 at the top, 0 at the bottom.
    expect(chart?.path).toBe('M0,50 H20 V0 H180 V0');
    expect(chart?.marks).toEqual([{ x: 20, y: 0 }]);
    expect(chart?.zeroY).toBe(100);
    expect(chart?.yTicks.map((t) => formatUnits(t.value))).toEqual(['4', '2']);
  });

  it('handles a single moment and a negative level', () => {
    const chart = stepChart(
      [
        { time: 5, onHand: units(-2) },
        { time: 5, onHand: units(-2) },
      ],
      { width: 100, height: 100, padLeft: 0, padRight: 0, padTop: 0, padBottom: 0 },
    );
    expect(chart?.path).toBe('M0,100 H0 V100 H100');
    expect(chart?.zeroY).toBe(0);
    expect(stepChart([])).toBeNull();
  });
});
