import type { Kysely, Migration } from 'kysely';
import { parseQuantity } from '../../../shared/decimal.js';

/** The tables as this migration knows them (later migrations may change tables.ts, never this). */
interface Before {
  docs: { collection: string; id: string; data: string };
  journal_lines: {
    id: string;
    journal_id: string;
    warehouse_id: string;
    product_id: string;
    quantity: number;
    requested_quantity: number;
    journal_name: string;
    line_number: number;
    journal_warehouse_id: string;
    journal_to_warehouse_id: string | null;
  };
}

interface V0Journal {
  id: string;
  journalName: string;
  warehouseId: string;
  toWarehouseId?: string;
  lines: { lineNumber: number; warehouseId: string; productId: string; quantity: number; requestedQuantity?: number }[];
  erpStatus?: unknown;
  [key: string]: unknown;
}

const PAGE = 500;

/**
 * ERP aggregation: journal lines learn their journal's name, line number and
 * warehouses and whether they were aggregated (and into which ERP line), and
 * two tables hold the ERP journals an outbox drives.
 *
 * Journals posted before this migration are brought along: their documents
 * become version 1 (`kind: 'posting'`, `status: 'posted'`, no `erpStatus`)
 * exactly as the app's own schema migration rewrites them, so the change
 * sequence is left alone; their lines are then aggregated like new ones.
 */
export const erpAggregation: Migration = {
  async up(db: Kysely<unknown>) {
    // One column per statement: SQLite's ALTER TABLE adds one at a time.
    const add = (name: string, type: 'text' | 'integer', notNullDefault?: string | number) =>
      db.schema
        .alterTable('journal_lines')
        .addColumn(name, type, (c) => (notNullDefault === undefined ? c : c.notNull().defaultTo(notNullDefault)))
        .execute();
    await add('journal_name', 'text', '');
    await add('line_number', 'integer', 0);
    await add('journal_warehouse_id', 'text', '');
    await add('journal_to_warehouse_id', 'text');
    await add('aggregation_status', 'text', 'pending');
    await add('erp_journal_id', 'text');
    await add('erp_line_number', 'integer');
    // The aggregator's batch query: oldest pending lines first.
    await db.schema.createIndex('journal_lines_aggregation').on('journal_lines').columns(['aggregation_status', 'posted_at', 'journal_id']).execute();
    await db.schema.createIndex('journal_lines_journal').on('journal_lines').column('journal_id').execute();

    await db.schema
      .createTable('erp_journals')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('journal_name', 'text', (c) => c.notNull())
      .addColumn('warehouse_id', 'text', (c) => c.notNull())
      .addColumn('to_warehouse_id', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('line_count', 'integer', (c) => c.notNull())
      .addColumn('created_at', 'bigint', (c) => c.notNull())
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema.createIndex('erp_journals_status').on('erp_journals').columns(['status', 'created_at']).execute();
    await db.schema.createIndex('erp_journals_created').on('erp_journals').columns(['created_at', 'id']).execute();

    await db.schema
      .createTable('erp_journal_lines')
      .addColumn('journal_id', 'text', (c) => c.notNull())
      .addColumn('line_number', 'integer', (c) => c.notNull())
      .addColumn('warehouse_id', 'text', (c) => c.notNull())
      .addColumn('product_id', 'text', (c) => c.notNull())
      .addColumn('quantity', 'bigint', (c) => c.notNull())
      .addColumn('source_line_count', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('erp_journal_id', 'text')
      .addColumn('erp_line_id', 'text')
      .addColumn('error_code', 'text')
      .addColumn('error_message', 'text')
      .addColumn('updated_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('erp_journal_lines_pk', ['journal_id', 'line_number'])
      .execute();
    // The outbox picks lines by status.
    await db.schema.createIndex('erp_journal_lines_status').on('erp_journal_lines').columns(['status', 'journal_id']).execute();

    await upgradeExistingJournals(db as unknown as Kysely<Before>);
  },
};

async function upgradeExistingJournals(db: Kysely<Before>): Promise<void> {
  let after = '';
  for (;;) {
    const docs = await db
      .selectFrom('docs')
      .select(['id', 'data'])
      .where('collection', '=', 'journals')
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE)
      .execute();
    if (docs.length === 0) return;
    after = docs[docs.length - 1]?.id ?? after;
    for (const doc of docs) {
      const journal = JSON.parse(doc.data) as V0Journal;
      if (journal.kind !== undefined) continue;
      const { erpStatus: _dropped, ...rest } = journal;
      await db
        .updateTable('docs')
        .set({ data: JSON.stringify({ ...rest, kind: 'posting', status: 'posted' }) })
        .where('collection', '=', 'journals')
        .where('id', '=', doc.id)
        .execute();
      await linkLines(db, journal);
    }
  }
}

/**
 * Gives the journal's stored lines their line numbers. Rows were written in
 * line order but nothing recorded it; a row matches the document line with
 * the same warehouse, product and quantities (rows that match the same lines
 * are interchangeable).
 */
async function linkLines(db: Kysely<Before>, journal: V0Journal): Promise<void> {
  const rows = await db
    .selectFrom('journal_lines')
    .select(['id', 'warehouse_id', 'product_id', 'quantity', 'requested_quantity'])
    .where('journal_id', '=', journal.id)
    .orderBy('id')
    .execute();
  const free = [...rows];
  const units = (q: number | undefined) => {
    const parsed = parseQuantity(q ?? 0);
    return parsed.ok ? parsed.units : NaN;
  };
  for (const line of journal.lines) {
    const at = free.findIndex(
      (r) =>
        r.warehouse_id === line.warehouseId &&
        r.product_id === line.productId &&
        Number(r.quantity) === units(line.quantity) &&
        (line.requestedQuantity === undefined || Number(r.requested_quantity) === units(line.requestedQuantity)),
    );
    const row = at >= 0 ? free.splice(at, 1)[0] : undefined;
    if (!row) continue;
    await db
      .updateTable('journal_lines')
      .set({
        journal_name: journal.journalName,
        line_number: line.lineNumber,
        journal_warehouse_id: journal.warehouseId,
        journal_to_warehouse_id: journal.toWarehouseId ?? null,
      })
      .where('id', '=', row.id)
      .execute();
  }
}
