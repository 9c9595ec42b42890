/**
 * Posts level corrections through the normal posting path: each is an
 * inventoryTransactions adjustment (reason ERP-SYNC, external reference
 * erp-level / <run id>:<warehouse code>:<product number>) posted by the
 * backend's own system user, so it is checked like any adjustment, posted
 * once by id (the postings key) and traceable from the client. Its journal is
 * then named `erp-sync`, which the aggregation never sends back to the ERP
 * (the change came from the ERP).
 */
import { createHash } from 'node:crypto';
import { toQuantity, type Units } from '../../../shared/decimal.js';
import type { PostingJournal } from '../../../shared/schemas/journals.js';
import type { SessionUser } from '../../../shared/wire.js';
import { ERP_SYNC_JOURNAL_NAME } from '../../ledger/aggregation/aggregate.js';
import { postNewDocuments, type LedgerConfig, type PostedOutcome } from '../../ledger/post.js';
import { loadDocs, type Writer } from '../../store/write.js';

/** Who posts level corrections: the backend itself, with every warehouse in scope. */
export const ERP_LEVELS_USER: SessionUser = { id: 'system:erp-levels', username: 'erp-levels', role: 'admin', warehouseIds: [] };

export const ERP_SYNC_REASON = 'ERP-SYNC';
export const ERP_LEVEL_REFERENCE = 'erp-level';

export interface LevelCorrection {
  warehouseId: string;
  warehouseCode: string;
  productId: string;
  productNumber: string;
  delta: Units;
}

/** The same run and pair always give the same document id, so a correction is never posted twice. */
export function correctionId(runId: string, warehouseId: string, productId: string): string {
  return `erp-level-${createHash('sha256').update(JSON.stringify([runId, warehouseId, productId])).digest('base64url').slice(0, 32)}`;
}

export async function postCorrections(writer: Writer, runId: string, corrections: readonly LevelCorrection[], ledger: LedgerConfig): Promise<Map<string, PostedOutcome>> {
  const occurredAt = new Date(writer.now).toISOString();
  const docs = corrections.map((c) => ({
    id: correctionId(runId, c.warehouseId, c.productId),
    type: 'adjustment',
    warehouseId: c.warehouseId,
    productId: c.productId,
    quantity: toQuantity(c.delta),
    reasonCode: ERP_SYNC_REASON,
    externalReference: { category: ERP_LEVEL_REFERENCE, id: `${runId}:${c.warehouseCode}:${c.productNumber}`.slice(0, 200) },
    note: 'On hand set to the ERP level plus what Fieldstock posted that the ERP had not applied yet.',
    occurredAt,
    status: 'pending',
    _deleted: false,
  }));
  const existing = await loadDocs(writer.trx, 'inventoryTransactions', docs.map((d) => d.id));
  const fresh = docs.filter((d) => !existing.has(d.id));
  const result = new Map<string, PostedOutcome>();
  if (fresh.length === 0) return result;
  const outcomes = await postNewDocuments(writer, 'inventoryTransactions', fresh, ERP_LEVELS_USER, ledger);
  for (const o of outcomes) {
    result.set(o.id, o);
    const doc = o.document;
    // A refused correction (negative stock where the warehouse forbids it) would be refused again every run: it is
    // reported in the run's answer and log, not replicated to every device as a new rejected document each time.
    if (o.status !== 'posted' || typeof doc.journalId !== 'string') continue;
    writer.put({ collection: 'inventoryTransactions', id: o.id, data: doc, scopeA: typeof doc.warehouseId === 'string' ? doc.warehouseId : null, scopeB: null, ownerId: ERP_LEVELS_USER.id });
    await renameJournal(writer, doc.journalId);
  }
  return result;
}

/** The posting path names a journal after the transaction type; this one came from the ERP and must say so (the aggregation skips it by name). */
async function renameJournal(writer: Writer, journalId: string): Promise<void> {
  await writer.trx.updateTable('journal_lines').set({ journal_name: ERP_SYNC_JOURNAL_NAME }).where('journal_id', '=', journalId).execute();
  const lines = await writer.trx.selectFrom('journal_lines').selectAll().where('journal_id', '=', journalId).orderBy('line_number').execute();
  const first = lines[0];
  if (!first) throw new Error(`erp-sync journal ${journalId} has no lines`);
  const journal: PostingJournal = {
    id: journalId,
    kind: 'posting',
    journalName: ERP_SYNC_JOURNAL_NAME,
    status: 'posted',
    sourceCollection: 'inventoryTransactions',
    sourceId: first.source_id,
    warehouseId: first.journal_warehouse_id,
    postedAt: new Date(Number(first.posted_at)).toISOString(),
    occurredAt: first.occurred_at,
    lines: lines.map((l) => ({
      lineNumber: l.line_number,
      warehouseId: l.warehouse_id,
      productId: l.product_id,
      quantity: toQuantity(Number(l.quantity) as Units),
      requestedQuantity: toQuantity(Number(l.requested_quantity) as Units),
    })),
  };
  // The last write of a document in a transaction wins: this replaces the one the posting queued.
  writer.put({ collection: 'journals', id: journalId, data: { ...journal, _deleted: false }, scopeA: first.journal_warehouse_id, scopeB: null });
}
