import { randomUUID } from 'node:crypto';
import type { Units } from '../../../shared/decimal.js';
import { summarizeErpLineStatuses } from '../../../shared/ledger/erp-status.js';
import type { PostingJournal } from '../../../shared/schemas/journals.js';
import type { ChangeNotifier } from '../../store/notifier.js';
import type { Store } from '../../store/open.js';
import type { ErpJournalLinesTable, ErpJournalsTable } from '../../store/tables.js';
import { loadDocs, writeTransaction, type Writer } from '../../store/write.js';
import { erpJournalDoc, erpJournalDocWrite } from './erp-journals.js';
import { planErpJournals, type PendingLine, type PlannedJournal } from './group.js';

export interface AggregationLimits {
  batchSize: number;
  maxLinesPerJournal: number;
}

export interface BatchResult {
  /** Posting lines aggregated by this batch (0: nothing was waiting). */
  lines: number;
  postingJournals: number;
  erpJournals: number;
  erpLines: number;
  doNotSyncLines: number;
  /** Ids of the ERP journals made. */
  erpJournalIds: string[];
}

/**
 * Journals that came FROM the ERP (server/erp/levels/: a level read from the
 * ERP, posted so both agree): sending them back would move the ERP's stock
 * a second time, so their lines are never aggregated.
 */
export const ERP_SYNC_JOURNAL_NAME = 'erp-sync';

const EMPTY: BatchResult = { lines: 0, postingJournals: 0, erpJournals: 0, erpLines: 0, doNotSyncLines: 0, erpJournalIds: [] };

/** Another aggregator got to a line first: the transaction rolls back rather than count the line twice. */
export class AggregationRaceError extends Error {
  constructor(expected: number, updated: number) {
    super(`expected to aggregate ${expected} journal lines but ${updated} were still pending; nothing was aggregated`);
  }
}

/**
 * Aggregates the oldest not-yet-aggregated posting lines, whole posting
 * journals at a time (about `batchSize` lines), in ONE write transaction:
 * ERP journals and their lines, the posting lines marked with the ERP line
 * they went to, and the posting and ERP journal documents, which replicate.
 *
 * Never twice: the write lock serializes aggregators (on PostgreSQL across
 * backend instances too), each reads only `pending` lines after taking it,
 * and the update that marks them aggregated is conditional on `pending`; if
 * fewer rows change than were read, everything rolls back.
 */
export async function aggregateBatch(
  store: Store,
  notifier: ChangeNotifier | undefined,
  limits: AggregationLimits,
  /** Queues the delivery of the new ERP journals that have lines for the ERP, in this same transaction (the ERP outbox). */
  queueDelivery?: (writer: Writer, erpJournalIds: string[]) => Promise<void>,
  /** Of these source documents, those that reach the ERP by their own flow (their lines become do-not-sync). */
  deliveredElsewhere?: (writer: Writer, sourceIds: string[]) => Promise<ReadonlySet<string>>,
): Promise<BatchResult> {
  return writeTransaction(store, notifier, async (writer) => {
    const pending = await readPendingBatch(writer, limits.batchSize);
    if (pending.length === 0) return EMPTY;
    if (deliveredElsewhere) {
      const elsewhere = await deliveredElsewhere(writer, [...new Set(pending.map((l) => l.sourceId))]);
      for (const line of pending) if (elsewhere.has(line.sourceId)) line.deliveredElsewhere = true;
    }
    const planned = planErpJournals(pending, limits.maxLinesPerJournal);
    const made = await insertErpJournals(writer, planned);
    await markAggregated(writer, made);
    const postingJournals = await relinkPostingJournals(writer, made);
    await queueDelivery?.(writer, made.filter((j) => j.planned.lines.some((l) => l.status !== 'do-not-sync')).map((j) => j.id));
    return {
      lines: pending.length,
      postingJournals,
      erpJournals: made.length,
      erpLines: made.reduce((n, j) => n + j.planned.lines.length, 0),
      doNotSyncLines: made.reduce((n, j) => n + j.planned.lines.filter((l) => l.status === 'do-not-sync').length, 0),
      erpJournalIds: made.map((j) => j.id),
    };
  });
}

/** The oldest pending lines, completed to whole posting journals so each journal document is relinked at once. */
async function readPendingBatch(writer: Writer, batchSize: number): Promise<PendingLine[]> {
  const { trx } = writer;
  const first = await trx
    .selectFrom('journal_lines')
    .select('journal_id')
    .where('aggregation_status', '=', 'pending')
    .where('journal_name', '!=', ERP_SYNC_JOURNAL_NAME)
    .orderBy('posted_at')
    .orderBy('journal_id')
    .limit(batchSize)
    .execute();
  const journalIds = [...new Set(first.map((r) => r.journal_id))];
  const lines: PendingLine[] = [];
  for (let i = 0; i < journalIds.length; i += 500) {
    const rows = await trx
      .selectFrom('journal_lines')
      .select(['id', 'journal_id', 'source_id', 'line_number', 'journal_name', 'journal_warehouse_id', 'journal_to_warehouse_id', 'warehouse_id', 'product_id', 'quantity'])
      .where('aggregation_status', '=', 'pending')
      .where('journal_id', 'in', journalIds.slice(i, i + 500))
      .execute();
    for (const r of rows) {
      lines.push({
        id: r.id,
        journalId: r.journal_id,
        sourceId: r.source_id,
        lineNumber: r.line_number,
        journalName: r.journal_name,
        journalWarehouseId: r.journal_warehouse_id,
        journalToWarehouseId: r.journal_to_warehouse_id,
        warehouseId: r.warehouse_id,
        productId: r.product_id,
        quantity: Number(r.quantity) as Units,
      });
    }
  }
  return lines;
}

interface MadeJournal {
  id: string;
  planned: PlannedJournal;
}

async function insertErpJournals(writer: Writer, planned: PlannedJournal[]): Promise<MadeJournal[]> {
  const made = planned.map((p) => ({ id: randomUUID(), planned: p }));
  const heads: ErpJournalsTable[] = [];
  const lines: ErpJournalLinesTable[] = [];
  for (const { id, planned: p } of made) {
    const rows: ErpJournalLinesTable[] = p.lines.map((l) => ({
      journal_id: id,
      line_number: l.lineNumber,
      warehouse_id: l.warehouseId,
      product_id: l.productId,
      quantity: l.quantity,
      source_line_count: l.sources.length,
      // Lines start `created`; one that nets to zero moves on to `do-not-sync` at once (a legal move).
      status: l.status,
      erp_journal_id: null,
      erp_line_id: null,
      error_code: null,
      error_message: null,
      updated_at: writer.now,
    }));
    const head: ErpJournalsTable = {
      id,
      journal_name: p.journalName,
      warehouse_id: p.warehouseId,
      to_warehouse_id: p.toWarehouseId,
      status: summarizeErpLineStatuses(p.lines.map((l) => l.status)),
      line_count: p.lines.length,
      created_at: writer.now,
      updated_at: writer.now,
    };
    heads.push(head);
    lines.push(...rows);
    writer.put(erpJournalDocWrite(erpJournalDoc(head, rows)));
  }
  for (let i = 0; i < heads.length; i += 200) await writer.trx.insertInto('erp_journals').values(heads.slice(i, i + 200)).execute();
  for (let i = 0; i < lines.length; i += 200) await writer.trx.insertInto('erp_journal_lines').values(lines.slice(i, i + 200)).execute();
  return made;
}

/** One conditional update per ERP line; a line someone else already aggregated makes the whole batch fail. */
async function markAggregated(writer: Writer, made: MadeJournal[]): Promise<void> {
  let expected = 0;
  let updated = 0;
  for (const { id, planned } of made) {
    for (const line of planned.lines) {
      const ids = line.sources.map((s) => s.id);
      for (let i = 0; i < ids.length; i += 500) {
        const chunk = ids.slice(i, i + 500);
        expected += chunk.length;
        const result = await writer.trx
          .updateTable('journal_lines')
          .set({ aggregation_status: 'aggregated', erp_journal_id: id, erp_line_number: line.lineNumber })
          .where('id', 'in', chunk)
          .where('aggregation_status', '=', 'pending')
          .executeTakeFirst();
        updated += Number(result.numUpdatedRows);
      }
    }
  }
  if (updated !== expected) throw new AggregationRaceError(expected, updated);
}

/** Posting journal documents become `aggregated`, each line linked to the ERP line carrying it. */
async function relinkPostingJournals(writer: Writer, made: MadeJournal[]): Promise<number> {
  const links = new Map<string, Map<number, { id: string; lineNumber: number }>>();
  for (const { id, planned } of made) {
    for (const line of planned.lines) {
      for (const s of line.sources) {
        const perJournal = links.get(s.journalId) ?? new Map<number, { id: string; lineNumber: number }>();
        perJournal.set(s.lineNumber, { id, lineNumber: line.lineNumber });
        links.set(s.journalId, perJournal);
      }
    }
  }
  const stored = await loadDocs(writer.trx, 'journals', links.keys());
  for (const [journalId, perLine] of links) {
    const doc = stored.get(journalId);
    if (!doc) continue;
    const journal = doc.data as unknown as PostingJournal & { _deleted?: boolean };
    const updated: PostingJournal & { _deleted: boolean } = {
      ...journal,
      status: 'aggregated',
      lines: journal.lines.map((l) => {
        const link = perLine.get(l.lineNumber);
        return link ? { ...l, erpJournal: link } : l;
      }),
      _deleted: doc.deleted,
    };
    writer.put({ collection: 'journals', id: journalId, data: { ...updated }, scopeA: doc.scopeA, scopeB: doc.scopeB, ownerId: doc.ownerId });
  }
  return links.size;
}
