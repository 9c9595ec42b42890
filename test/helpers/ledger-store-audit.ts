/**
 * Reads what the store holds for a set of source documents (transactions and
 * receipts) and a set of products, straight from its tables: postings and
 * their outcome, journal documents per source, journal lines, the on-hand
 * projection. Used by the ledger model test to check invariants that do not
 * depend on the model at all (on hand = Σ posted journal lines).
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../server/store/tables.js';
import type { Units } from '../../shared/decimal.js';
import { levelKey } from './ledger-audit.js';

export interface LedgerAudit {
  /** postings rows per source id, with their outcomes. */
  postings: Map<string, string[]>;
  /** journal documents per sourceId (every journal in the store). */
  journalsBySource: Map<string, number>;
  /** requested quantities of the journal lines per source id, sorted. */
  requested: Map<string, Units[]>;
  /** Σ applied journal line quantities per level of the given products. */
  lineSums: Map<string, Units>;
  /** The on-hand table per level of the given products. */
  onHand: Map<string, Units>;
}

const chunks = <T>(items: readonly T[], size = 400): T[][] => {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
};

export async function auditLedger(db: Kysely<Database>, sourceIds: readonly string[], productIds: readonly string[]): Promise<LedgerAudit> {
  const audit: LedgerAudit = { postings: new Map(), journalsBySource: new Map(), requested: new Map(), lineSums: new Map(), onHand: new Map() };
  for (const chunk of chunks(sourceIds)) {
    const postings = await db.selectFrom('postings').select(['source_id', 'outcome']).where('source_id', 'in', chunk).execute();
    for (const p of postings) audit.postings.set(p.source_id, [...(audit.postings.get(p.source_id) ?? []), p.outcome]);
    const lines = await db.selectFrom('journal_lines').select(['source_id', 'requested_quantity']).where('source_id', 'in', chunk).execute();
    for (const l of lines) audit.requested.set(l.source_id, [...(audit.requested.get(l.source_id) ?? []), Number(l.requested_quantity) as Units]);
  }
  for (const list of audit.requested.values()) list.sort((a, b) => a - b);
  for (const j of await db.selectFrom('docs').select(['data']).where('collection', '=', 'journals').execute()) {
    const sourceId = String((JSON.parse(j.data) as { sourceId?: unknown }).sourceId);
    audit.journalsBySource.set(sourceId, (audit.journalsBySource.get(sourceId) ?? 0) + 1);
  }
  for (const chunk of chunks(productIds)) {
    // Summed here, not in SQL: PostgreSQL's SUM(bigint) is numeric and comes back as text.
    const lines = await db.selectFrom('journal_lines').select(['warehouse_id', 'product_id', 'quantity']).where('product_id', 'in', chunk).execute();
    for (const l of lines) {
      const k = levelKey(l.warehouse_id, l.product_id);
      audit.lineSums.set(k, ((audit.lineSums.get(k) ?? 0) + Number(l.quantity)) as Units);
    }
    const rows = await db.selectFrom('onhand').select(['warehouse_id', 'product_id', 'on_hand']).where('product_id', 'in', chunk).execute();
    for (const r of rows) audit.onHand.set(levelKey(r.warehouse_id, r.product_id), Number(r.on_hand) as Units);
  }
  return audit;
}
