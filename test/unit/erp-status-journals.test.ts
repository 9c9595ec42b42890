// Journal documents v1 (posting and ERP), the app's v0 → v1 migration, and the aggregation plan that gives ERP lines their first status.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { addUnits, type Units } from '../../shared/decimal.js';
import { migrationStrategies } from '../../renderer/db/migrations.js';
import { erpJournalDoc } from '../../server/ledger/aggregation/erp-journals.js';
import { planErpJournals, type PendingLine } from '../../server/ledger/aggregation/group.js';
import { createRegistry, describeErrors } from '../../server/replication/registry.js';

const journals = createRegistry().get('journals');
if (!journals) throw new Error('journals is not registered');
const validate = (doc: unknown): void => {
  expect(journals.validate(doc), describeErrors(journals.validate)).toBe(true);
};

const v0 = {
  id: '9d8c7b6a-5f4e-4d3c-8b2a-1f0e9d8c7b6a',
  journalName: 'transfer',
  sourceCollection: 'inventoryTransactions',
  sourceId: '0b6f2a5e-3c1d-4e8f-9a7b-6c5d4e3f2a1b',
  warehouseId: 'wh-a',
  toWarehouseId: 'wh-b',
  postedAt: '2026-11-20T09:31:00.000Z',
  occurredAt: '2026-11-20T09:30:00.000Z',
  lines: [
    { lineNumber: 1, warehouseId: 'wh-a', productId: 'p-1', quantity: -2.5, requestedQuantity: -2.5 },
    { lineNumber: 2, warehouseId: 'wh-b', productId: 'p-1', quantity: 2.5, requestedQuantity: 2.5 },
  ],
  erpStatus: 'not-applicable',
};

describe('journal documents, version 1', () => {
  it("the app's migration turns a version 0 journal into a posted posting journal the server accepts", () => {
    const migrate = migrationStrategies.journals[1];
    expect(migrate).toBeTypeOf('function');
    const migrated = (migrate as (doc: unknown) => Record<string, unknown>)(structuredClone(v0));
    expect(migrated).not.toHaveProperty('erpStatus');
    expect(migrated).toMatchObject({ kind: 'posting', status: 'posted', lines: v0.lines, toWarehouseId: 'wh-b' });
    validate({ ...migrated, _deleted: false });
  });

  it('a version 0 journal is no longer a valid document (erpStatus is gone, kind and status are required)', () => {
    expect(journals.validate({ ...v0, _deleted: false })).toBe(false);
  });

  it('an ERP journal built from its rows is a valid document, with ERP ids and errors only where they exist', () => {
    const doc = erpJournalDoc(
      { id: 'erp-1', journal_name: 'transfer', warehouse_id: 'wh-a', to_warehouse_id: 'wh-b', status: 'create-error', line_count: 2, created_at: 0, updated_at: 1000 },
      [
        { journal_id: 'erp-1', line_number: 2, warehouse_id: 'wh-b', product_id: 'p-1', quantity: 25_000, source_line_count: 1, status: 'create-error', erp_journal_id: null, erp_line_id: null, error_code: 'erp-refused', error_message: 'no such location', updated_at: 1000 },
        { journal_id: 'erp-1', line_number: 1, warehouse_id: 'wh-a', product_id: 'p-1', quantity: -25_000, source_line_count: 3, status: 'posted', erp_journal_id: 'T-7', erp_line_id: 'T-7/1', error_code: null, error_message: null, updated_at: 1000 },
      ],
    );
    expect(doc.lines.map((l) => l.lineNumber)).toEqual([1, 2]);
    expect(doc.lines[0]).toEqual({ lineNumber: 1, warehouseId: 'wh-a', productId: 'p-1', quantity: -2.5, sourceLineCount: 3, status: 'posted', erpJournalId: 'T-7', erpLineId: 'T-7/1' });
    expect(doc.lines[1]?.error).toEqual({ code: 'erp-refused', message: 'no such location' });
    expect(doc).toMatchObject({ kind: 'erp', toWarehouseId: 'wh-b', createdAt: '1970-01-01T00:00:00.000Z', updatedAt: '1970-01-01T00:00:01.000Z' });
    validate({ ...doc, _deleted: false });
  });

  it('refuses an ERP line status outside the lifecycle', () => {
    const doc = { ...v0, kind: 'erp', status: 'created', erpStatus: undefined, lines: [{ ...v0.lines[0], sourceLineCount: 1, status: 'shipped' }], _deleted: false };
    delete doc.erpStatus;
    expect(journals.validate(doc)).toBe(false);
  });
});

const pendingLine = fc.record({
  journalName: fc.constantFrom('adjustment', 'transfer', 'count'),
  journalWarehouseId: fc.constantFrom('wh-a', 'wh-b'),
  journalToWarehouseId: fc.constantFrom(null, 'wh-c'),
  warehouseId: fc.constantFrom('wh-a', 'wh-b', 'wh-c'),
  productId: fc.constantFrom('p-1', 'p-2', 'p-3', 'p-4', 'p-5'),
  quantity: fc.integer({ min: -30_000, max: 30_000 }),
  deliveredElsewhere: fc.boolean(),
});

describe('the aggregation plan', () => {
  it('sums every posting line into exactly one ERP line of its key, splits at the line limit, and marks do-not-sync only zero sums and what reaches the ERP by its own flow', () => {
    fc.assert(
      fc.property(fc.array(pendingLine, { maxLength: 120 }), fc.integer({ min: 1, max: 6 }), (raw, maxLines) => {
        const lines: PendingLine[] = raw.map((r, i) => ({ ...r, id: `l-${i}`, journalId: `j-${Math.floor(i / 3)}`, sourceId: `s-${Math.floor(i / 3)}`, lineNumber: (i % 3) + 1, quantity: r.quantity as Units }));
        const plan = planErpJournals(lines, maxLines);
        const seen = new Map<string, number>();
        for (const journal of plan) {
          expect(journal.lines.length).toBeGreaterThan(0);
          expect(journal.lines.length).toBeLessThanOrEqual(maxLines);
          expect(journal.lines.map((l) => l.lineNumber)).toEqual(journal.lines.map((_, i) => i + 1));
          // A journal holds only lines that are sent, or only lines that reach the ERP otherwise.
          const elsewhere = new Set(journal.lines.flatMap((l) => l.sources.map((s) => s.deliveredElsewhere)));
          expect(elsewhere.size).toBe(1);
          for (const line of journal.lines) {
            let sum = 0 as Units;
            for (const s of line.sources) {
              seen.set(s.id, (seen.get(s.id) ?? 0) + 1);
              // Every source belongs to this journal's key and this line's key.
              expect([s.journalName, s.journalWarehouseId, s.journalToWarehouseId, s.warehouseId, s.productId]).toEqual([
                journal.journalName,
                journal.warehouseId,
                journal.toWarehouseId,
                line.warehouseId,
                line.productId,
              ]);
              sum = addUnits(sum, s.quantity);
            }
            expect(line.quantity).toBe(sum);
            expect(line.status).toBe(sum === 0 || line.sources[0]?.deliveredElsewhere ? 'do-not-sync' : 'created');
          }
        }
        expect([...seen.values()].every((n) => n === 1)).toBe(true);
        expect(seen.size).toBe(lines.length);
        // One ERP line per distinct key: nothing that could be summed was left apart.
        const keys = new Set(lines.map((l) => [l.journalName, l.journalWarehouseId, l.journalToWarehouseId, l.warehouseId, l.productId, l.deliveredElsewhere].join('|')));
        expect(plan.reduce((n, j) => n + j.lines.length, 0)).toBe(keys.size);
      }),
    );
  });

  it('refuses a line limit below one', () => {
    expect(() => planErpJournals([], 0)).toThrow(RangeError);
  });
});
