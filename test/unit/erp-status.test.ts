// The ERP line status lifecycle (shared/ledger/erp-status.ts): which moves are legal, what is final, how a journal summarizes.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  canMoveErpLine,
  ERP_LINE_STATUS_LABELS,
  ERP_LINE_STATUSES,
  ERP_LINE_TRANSITIONS,
  isErpLineStatus,
  isFinalErpLineStatus,
  POSTING_JOURNAL_STATUS_LABELS,
  POSTING_JOURNAL_STATUSES,
  summarizeErpLineStatuses,
  type ErpLineStatus,
} from '../../shared/ledger/erp-status.js';

/** The lifecycle as the issue states it, written out independently of the module. */
const LEGAL: readonly [ErpLineStatus, ErpLineStatus][] = [
  ['created', 'do-not-sync'],
  ['created', 'sent'],
  ['sent', 'create-error'],
  ['sent', 'created-in-erp'],
  ['create-error', 'sent'],
  ['created-in-erp', 'post-error'],
  ['created-in-erp', 'posted'],
  ['post-error', 'created-in-erp'],
];

describe('ERP line transitions', () => {
  it('allows exactly the moves of the lifecycle and refuses every other pair', () => {
    const legal = new Set(LEGAL.map(([a, b]) => `${a}>${b}`));
    for (const from of ERP_LINE_STATUSES) {
      for (const to of ERP_LINE_STATUSES) {
        expect(canMoveErpLine(from, to), `${from} → ${to}`).toBe(legal.has(`${from}>${to}`));
      }
    }
  });

  it('never lets a line stay where it is (a move always changes something)', () => {
    for (const s of ERP_LINE_STATUSES) expect(canMoveErpLine(s, s)).toBe(false);
  });

  it('makes do-not-sync and posted final, and nothing else', () => {
    expect(ERP_LINE_STATUSES.filter(isFinalErpLineStatus)).toEqual(['do-not-sync', 'posted']);
  });

  it('lets every status reach a final one (no line can get stuck by the table itself)', () => {
    for (const start of ERP_LINE_STATUSES) {
      const seen = new Set<ErpLineStatus>([start]);
      const queue: ErpLineStatus[] = [start];
      while (queue.length > 0) {
        const s = queue.shift() as ErpLineStatus;
        for (const next of ERP_LINE_TRANSITIONS[s]) {
          if (seen.has(next)) continue;
          seen.add(next);
          queue.push(next);
        }
      }
      expect([...seen].some(isFinalErpLineStatus), start).toBe(true);
    }
  });

  it('only reaches posted through created-in-erp, so an ERP journal is never posted before the ERP holds it', () => {
    const into = ERP_LINE_STATUSES.filter((s) => canMoveErpLine(s, 'posted'));
    expect(into).toEqual(['created-in-erp']);
  });

  it('has a label for people for every line and posting journal status', () => {
    for (const s of ERP_LINE_STATUSES) expect(ERP_LINE_STATUS_LABELS[s].length).toBeGreaterThan(0);
    for (const s of POSTING_JOURNAL_STATUSES) expect(POSTING_JOURNAL_STATUS_LABELS[s].length).toBeGreaterThan(0);
    expect(new Set(Object.values(ERP_LINE_STATUS_LABELS)).size).toBe(ERP_LINE_STATUSES.length);
  });

  it('recognizes its statuses and nothing else', () => {
    for (const s of ERP_LINE_STATUSES) expect(isErpLineStatus(s)).toBe(true);
    for (const v of ['aggregated', 'Posted', '', null, 3, 'not-applicable']) expect(isErpLineStatus(v)).toBe(false);
  });
});

describe('ERP journal summary status', () => {
  it('shows an error when any line has one, a create error before a post error', () => {
    expect(summarizeErpLineStatuses(['posted', 'post-error', 'created-in-erp'])).toBe('post-error');
    expect(summarizeErpLineStatuses(['posted', 'post-error', 'create-error'])).toBe('create-error');
  });

  it('otherwise shows the line furthest behind, ignoring lines that net to zero', () => {
    expect(summarizeErpLineStatuses(['posted', 'sent', 'created-in-erp'])).toBe('sent');
    expect(summarizeErpLineStatuses(['posted', 'do-not-sync', 'posted'])).toBe('posted');
    expect(summarizeErpLineStatuses(['do-not-sync', 'do-not-sync'])).toBe('do-not-sync');
    expect(summarizeErpLineStatuses(['created', 'do-not-sync'])).toBe('created');
  });

  it('is one of the lines statuses and does not depend on line order', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...ERP_LINE_STATUSES), { minLength: 1, maxLength: 30 }), (statuses) => {
        const summary = summarizeErpLineStatuses(statuses);
        expect(statuses).toContain(summary);
        expect(summarizeErpLineStatuses([...statuses].reverse())).toBe(summary);
        // posted only when every line is posted or has nothing to post
        if (summary === 'posted') expect(statuses.every((s) => s === 'posted' || s === 'do-not-sync')).toBe(true);
      }),
    );
  });
});
