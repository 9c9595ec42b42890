import type { Kysely, Transaction } from 'kysely';
import { toQuantity, type Units } from '../../../shared/decimal.js';
import { isErpLineStatus, type ErpLineStatus } from '../../../shared/ledger/erp-status.js';
import type { ErpJournal, ErpJournalLine } from '../../../shared/schemas/journals.js';
import type { Database, ErpJournalLinesTable, ErpJournalsTable } from '../../store/tables.js';
import type { DocWrite } from '../../store/write.js';

type Db = Kysely<Database> | Transaction<Database>;

/** A status column read back: anything else means the table was written by something that bypassed this module. */
export function lineStatus(raw: string): ErpLineStatus {
  if (!isErpLineStatus(raw)) throw new Error(`unknown ERP line status "${raw}" in erp_journal_lines`);
  return raw;
}

/** The replicated document of an ERP journal, built from its rows (the one place that shape is made). */
export function erpJournalDoc(head: ErpJournalsTable, lines: readonly ErpJournalLinesTable[]): ErpJournal {
  return {
    id: head.id,
    kind: 'erp',
    journalName: head.journal_name,
    status: lineStatus(head.status),
    warehouseId: head.warehouse_id,
    ...(head.to_warehouse_id ? { toWarehouseId: head.to_warehouse_id } : {}),
    createdAt: new Date(head.created_at).toISOString(),
    updatedAt: new Date(head.updated_at).toISOString(),
    lines: [...lines].sort((a, b) => a.line_number - b.line_number).map(erpLine),
  };
}

function erpLine(r: ErpJournalLinesTable): ErpJournalLine {
  return {
    lineNumber: r.line_number,
    warehouseId: r.warehouse_id,
    productId: r.product_id,
    quantity: toQuantity(Number(r.quantity) as Units),
    sourceLineCount: r.source_line_count,
    status: lineStatus(r.status),
    ...(r.erp_journal_id ? { erpJournalId: r.erp_journal_id } : {}),
    ...(r.erp_line_id ? { erpLineId: r.erp_line_id } : {}),
    ...(r.error_code ? { error: { code: r.error_code, message: r.error_message ?? '' } } : {}),
  };
}

/** Read scope as for posting journals: users of either warehouse (both ends of a transfer). */
export function erpJournalDocWrite(doc: ErpJournal): DocWrite {
  return { collection: 'journals', id: doc.id, data: { ...doc, _deleted: false }, scopeA: doc.warehouseId, scopeB: doc.toWarehouseId ?? null };
}

export interface StoredErpJournal {
  head: ErpJournalsTable;
  lines: ErpJournalLinesTable[];
}

/** ERP journals with all their lines, in the order of `ids` (unknown ids are left out). */
export async function loadErpJournals(db: Db, ids: readonly string[]): Promise<StoredErpJournal[]> {
  const unique = [...new Set(ids)];
  const heads = new Map<string, ErpJournalsTable>();
  const lines = new Map<string, ErpJournalLinesTable[]>();
  for (let i = 0; i < unique.length; i += 500) {
    const chunk = unique.slice(i, i + 500);
    for (const h of await db.selectFrom('erp_journals').selectAll().where('id', 'in', chunk).execute()) heads.set(h.id, h);
    const rows = await db.selectFrom('erp_journal_lines').selectAll().where('journal_id', 'in', chunk).orderBy('journal_id').orderBy('line_number').execute();
    for (const r of rows) {
      const list = lines.get(r.journal_id) ?? [];
      list.push(r);
      lines.set(r.journal_id, list);
    }
  }
  return unique.flatMap((id) => {
    const head = heads.get(id);
    return head ? [{ head, lines: lines.get(id) ?? [] }] : [];
  });
}

/** Posting lines per ERP line status, for metrics and the admin list. */
export async function countErpLinesByStatus(db: Db): Promise<Map<ErpLineStatus, number>> {
  const rows = await db
    .selectFrom('erp_journal_lines')
    .select((eb) => ['status', eb.fn.countAll<number>().as('n')])
    .groupBy('status')
    .execute();
  return new Map(rows.map((r) => [lineStatus(r.status), Number(r.n)]));
}

/** Posted journal lines still waiting to be aggregated (erp-sync lines never will: they came from the ERP, see aggregate.ts). */
export async function countLinesAwaitingAggregation(db: Db): Promise<number> {
  const row = await db
    .selectFrom('journal_lines')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('aggregation_status', '=', 'pending')
    .where('journal_name', '!=', 'erp-sync')
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}
