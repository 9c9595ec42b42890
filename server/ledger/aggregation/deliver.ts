import type { Kysely, Transaction } from 'kysely';
import type { ErpJournal, ErpJournalLine } from '../../../shared/schemas/journals.js';
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

/** A line the sink refused (or could not be reached for) in this delivery, as recorded on it. */
export interface LineFailure {
  journalId: string;
  lineNumber: number;
  step: 'create' | 'post';
  error: SinkError;
}

export interface JournalDeliveryReport extends DeliveryResult {
  failures: LineFailure[];
}

/**
 * What one delivery does with one ERP journal: its lines to create (now
 * `sent`) and its lines to post (now `created-in-erp`, with the ERP's ids).
 */
interface ClaimedJournal {
  create: ErpJournal | undefined;
  post: ErpJournal | undefined;
}

/**
 * Hands `created` ERP journal lines to the sink: create, then post. The
 * path of the `none` sink (local posting); with an ERP adapter each journal
 * goes through the ERP outbox instead (deliverErpJournal, one per item).
 *
 * The sink is called outside any database transaction (an ERP call must not
 * hold the write lock that every push waits for). Lines are claimed first by
 * moving them to `sent` under the write lock, so two instances never deliver
 * the same line; each outcome is then recorded in its own transaction. (A
 * crash between claim and record leaves lines in `sent`; with an ERP adapter
 * the journal's outbox item takes them up again, see deliverErpJournal.)
 */
export async function deliverErpJournals(store: Store, notifier: ChangeNotifier | undefined, sink: ErpJournalSink, maxJournals: number): Promise<DeliveryResult> {
  const claimed = await writeTransaction(store, notifier, (writer) => claimCreated(writer, maxJournals));
  const { failures: _failures, ...result } = await deliverClaimed(store, notifier, sink, claimed.map((create) => ({ create, post: undefined })));
  return result;
}

/**
 * Delivers everything one ERP journal still owes the ERP, for its outbox
 * item: `created` and `create-error` lines (and `sent` ones a delivery that
 * crashed or timed out left behind) are created, then posted together with
 * `created-in-erp` and `post-error` lines. Safe only because the outbox
 * delivers one item at a time under its lease, and the sink is idempotent:
 * a line left `sent` may already exist in the ERP, and the sink finds it.
 *
 * `signal` (the outbox delivery's): once aborted, nothing more is recorded,
 * so a delivery that outlived its time never overwrites the retry's outcome.
 */
export async function deliverErpJournal(
  store: Store,
  notifier: ChangeNotifier | undefined,
  sink: ErpJournalSink,
  journalId: string,
  signal?: AbortSignal,
): Promise<JournalDeliveryReport> {
  const claimed = await writeTransaction(store, notifier, (writer) => claimJournal(writer, journalId));
  return deliverClaimed(store, notifier, sink, claimed ? [claimed] : [], signal);
}

/** Create, then post; each step's outcomes recorded in one transaction. */
async function deliverClaimed(
  store: Store,
  notifier: ChangeNotifier | undefined,
  sink: ErpJournalSink,
  claimed: readonly ClaimedJournal[],
  signal?: AbortSignal,
): Promise<JournalDeliveryReport> {
  const result: JournalDeliveryReport = { journals: claimed.length, postedLines: 0, createErrorLines: 0, postErrorLines: 0, failures: [] };
  if (claimed.length === 0) return result;
  const delivery = await loadSinkDelivery(store.db, claimed.flatMap((c) => [c.create, c.post].filter((j): j is ErpJournal => j !== undefined)));
  const fail = (journalId: string, lineNumber: number, step: LineFailure['step'], error: SinkError) => {
    result.failures.push({ journalId, lineNumber, step, error });
    if (step === 'create') result.createErrorLines += 1;
    else result.postErrorLines += 1;
  };

  const createMoves: ErpLineMove[] = [];
  const toPost: ErpJournal[] = [];
  for (const { create: journal, post } of claimed) {
    const posting: ErpJournalLine[] = [...(post?.lines ?? [])];
    if (journal) {
      const outcome = await attempt(() => sink.create(journal, delivery));
      if (outcome.ok) {
        // Lines the ERP refused alone fail alone; the others go on to be posted.
        const refused = outcome.lineErrors ?? new Map<number, SinkError>();
        for (const [lineNumber, error] of refused) {
          if (!journal.lines.some((l) => l.lineNumber === lineNumber)) continue;
          createMoves.push({ journalId: journal.id, lineNumber, to: 'create-error', error });
          fail(journal.id, lineNumber, 'create', error);
        }
        const created = journal.lines
          .filter((l) => !refused.has(l.lineNumber))
          .map((l): ErpJournalLine => {
            const erpJournalId = outcome.erpJournalIds?.get(l.lineNumber) ?? outcome.erpJournalId;
            const erpLineId = outcome.erpLineIds?.get(l.lineNumber);
            return { ...l, status: 'created-in-erp', ...(erpJournalId ? { erpJournalId } : {}), ...(erpLineId ? { erpLineId } : {}) };
          });
        for (const l of created) {
          createMoves.push({ journalId: journal.id, lineNumber: l.lineNumber, to: 'created-in-erp', ...(l.erpJournalId ? { erpJournalId: l.erpJournalId } : {}), ...(l.erpLineId ? { erpLineId: l.erpLineId } : {}) });
        }
        posting.push(...created);
      } else {
        for (const l of journal.lines) {
          createMoves.push({ journalId: journal.id, lineNumber: l.lineNumber, to: 'create-error', error: outcome.error });
          fail(journal.id, l.lineNumber, 'create', outcome.error);
        }
      }
    }
    const head = journal ?? post;
    if (head && posting.length > 0) toPost.push({ ...head, lines: posting.sort((a, b) => a.lineNumber - b.lineNumber) });
  }
  await record(store, notifier, createMoves, signal);

  const postMoves: ErpLineMove[] = [];
  for (const journal of toPost) {
    const outcome = await attempt(() => sink.post(journal, delivery));
    for (const l of journal.lines) {
      const error = outcome.ok ? outcome.lineErrors?.get(l.lineNumber) : outcome.error;
      if (error) {
        postMoves.push({ journalId: journal.id, lineNumber: l.lineNumber, to: 'post-error', error });
        fail(journal.id, l.lineNumber, 'post', error);
      } else {
        postMoves.push({ journalId: journal.id, lineNumber: l.lineNumber, to: 'posted' });
        result.postedLines += 1;
      }
    }
  }
  await record(store, notifier, postMoves, signal);
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

/**
 * All of one journal's lines that still owe the ERP something, claimed for
 * its outbox item: errors go back to the step that failed (create-error →
 * sent, post-error → created-in-erp), `created` lines become `sent`, and
 * `sent` lines are taken as they are (a delivery of this item that did not
 * finish left them; the item's lease means no other delivery is running).
 * Undefined when the journal does not exist.
 */
async function claimJournal(writer: Writer, journalId: string): Promise<ClaimedJournal | undefined> {
  const [before] = await loadErpJournals(writer.trx, [journalId]);
  if (!before) return undefined;
  const moves: ErpLineMove[] = [];
  for (const l of before.lines) {
    if (l.status === 'created' || l.status === 'create-error') moves.push({ journalId, lineNumber: l.line_number, to: 'sent' });
    if (l.status === 'post-error') moves.push({ journalId, lineNumber: l.line_number, to: 'created-in-erp' });
  }
  const moved = await moveErpLineStatuses(writer, moves);
  if (!moved.ok) throw new Error(`claiming ERP journal ${journalId} failed: ${moved.message}`);
  const [after] = await loadErpJournals(writer.trx, [journalId]);
  if (!after) return undefined;
  const doc = erpJournalDoc(after.head, after.lines);
  const part = (status: ErpJournalLine['status']): ErpJournal | undefined => {
    const lines = doc.lines.filter((l) => l.status === status);
    return lines.length > 0 ? { ...doc, lines } : undefined;
  };
  return { create: part('sent'), post: part('created-in-erp') };
}

async function record(store: Store, notifier: ChangeNotifier | undefined, moves: ErpLineMove[], signal?: AbortSignal): Promise<void> {
  if (moves.length === 0) return;
  // A delivery past its time may have been taken over by a retry, whose outcome counts.
  signal?.throwIfAborted();
  await writeTransaction(store, notifier, async (writer) => {
    const moved = await moveErpLineStatuses(writer, moves);
    // Only this delivery moved these lines out of `sent`: anything else is a bug, not a race.
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
