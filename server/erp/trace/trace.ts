/**
 * Follows one document across Fieldstock and the ERP (shared/erp/trace-wire.ts):
 * posting → posting lines → the ERP journal lines they were summed into →
 * the outbox items that carried them (ERP journals, receipts, two-way
 * changes) → the ERP records it is linked to. Read only, from the tables the
 * ledger, the outbox and the sync already keep: nothing is recorded for the
 * trace's sake, so it cannot drift from what actually happened.
 */
import type { Kysely } from 'kysely';
import type { DocumentTrace, TraceErpLine, TraceOutboxItem, TracePostingLine } from '../../../shared/erp/trace-wire.js';
import { loadDocs } from '../../store/write.js';
import type { Database } from '../../store/tables.js';

/** The most outbox items listed (a warehouse edited every day keeps its items). */
export const TRACE_OUTBOX_LIMIT = 100;

export async function traceDocument(db: Kysely<Database>, collection: string, id: string): Promise<DocumentTrace | null> {
  const doc = (await loadDocs(db, collection, [id])).get(id);
  if (!doc) return null;
  const data = doc.data;

  const posting = await db.selectFrom('postings').selectAll().where('source_collection', '=', collection).where('source_id', '=', id).executeTakeFirst();
  const postingLines: TracePostingLine[] =
    posting?.journal_id == null
      ? []
      : (await db.selectFrom('journal_lines').selectAll().where('journal_id', '=', posting.journal_id).where('source_id', '=', id).orderBy('line_number').execute()).map((l) => ({
          journalId: l.journal_id,
          lineNumber: Number(l.line_number),
          journalName: l.journal_name,
          warehouseId: l.warehouse_id,
          productId: l.product_id,
          quantity: Number(l.quantity),
          aggregation: l.aggregation_status,
          erpJournalId: l.erp_journal_id,
          erpLineNumber: l.erp_line_number === null ? null : Number(l.erp_line_number),
        }));

  const erpLines = await readErpLines(db, postingLines);
  const erpJournalIds = [...new Set(erpLines.map((l) => l.journalId))];
  const outbox = await readOutbox(db, id, erpJournalIds);
  const links = await db.selectFrom('erp_record_links').selectAll().where('local_id', '=', id).orderBy('map').execute();

  return {
    document: {
      collection,
      id,
      seq: doc.seq,
      deleted: doc.deleted,
      status: typeof data.status === 'string' ? data.status : null,
      error: problem(data.error),
      erpError: erpProblem(data.erpError),
    },
    posting: posting ? { outcome: posting.outcome, journalId: posting.journal_id, postedAt: new Date(Number(posting.posted_at)).toISOString() } : null,
    postingLines,
    erpLines,
    outbox,
    links: links.map((l) => ({ map: l.map, erpId: l.erp_id, erpVersion: l.erp_version, syncedAt: new Date(Number(l.synced_at)).toISOString() })),
  };
}

/** The local document linked to an ERP record of a map, if any. */
export async function localIdOf(db: Kysely<Database>, map: string, erpId: string): Promise<string | undefined> {
  const row = await db.selectFrom('erp_record_links').select('local_id').where('map', '=', map).where('erp_id', '=', erpId).executeTakeFirst();
  return row?.local_id;
}

async function readErpLines(db: Kysely<Database>, lines: readonly TracePostingLine[]): Promise<TraceErpLine[]> {
  const wanted = new Map<string, { journalId: string; lineNumber: number }>();
  for (const l of lines) {
    if (l.erpJournalId !== null && l.erpLineNumber !== null) wanted.set(`${l.erpJournalId}#${l.erpLineNumber}`, { journalId: l.erpJournalId, lineNumber: l.erpLineNumber });
  }
  const out: TraceErpLine[] = [];
  for (const { journalId, lineNumber } of wanted.values()) {
    const row = await db.selectFrom('erp_journal_lines').selectAll().where('journal_id', '=', journalId).where('line_number', '=', lineNumber).executeTakeFirst();
    if (!row) continue;
    out.push({
      journalId: row.journal_id,
      lineNumber: Number(row.line_number),
      warehouseId: row.warehouse_id,
      productId: row.product_id,
      quantity: Number(row.quantity),
      sourceLineCount: Number(row.source_line_count),
      status: row.status,
      erpJournalId: row.erp_journal_id,
      erpLineId: row.erp_line_id,
      error: row.error_code === null ? null : { code: row.error_code, message: row.error_message ?? '' },
    });
  }
  return out;
}

/**
 * Items about the document itself (a two-way change; for a purchase order, its
 * receipts, which are filed under the order so they reach the ERP in order),
 * its ERP journals, or named after it (a receipt's own item).
 */
async function readOutbox(db: Kysely<Database>, id: string, erpJournalIds: readonly string[]): Promise<TraceOutboxItem[]> {
  const rows = await db
    .selectFrom('erp_outbox')
    .selectAll()
    .where((eb) => eb.or([eb('document_id', 'in', [id, ...erpJournalIds]), eb('dedupe_key', '=', id)]))
    .orderBy('seq', 'desc')
    .limit(TRACE_OUTBOX_LIMIT)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    map: r.map_name,
    operation: r.operation,
    documentId: r.document_id,
    status: r.status,
    attempts: Number(r.attempts),
    erpId: r.erp_id,
    lastError: r.last_error_code === null ? null : { code: r.last_error_code, message: r.last_error_message ?? '', at: new Date(Number(r.last_error_at ?? r.updated_at)).toISOString() },
    createdAt: new Date(Number(r.created_at)).toISOString(),
    updatedAt: new Date(Number(r.updated_at)).toISOString(),
  }));
}

function problem(value: unknown): { code: string; message: string } | null {
  if (value === null || typeof value !== 'object') return null;
  const { code, message } = value as { code?: unknown; message?: unknown };
  return typeof code === 'string' ? { code, message: typeof message === 'string' ? message : '' } : null;
}

function erpProblem(value: unknown): { code: string; message: string; at: string } | null {
  const base = problem(value);
  if (!base) return null;
  const at = (value as { at?: unknown }).at;
  return { ...base, at: typeof at === 'string' ? at : '' };
}
