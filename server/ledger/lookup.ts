import type { Kysely, Transaction } from 'kysely';
import type { Database } from '../store/tables.js';

/** Resolves integration keys (warehouse codes, product numbers) to document ids. */
export async function idsByNaturalKey(
  db: Kysely<Database> | Transaction<Database>,
  collection: 'warehouses' | 'products',
  keys: Iterable<string>,
): Promise<Map<string, string>> {
  const unique = [...new Set(keys)];
  const result = new Map<string, string>();
  for (let i = 0; i < unique.length; i += 900) {
    const rows = await db
      .selectFrom('docs')
      .select(['id', 'natural_key'])
      .where('collection', '=', collection)
      .where('deleted', '=', 0)
      .where('natural_key', 'in', unique.slice(i, i + 900))
      .execute();
    for (const r of rows) if (r.natural_key) result.set(r.natural_key, r.id);
  }
  return result;
}
