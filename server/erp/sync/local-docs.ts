/**
 * Finding local documents by the value of one field (a map's integration
 * key), inside the sync's write transaction. Warehouse codes and product
 * numbers have an indexed column (docs.natural_key); other keys (purchase
 * order numbers) are read from the JSON document.
 */
import { sql, type Transaction } from 'kysely';
import type { Engine } from '../../store/open.js';
import type { Database } from '../../store/tables.js';
import type { StoredDoc } from '../../store/write.js';

/** The fields server/store/write.ts indexes as natural_key, per collection. */
const NATURAL_KEY_FIELD: Readonly<Record<string, string>> = { warehouses: 'code', products: 'number' };

const FIELD_NAME = /^[A-Za-z][A-Za-z0-9_]*$/;
const CHUNK = 500;

/** Live (not deleted) documents of `collection` whose `field` is one of `values`. */
export async function docsByField(trx: Transaction<Database>, engine: Engine, collection: string, field: string, values: Iterable<string>): Promise<StoredDoc[]> {
  // Field names come from validated maps (schema fields); checked again because they reach SQL text below.
  if (!FIELD_NAME.test(field)) throw new Error(`"${field}" is not a document field name`);
  const unique = [...new Set(values)];
  const out: StoredDoc[] = [];
  const column =
    NATURAL_KEY_FIELD[collection] === field
      ? sql<string>`natural_key`
      : engine === 'postgres'
        ? sql<string>`(data::jsonb ->> ${field})`
        : sql<string>`json_extract(data, ${`$.${field}`})`;
  for (let i = 0; i < unique.length; i += CHUNK) {
    const rows = await trx
      .selectFrom('docs')
      .selectAll()
      .where('collection', '=', collection)
      .where('deleted', '=', 0)
      .where(column, 'in', unique.slice(i, i + CHUNK))
      .execute();
    for (const r of rows) {
      out.push({ id: r.id, seq: Number(r.seq), deleted: false, scopeA: r.scope_a, scopeB: r.scope_b, ownerId: r.owner_id, data: JSON.parse(r.data) as Record<string, unknown> });
    }
  }
  return out;
}
