import type { Kysely, Transaction } from 'kysely';
import type { ErpJournal } from '../../../shared/schemas/journals.js';
import type { ChangeNotifier } from '../../store/notifier.js';
import type { Store } from '../../store/open.js';
import type { Database } from '../../store/tables.js';
import { writeTransaction, type Writer } from '../../store/write.js';
import { erpJournalDoc, loadErpJournals } from './erp-journals.js';
import { moveErpLineStatuses, type ErpLineMove } from './move-status.js';
import type { ErpJournalSink, SinkDelivery, SinkError } from './sink.js';

export interface DeliveryResult {
  /** ERP journals handed to the sink. */
  journals: number;
  /** Lines by where they ended. */
  postedLines: number;
  createErrorLines: number;
  postErrorLines: number;
}

/**
 * Hands `created` ERP journal lines to the sink: create, then post.
 *
 * The sink is called outside any database transaction (an ERP call must not
 * hold the write lock that every push waits for). Lines are claimed first by
 * moving them to `sent` under the write lock, so two instances never deliver
 * the same line; each outcome is then recorded in its own transaction.
 * A crash after the claim leaves lines in `sent` for the ERP outbox to
 * reconcile (it can ask the ERP what it holds).
 */
export async function deliverErpJournals(store: Store, notifier: ChangeNotifier | undefined, sink: ErpJournalSink, maxJournals: number): Promise<DeliveryResult> {
  const claimed = await writeTransaction(store, notifier, (writer) => claimCreated(writer, maxJournals));
  const result: DeliveryResult = { journals: claimed.length, postedLines: 0, createErrorLines: 0, postErrorLines: 0 };
  if (claimed.length === 0) return result;
  const delivery = await loadSinkDelivery(store.db, claimed);

  const createMoves: ErpLineMove[] = [];
  const toPost: ErpJournal[] = [];
  for (const journal of claimed) {
    const outcome = await attempt(() => sink.create(journal, delivery));
    if (outcome.ok) {
      // Lines the ERP refused alone fail alone; the others go on to be posted.
      const refused = outcome.lineErrors ?? new Map<number, SinkError>();
      for (const [lineNumber, error] of refused) {
        if (!journal.lines.some((l) => l.lineNumber === lineNumber)) continue;
        createMoves.push({ journalId: journal.id, lineNumber, to: 'create-error', error });
        result.createErrorLines += 1;
      }
      const withIds: ErpJournal = {
        ...journal,
        lines: journal.lines
          .filter((l) => !refused.has(l.lineNumber))
          .map((l) => {
            const erpJournalId = outcome.erpJournalIds?.get(l.lineNumber) ?? outcome.erpJournalId;
            const erpLineId = outcome.erpLineIds?.get(l.lineNumber);
            return { ...l, status: 'created-in-erp', ...(erpJournalId ? { erpJournalId } : {}), ...(erpLineId ? { erpLineId } : {}) };
          }),
      };
      for (const l of withIds.lines) {
        createMoves.push({ journalId: journal.id, lineNumber: l.lineNumber, to: 'created-in-erp', ...(l.erpJournalId ? { erpJournalId: l.erpJournalId } : {}), ...(l.erpLineId ? { erpLineId: l.erpLineId } : {}) });
      }
      if (withIds.lines.length > 0) toPost.push(withIds);
    } else {
      for (const l of journal.lines) createMoves.push({ journalId: journal.id, lineNumber: l.lineNumber, to: 'create-error', error: outcome.error });
      result.createErrorLines += journal.lines.length;
    }
  }
  await record(store, notifier, createMoves);

  const postMoves: ErpLineMove[] = [];
  for (const journal of toPost) {
    const outcome = await attempt(() => sink.post(journal, delivery));
    for (const l of journal.lines) {
      const error = outcome.ok ? outcome.lineErrors?.get(l.lineNumber) : outcome.error;
      postMoves.push(error ? { journalId: journal.id, lineNumber: l.lineNumber, to: 'post-error', error } : { journalId: journal.id, lineNumber: l.lineNumber, to: 'posted' });
      if (error) result.postErrorLines += 1;
      else result.postedLines += 1;
    }
  }
  await record(store, notifier, postMoves);
  return result;
}

/**
 * The integration keys of the warehouses and products of `journals`, by our
 * id (deleted documents included: a journal outlives its product). Exported
 * for anything else that hands journals to a sink (a retry of errored lines).
 */
export async function loadSinkDelivery(db: Kysely<Database> | Transaction<Database>, journals: readonly ErpJournal[]): Promise<SinkDelivery> {
  const keys = async (collection: 'warehouses' | 'products', ids: Set<string>): Promise<Map<string, string>> => {
    const all = [...ids];
    const found = new Map<string, string>();
    for (let i = 0; i < all.length; i += 500) {
      const rows = await db.selectFrom('docs').select(['id', 'natural_key']).where('collection', '=', collection).where('id', 'in', all.slice(i, i + 500)).execute();
      for (const r of rows) if (r.natural_key) found.set(r.id, r.natural_key);
    }
    return found;
  };
  const warehouses = new Set<string>();
  const products = new Set<string>();
  for (const j of journals) {
    warehouses.add(j.warehouseId);
    if (j.toWarehouseId) warehouses.add(j.toWarehouseId);
    for (const l of j.lines) {
      warehouses.add(l.warehouseId);
      products.add(l.productId);
    }
  }
  return { warehouseCodes: await keys('warehouses', warehouses), productNumbers: await keys('products', products) };
}

/** Oldest ERP journals with `created` lines; those lines move to `sent` and come back as the journals to deliver. */
async function claimCreated(writer: Writer, maxJournals: number): Promise<ErpJournal[]> {
  const rows = await writer.trx
    .selectFrom('erp_journal_lines as l')
    .innerJoin('erp_journals as j', 'j.id', 'l.journal_id')
    .select(['l.journal_id', 'j.created_at'])
    .where('l.status', '=', 'created')
    .groupBy(['l.journal_id', 'j.created_at'])
    .orderBy('j.created_at')
    .orderBy('l.journal_id')
    .limit(maxJournals)
    .execute();
  const ids = rows.map((r) => r.journal_id);
  const before = await loadErpJournals(writer.trx, ids);
  const moves: ErpLineMove[] = before.flatMap((j) => j.lines.filter((l) => l.status === 'created').map((l) => ({ journalId: j.head.id, lineNumber: l.line_number, to: 'sent' as const })));
  const moved = await moveErpLineStatuses(writer, moves);
  if (!moved.ok) throw new Error(`claiming ERP journals failed: ${moved.message}`);
  const claimedLines = new Set(moves.map((m) => `${m.journalId}#${m.lineNumber}`));
  return (await loadErpJournals(writer.trx, ids)).map(({ head, lines }) => {
    const doc = erpJournalDoc(head, lines);
    return { ...doc, lines: doc.lines.filter((l) => claimedLines.has(`${doc.id}#${l.lineNumber}`)) };
  });
}

async function record(store: Store, notifier: ChangeNotifier | undefined, moves: ErpLineMove[]): Promise<void> {
  if (moves.length === 0) return;
  await writeTransaction(store, notifier, async (writer) => {
    const moved = await moveErpLineStatuses(writer, moves);
    // Only this instance moved these lines out of `sent`: anything else is a bug, not a race.
    if (!moved.ok) throw new Error(`recording ERP delivery failed: ${moved.message}`);
  });
}

/** A sink that throws has failed the step, like one that answered with an error. */
async function attempt<T extends { ok: boolean }>(call: () => Promise<T>): Promise<T | { ok: false; error: SinkError }> {
  try {
    return await call();
  } catch (error) {
    return { ok: false, error: { code: 'internal-error', message: error instanceof Error ? error.message : String(error) } };
  }
}
