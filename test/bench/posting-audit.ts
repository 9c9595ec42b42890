/**
 * After a posting run (not timed): the ledger must add up. Every pushed
 * document has exactly one postings row, every posted one a journal document,
 * and every on-hand level equals its opening plus what its journal lines
 * moved, in the projection table and in the inventory document alike.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../server/store/tables.js';
import { units, type Units } from '../../shared/decimal.js';
import { levelKey } from './posting-data.js';

export interface PostingAudit {
  postings: number;
  posted: number;
  rejected: number;
  journals: number;
  journalLines: number;
  levels: number;
}

/** Throws on the first thing that does not add up; `opening` is the seeded on hand per levelKey. */
export async function auditPosting(db: Kysely<Database>, opening: ReadonlyMap<string, Units>, expectedPostings: number): Promise<PostingAudit> {
  const outcomes = await db.selectFrom('postings').select(['outcome', (eb) => eb.fn.countAll<number>().as('count')]).groupBy('outcome').execute();
  const posted = Number(outcomes.find((o) => o.outcome === 'posted')?.count ?? 0);
  const rejected = Number(outcomes.find((o) => o.outcome === 'rejected')?.count ?? 0);
  if (posted + rejected !== expectedPostings) throw new Error(`POSTINGS MISMATCH: ${posted} posted + ${rejected} rejected, expected ${expectedPostings} in all`);

  const journals = Number(
    (await db.selectFrom('docs').select((eb) => eb.fn.countAll<number>().as('count')).where('collection', '=', 'journals').executeTakeFirstOrThrow()).count,
  );
  const lineStats = await db
    .selectFrom('journal_lines')
    .select([(eb) => eb.fn.countAll<number>().as('lines'), (eb) => eb.fn.count<number>('journal_id').distinct().as('journals')])
    .executeTakeFirstOrThrow();
  if (journals !== posted || Number(lineStats.journals) !== posted) {
    throw new Error(`JOURNAL MISMATCH: ${posted} posted, ${journals} journal documents, ${Number(lineStats.journals)} journals with lines`);
  }

  const moved = new Map<string, number>();
  const sums = await db
    .selectFrom('journal_lines')
    .select(['warehouse_id', 'product_id', (eb) => eb.fn.sum<number>('quantity').as('total')])
    .groupBy(['warehouse_id', 'product_id'])
    .execute();
  for (const s of sums) moved.set(levelKey(s.warehouse_id, s.product_id), Number(s.total));
  const projection = await db.selectFrom('onhand').select(['warehouse_id', 'product_id', 'on_hand']).execute();
  const inventory = new Map<string, Units>();
  for (const d of await db.selectFrom('docs').select('data').where('collection', '=', 'inventory').execute()) {
    const doc = JSON.parse(d.data) as { warehouseId: string; productId: string; onHand: number };
    inventory.set(levelKey(doc.warehouseId, doc.productId), units(doc.onHand));
  }
  for (const r of projection) {
    const key = levelKey(r.warehouse_id, r.product_id);
    const want = (opening.get(key) ?? 0) + (moved.get(key) ?? 0);
    if (Number(r.on_hand) !== want) throw new Error(`ON HAND MISMATCH for ${key}: projection ${Number(r.on_hand)}, opening + journal lines ${want}`);
    if (inventory.get(key) !== want) throw new Error(`INVENTORY DOCUMENT MISMATCH for ${key}: ${inventory.get(key)}, expected ${want}`);
    moved.delete(key);
  }
  if (moved.size > 0) throw new Error(`ON HAND MISSING: ${moved.size} levels have journal lines but no projection row`);
  return { postings: posted + rejected, posted, rejected, journals, journalLines: Number(lineStats.lines), levels: projection.length };
}
