/**
 * What Fieldstock posted at a warehouse that the ERP had not applied when its
 * on hand was read ("in flight"), per product.
 *
 * Statuses in our tables lag the ERP: the journal sink completes shipments in
 * the ERP first and records `posted` after, so a line can be applied in the
 * ERP while we still say `created-in-erp`, or turn `posted` between the ERP
 * read and our transaction. So for every ERP journal that could be moving
 * (`checked.journals`: listed BEFORE the ERP's on hand is read), the ERP's
 * own state is asked in the same bracket as its on hand (run.ts), and a
 * line's applied state comes from there, never from our status. A line of an
 * ERP journal outside that set is decided by status only where the status
 * proves it: not aggregated, `created`, `sent` or `create-error` means the
 * ERP cannot have applied it (a shipment is done only after created-in-erp
 * was recorded), and `posted` before `since` means it was applied before the
 * read. Anything else is `ambiguous`: the warehouse waits for the next run.
 *
 * Receipts, where the ERP takes them through their purchase order (an outbox
 * item per receipt, dedupe key = receipt id) rather than as journals, follow
 * the same rule on their outbox item: none means the ERP never gets the
 * receipt (an order made in Fieldstock), `done` before `since` means
 * applied, one that may be moving is asked of the ERP (`checked.receipts`),
 * and one never tried (pending, no attempt) cannot be in the ERP.
 */
import type { Kysely, Transaction } from 'kysely';
import { addUnits, type Units } from '../../../shared/decimal.js';
import { ERP_SYNC_JOURNAL_NAME } from '../../ledger/aggregation/aggregate.js';
import type { Database } from '../../store/tables.js';
import { lineKey, type AppliedState } from './source.js';

type Db = Kysely<Database> | Transaction<Database>;

/** What the posting path names a receipt's journal (server/ledger/post.ts). */
const RECEIPT_JOURNAL_NAME = 'receipt';
const NOT_IN_ERP: ReadonlySet<string> = new Set(['created', 'sent', 'create-error']);

export interface Checked {
  journals: ReadonlySet<string>;
  journalStates: ReadonlyMap<string, AppliedState>;
  receipts: ReadonlySet<string>;
  receiptStates: ReadonlyMap<string, AppliedState>;
}

/** Journal names whose lines reach the ERP some other way (receipts through the outbox), so their ERP journal lines say nothing. */
function otherwiseDelivered(receiptsMap: string | undefined): string[] {
  return receiptsMap ? [ERP_SYNC_JOURNAL_NAME, RECEIPT_JOURNAL_NAME] : [ERP_SYNC_JOURNAL_NAME];
}

/** ERP journals with lines at the warehouse that are not final, or changed since `since`: the ones whose ERP state must be read. */
export async function journalsToCheck(db: Db, warehouseId: string, since: number, receiptsMap: string | undefined): Promise<string[]> {
  const rows = await db
    .selectFrom('erp_journal_lines as l')
    .innerJoin('erp_journals as j', 'j.id', 'l.journal_id')
    .select('l.journal_id')
    .distinct()
    .where('l.warehouse_id', '=', warehouseId)
    .where('j.journal_name', 'not in', otherwiseDelivered(receiptsMap))
    .where((eb) => eb.or([eb('l.status', 'not in', ['posted', 'do-not-sync']), eb('l.updated_at', '>=', since)]))
    .orderBy('l.journal_id')
    .execute();
  return rows.map((r) => r.journal_id);
}

/** Receipts at the warehouse whose outbox item may be moving (not done, or done since `since`). */
export async function receiptsToCheck(db: Db, warehouseId: string, since: number, receiptsMap: string | undefined): Promise<string[]> {
  if (!receiptsMap) return [];
  const rows = await db
    .selectFrom('journal_lines as l')
    .innerJoin('erp_outbox as o', (j) => j.onRef('o.dedupe_key', '=', 'l.source_id').on('o.map_name', '=', receiptsMap))
    .select('l.source_id')
    .distinct()
    .where('l.warehouse_id', '=', warehouseId)
    .where('l.journal_name', '=', RECEIPT_JOURNAL_NAME)
    .where((eb) => eb.or([eb('o.status', '!=', 'done'), eb('o.updated_at', '>=', since)]))
    .orderBy('l.source_id')
    .execute();
  return rows.map((r) => r.source_id);
}

export type InFlight = { ok: true; byProduct: Map<string, Units> } | { ok: false; ambiguous: string };

export async function inFlight(trx: Db, warehouseId: string, since: number, receiptsMap: string | undefined, checked: Checked): Promise<InFlight> {
  const byProduct = new Map<string, Units>();
  const add = (productId: string, quantity: Units) => byProduct.set(productId, addUnits(byProduct.get(productId) ?? (0 as Units), quantity));

  // Not aggregated yet: no ERP journal exists, so the ERP holds none of it. erp-sync lines came from the ERP and are in its level.
  const pending = await trx
    .selectFrom('journal_lines')
    .select((eb) => ['product_id', eb.fn.sum<number>('quantity').as('total')])
    .where('warehouse_id', '=', warehouseId)
    .where('aggregation_status', '=', 'pending')
    .where('journal_name', 'not in', otherwiseDelivered(receiptsMap))
    .groupBy('product_id')
    .execute();
  for (const r of pending) add(r.product_id, Number(r.total) as Units);

  // An ERP line carries exactly the sum of its posting lines (one warehouse and product each).
  const lines = await trx
    .selectFrom('erp_journal_lines as l')
    .innerJoin('erp_journals as j', 'j.id', 'l.journal_id')
    .select(['l.journal_id', 'l.line_number', 'l.product_id', 'l.quantity', 'l.status'])
    .where('l.warehouse_id', '=', warehouseId)
    .where('j.journal_name', 'not in', otherwiseDelivered(receiptsMap))
    .where((eb) => eb.or([eb('l.status', 'not in', ['posted', 'do-not-sync']), eb('l.updated_at', '>=', since)]))
    .execute();
  for (const l of lines) {
    if (l.status === 'do-not-sync') continue;
    const quantity = Number(l.quantity) as Units;
    if (checked.journals.has(l.journal_id)) {
      const state = checked.journalStates.get(lineKey(l.journal_id, l.line_number)) ?? 'not-applied';
      if (state === 'partial') return { ok: false, ambiguous: `line ${l.line_number} of ERP journal ${l.journal_id} is partly applied in the ERP` };
      if (state === 'not-applied') add(l.product_id, quantity);
    } else if (NOT_IN_ERP.has(l.status)) {
      add(l.product_id, quantity);
    } else {
      return { ok: false, ambiguous: `line ${l.line_number} of ERP journal ${l.journal_id} reached "${l.status}" while the ERP was read` };
    }
  }

  if (!receiptsMap) return { ok: true, byProduct };
  const receipts = await trx
    .selectFrom('journal_lines as l')
    .leftJoin('erp_outbox as o', (j) => j.onRef('o.dedupe_key', '=', 'l.source_id').on('o.map_name', '=', receiptsMap))
    .select(['l.source_id', 'l.product_id', 'l.quantity', 'o.status', 'o.attempts'])
    .where('l.warehouse_id', '=', warehouseId)
    .where('l.journal_name', '=', RECEIPT_JOURNAL_NAME)
    .where((eb) => eb.or([eb('o.id', 'is', null), eb('o.status', '!=', 'done'), eb('o.updated_at', '>=', since)]))
    .execute();
  for (const r of receipts) {
    const quantity = Number(r.quantity) as Units;
    if (r.status === null) {
      add(r.product_id, quantity);
    } else if (checked.receipts.has(r.source_id)) {
      const state = checked.receiptStates.get(r.source_id) ?? 'not-applied';
      if (state === 'partial') return { ok: false, ambiguous: `receipt ${r.source_id} is partly applied in the ERP` };
      if (state === 'not-applied') add(r.product_id, quantity);
    } else if (r.status === 'pending' && Number(r.attempts) === 0) {
      add(r.product_id, quantity);
    } else {
      return { ok: false, ambiguous: `receipt ${r.source_id} reached the ERP outbox status "${r.status}" while the ERP was read` };
    }
  }
  return { ok: true, byProduct };
}
