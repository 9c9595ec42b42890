/**
 * The link table: local id ↔ ERP id per map, with the versions last synced
 * on each side. Reads take either a transaction or the store's db, so the
 * sync can look before it writes and look again under the write lock.
 */
import { sql, type Kysely, type Transaction } from 'kysely';
import type { Database } from '../../store/tables.js';

export interface Link {
  map: string;
  localId: string;
  erpId: string;
  erpVersion: string;
  localSeq: number;
  syncedAt: number;
}

type Db = Kysely<Database> | Transaction<Database>;

const CHUNK = 500;

function toLink(row: Database['erp_record_links']): Link {
  return { map: row.map, localId: row.local_id, erpId: row.erp_id, erpVersion: row.erp_version, localSeq: Number(row.local_seq), syncedAt: Number(row.synced_at) };
}

async function chunked<T>(values: Iterable<string>, read: (chunk: string[]) => Promise<T[]>): Promise<T[]> {
  const unique = [...new Set(values)];
  const out: T[] = [];
  for (let i = 0; i < unique.length; i += CHUNK) out.push(...(await read(unique.slice(i, i + CHUNK))));
  return out;
}

/** Links of `map` by ERP id. */
export async function linksByErpId(db: Db, map: string, erpIds: Iterable<string>): Promise<Map<string, Link>> {
  const rows = await chunked(erpIds, (chunk) => db.selectFrom('erp_record_links').selectAll().where('map', '=', map).where('erp_id', 'in', chunk).execute());
  return new Map(rows.map((r) => [r.erp_id, toLink(r)]));
}

/** Links of `map` by local id. */
export async function linksByLocalId(db: Db, map: string, localIds: Iterable<string>): Promise<Map<string, Link>> {
  const rows = await chunked(localIds, (chunk) => db.selectFrom('erp_record_links').selectAll().where('map', '=', map).where('local_id', 'in', chunk).execute());
  return new Map(rows.map((r) => [r.local_id, toLink(r)]));
}

/** One page of a map's links in ERP id order (reconciliation walks them all). */
export async function linksPage(db: Db, map: string, afterErpId: string, limit: number): Promise<Link[]> {
  const rows = await db.selectFrom('erp_record_links').selectAll().where('map', '=', map).where('erp_id', '>', afterErpId).orderBy('erp_id').limit(limit).execute();
  return rows.map(toLink);
}

/** Inserts or replaces links by (map, ERP id). */
export async function saveLinks(db: Db, links: readonly Link[]): Promise<void> {
  for (let i = 0; i < links.length; i += CHUNK) {
    const rows = links.slice(i, i + CHUNK).map((l) => ({ map: l.map, local_id: l.localId, erp_id: l.erpId, erp_version: l.erpVersion, local_seq: l.localSeq, synced_at: l.syncedAt }));
    await db
      .insertInto('erp_record_links')
      .values(rows)
      .onConflict((oc) =>
        oc.columns(['map', 'erp_id']).doUpdateSet((eb) => ({
          local_id: eb.ref('excluded.local_id'),
          erp_version: eb.ref('excluded.erp_version'),
          local_seq: eb.ref('excluded.local_seq'),
          synced_at: eb.ref('excluded.synced_at'),
        })),
      )
      .execute();
  }
}

export async function deleteLink(db: Db, map: string, erpId: string): Promise<void> {
  await db.deleteFrom('erp_record_links').where('map', '=', map).where('erp_id', '=', erpId).execute();
}

/**
 * Records the local documents' current change sequence on their links, after
 * the write that gave it to them committed (the sequence is assigned at
 * commit). A device writing the same document in the moment between would
 * have its sequence recorded as ours; the next ERP change then overwrites
 * without logging a conflict, which is what erp-wins would do anyway.
 */
export async function stampLocalSeq(db: Db, map: string, collection: string, localIds: Iterable<string>): Promise<void> {
  await chunked(localIds, async (chunk) => {
    await db
      .updateTable('erp_record_links')
      .set({
        local_seq: sql<number>`coalesce((select d.seq from docs d where d.collection = ${collection} and d.id = erp_record_links.local_id), erp_record_links.local_seq)`,
      })
      .where('map', '=', map)
      .where('local_id', 'in', chunk)
      .execute();
    return [];
  });
}
