/**
 * ERP journals in the ERP outbox (map `journals`, operation `deliver`): one
 * item per ERP journal, its id as document and dedupe key, queued in the
 * aggregation transaction that makes the journal, so no journal exists
 * without its delivery queued (with an ERP adapter; `none` posts locally).
 */
import { sql } from 'kysely';
import type { ChangeNotifier } from '../../store/notifier.js';
import type { Store } from '../../store/open.js';
import { writeTransaction, type Writer } from '../../store/write.js';
import { enqueue } from '../outbox/enqueue.js';

export const JOURNALS_MAP = 'journals';
/**
 * The outbox map by which an adapter's receipt flow delivers a receipt as the
 * ERP's own incoming shipment (server/erp/adapters/<name>/receipts/), its
 * receipt id as dedupe key.
 */
const RECEIPTS_MAP = 'receipts';
export const DELIVER_OPERATION = 'deliver';

/** What an item carries; the handler reads everything else from the store at delivery, as it then stands. */
export interface JournalDeliveryPayload {
  erpJournalId: string;
}

/** Queues the delivery of each ERP journal in the caller's write transaction; returns how many were new. */
export async function enqueueJournalDeliveries(writer: Writer, erpJournalIds: readonly string[]): Promise<number> {
  let created = 0;
  for (const erpJournalId of erpJournalIds) {
    const payload: JournalDeliveryPayload = { erpJournalId };
    const queued = await enqueue(writer, { map: JOURNALS_MAP, operation: DELIVER_OPERATION, documentId: erpJournalId, dedupeKey: erpJournalId, payload });
    if (queued.created) created += 1;
  }
  return created;
}

/**
 * Queues the ERP journals that owe the ERP something but have no item:
 * those aggregated before the outbox delivered journals, or while the ERP
 * was `none` and then switched. Oldest first, at most `limit` per call.
 */
export async function queueStrandedJournals(store: Store, notifier: ChangeNotifier | undefined, limit: number): Promise<number> {
  const stranded = (db: Store['db'] | Writer['trx']) =>
    db
      .selectFrom('erp_journals as j')
      .select('j.id')
      .where('j.status', 'not in', ['posted', 'do-not-sync'])
      .where((eb) => eb.not(eb.exists(eb.selectFrom('erp_outbox as o').select(sql<number>`1`.as('one')).whereRef('o.dedupe_key', '=', 'j.id'))))
      .orderBy('j.created_at')
      .orderBy('j.id')
      .limit(limit)
      .execute();
  // A cheap read first: nearly always there is nothing, and then no write lock is taken.
  if ((await stranded(store.db)).length === 0) return 0;
  return writeTransaction(store, notifier, async (writer) => enqueueJournalDeliveries(writer, (await stranded(writer.trx)).map((r) => r.id)));
}

/**
 * Of these posted source documents, the receipts whose delivery the receipt
 * flow queued (an item in map `receipts`): the ERP hears of them as its own
 * incoming shipment, so their journal lines must not reach it a second time.
 */
export async function receiptsDeliveredElsewhere(writer: Writer, sourceIds: string[]): Promise<ReadonlySet<string>> {
  const found = new Set<string>();
  for (let i = 0; i < sourceIds.length; i += 500) {
    const rows = await writer.trx
      .selectFrom('erp_outbox')
      .select('dedupe_key')
      .where('map_name', '=', RECEIPTS_MAP)
      .where('dedupe_key', 'in', sourceIds.slice(i, i + 500))
      .execute();
    for (const r of rows) found.add(r.dedupe_key);
  }
  return found;
}
