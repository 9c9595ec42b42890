import { sql, type Transaction } from 'kysely';
import type { Engine } from '../store/open.js';
import type { Database, OnHandTable } from '../store/tables.js';
import { normalizeOccurredAt } from './rejection.js';

/** Pairs (or triples) per statement: far below SQLite's 32,766 and PostgreSQL's 65,535 parameters. */
const CHUNK = 5000;

export const levelKey = (warehouseId: string, productId: string): string => `${warehouseId}\u0000${productId}`;
export const countKey = (warehouseId: string, productId: string, occurredAt: string): string => `${warehouseId}\u0000${productId}\u0000${occurredAt}`;

const text = (v: unknown): v is string => typeof v === 'string';

/**
 * The on-hand levels a batch of source documents can touch: every warehouse of
 * a document (a transfer has two) with every product of it (a receipt has one
 * per line). Invalid documents may add levels they never use; that only costs
 * a lookup.
 */
export function levelsOf(docs: readonly Record<string, unknown>[]): Map<string, [string, string]> {
  const levels = new Map<string, [string, string]>();
  for (const d of docs) {
    const warehouses = [d.warehouseId, d.toWarehouseId].filter(text);
    const products = [d.productId, ...(Array.isArray(d.lines) ? (d.lines as { productId?: unknown }[]).map((l) => l.productId) : [])].filter(text);
    for (const w of warehouses) for (const p of products) levels.set(levelKey(w, p), [w, p]);
  }
  return levels;
}

/**
 * The projection rows of exactly these levels, in one statement whatever
 * their number: the pairs travel as one parameter (SQLite: a JSON array read
 * by json_each; PostgreSQL: two text arrays), so nothing is built per pair.
 */
export async function loadLevels(trx: Transaction<Database>, engine: Engine, levels: readonly [string, string][]): Promise<OnHandTable[]> {
  if (levels.length === 0) return [];
  const query =
    engine === 'sqlite'
      ? sql<OnHandTable>`select o.* from json_each(${JSON.stringify(levels)}) k
          join onhand o on o.warehouse_id = k.value ->> 0 and o.product_id = k.value ->> 1`
      : sql<OnHandTable>`select o.* from unnest(${levels.map((l) => l[0])}::text[], ${levels.map((l) => l[1])}::text[]) as k (w, p)
          join onhand o on o.warehouse_id = k.w and o.product_id = k.p`;
  return (await query.execute(trx)).rows;
}

export interface CountQuery {
  warehouseId: string;
  productId: string;
  /** The count's occurredAt as evaluation normalizes it (UTC ISO). */
  at: string;
}

/** Every count in the batch, as evaluateTransaction will ask about it. */
export function countsOf(docs: readonly Record<string, unknown>[], now: number): CountQuery[] {
  const counts: CountQuery[] = [];
  for (const d of docs) {
    if (d.type !== 'count' || !text(d.warehouseId) || !text(d.productId) || !text(d.occurredAt)) continue;
    const time = normalizeOccurredAt(d.occurredAt, now);
    if ('iso' in time) counts.push({ warehouseId: d.warehouseId, productId: d.productId, at: time.iso });
  }
  return counts;
}

/**
 * For each count: the sum of the stored journal lines of its level dated after
 * it (countKey -> units), in one statement per chunk instead of one per count.
 * The batch's own lines are not stored yet; LedgerState adds them.
 */
export async function storedAfter(trx: Transaction<Database>, counts: readonly CountQuery[]): Promise<Map<string, number>> {
  const sums = new Map<string, number>();
  for (let i = 0; i < counts.length; i += CHUNK) {
    const values = sql.join(counts.slice(i, i + CHUNK).map((c) => sql`(${c.warehouseId}, ${c.productId}, ${c.at})`));
    const result = await sql<{ cw: string; cp: string; cat: string; total: number | string }>`
      with c (cw, cp, cat) as (values ${values})
      select c.cw, c.cp, c.cat, coalesce(sum(j.quantity), 0) as total
      from c left join journal_lines j on j.warehouse_id = c.cw and j.product_id = c.cp and j.occurred_at > c.cat
      group by c.cw, c.cp, c.cat`.execute(trx);
    // PostgreSQL's sum(bigint) is numeric, which pg hands over as text.
    for (const r of result.rows) sums.set(countKey(r.cw, r.cp, r.cat), Number(r.total));
  }
  return sums;
}
