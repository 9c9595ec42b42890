/**
 * Which posted documents the ERP refused through an ERP journal, and the
 * marks that follow (`erpError` on each originating receipt or inventory
 * transaction), settled in the outcome transaction of the journal's outbox item.
 *
 * A document's posting lines may sit in several ERP lines, even of several
 * ERP journals (a transfer's two ends): its mark is worked out from all of
 * them, so posting one journal never clears what another still refuses.
 * Refused means an ERP line in create-error or post-error with a code that
 * is no passing failure (an unknown product, a business rule). The first
 * refused line (oldest journal, lowest line) gives the message.
 *
 * Bounded: documents are read in chunks, each is written at most once per
 * settlement, and only when its mark changes.
 */
import { ERP_ERROR_CODES, isErpErrorCode } from '../errors.js';
import { loadDocs, type Writer } from '../../store/write.js';
import { putErpError, refusalOf, type ErpRefusal, type RefusableCollection } from './mark.js';

const CHUNK = 500;
const REFUSABLE: readonly RefusableCollection[] = ['inventoryTransactions', 'receipts'];

/** A failure that may pass by itself (the ERP unreachable, overloaded): not the ERP's refusal. */
export function isPassingFailure(code: string): boolean {
  if (isErpErrorCode(code)) return ERP_ERROR_CODES[code].retryable;
  // A sink that threw: retried like any unexpected failure.
  return code === 'internal-error';
}

export interface SettleResult {
  /** Documents this journal's lines came from. */
  documents: number;
  marked: number;
  cleared: number;
}

/** Settles the marks of every document whose posting lines went into ERP journal `erpJournalId`. */
export async function settleJournalRefusals(writer: Writer, erpJournalId: string): Promise<SettleResult> {
  const result: SettleResult = { documents: 0, marked: 0, cleared: 0 };
  // Through the partial index journal_lines_erp_line; a document's lines share its one posting journal.
  const sources = await writer.trx.selectFrom('journal_lines').select(['source_id', 'journal_id']).distinct().where('erp_journal_id', '=', erpJournalId).orderBy('source_id').execute();
  result.documents = new Set(sources.map((s) => s.source_id)).size;
  for (let i = 0; i < sources.length; i += CHUNK) {
    const chunk = sources.slice(i, i + CHUNK);
    const ids = chunk.map((s) => s.source_id);
    const refusals = await refusalsOf(writer, chunk.map((s) => s.journal_id));
    for (const collection of REFUSABLE) {
      const posted = await writer.trx.selectFrom('postings').select('source_id').where('source_collection', '=', collection).where('source_id', 'in', ids).where('outcome', '=', 'posted').execute();
      if (posted.length === 0) continue;
      for (const doc of (await loadDocs(writer.trx, collection, posted.map((p) => p.source_id))).values()) {
        const refusal = refusals.get(doc.id);
        if (!putErpError(writer, collection, doc, refusal)) continue;
        if (refusal) result.marked += 1;
        else result.cleared += 1;
      }
    }
  }
  return result;
}

/** The first refused ERP line of each document posted in these posting journals, across all ERP journals. */
async function refusalsOf(writer: Writer, postingJournalIds: readonly string[]): Promise<Map<string, ErpRefusal>> {
  const rows = await writer.trx
    .selectFrom('journal_lines as p')
    .innerJoin('erp_journal_lines as e', (join) => join.onRef('e.journal_id', '=', 'p.erp_journal_id').onRef('e.line_number', '=', 'p.erp_line_number'))
    .innerJoin('erp_journals as j', 'j.id', 'e.journal_id')
    .select(['p.source_id', 'e.error_code', 'e.error_message'])
    .where('p.journal_id', 'in', [...new Set(postingJournalIds)])
    .where('e.status', 'in', ['create-error', 'post-error'])
    .orderBy('j.created_at')
    .orderBy('e.journal_id')
    .orderBy('e.line_number')
    .execute();
  const found = new Map<string, ErpRefusal>();
  for (const r of rows) {
    if (found.has(r.source_id) || r.error_code === null || isPassingFailure(r.error_code)) continue;
    found.set(r.source_id, refusalOf({ code: r.error_code, message: r.error_message ?? '' }, writer.now));
  }
  return found;
}
