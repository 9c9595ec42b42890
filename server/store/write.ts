import { sql, type Transaction } from 'kysely';
import { bulkInserter, type BulkInsert } from './bulk-insert.js';
import { CHANGES_CHANNEL, type ChangeNotifier } from './notifier.js';
import type { Engine, Store } from './open.js';
import type { Database, DocsTable } from './tables.js';

export interface DocWrite {
  collection: string;
  id: string;
  /** The full wire document, `_deleted` included. */
  data: Record<string, unknown>;
  scopeA: string | null;
  scopeB: string | null;
  ownerId?: string | null;
}

export interface Writer {
  trx: Transaction<Database>;
  /** For the few reads that have a faster engine-specific form (server/ledger/batch-reads.ts). */
  engine: Engine;
  /** Queues a document write; the last write of a (collection, id) in one transaction wins. */
  put(doc: DocWrite): void;
  /** Inserts (or upserts) many rows of one table in this transaction, the fastest way the engine offers. */
  insert: BulkInsert;
  now: number;
}

export interface WriteHooks {
  /** Test seam: runs after all writes, before COMMIT (simulates a slow writer). */
  beforeCommit?: () => Promise<void>;
}

/** Integration keys, indexed so codes and numbers resolve without scanning documents. */
function naturalKeyOf(collection: string, data: Record<string, unknown>): string | null {
  const key = collection === 'warehouses' ? data.code : collection === 'products' ? data.number : undefined;
  return typeof key === 'string' ? key : null;
}

/**
 * Runs one write transaction that may change replicated documents.
 *
 * The first statement locks the change counter row. That lock is held until
 * COMMIT, so writers take turns and sequence order equals commit order: a
 * reader that has seen sequence N can never later meet an uncommitted N-1.
 * It also makes every read-then-write inside `work` race-free.
 */
export async function writeTransaction<T>(
  store: Store,
  notifier: ChangeNotifier | undefined,
  work: (writer: Writer) => Promise<T>,
  hooks: WriteHooks = {},
): Promise<T> {
  let lastSeq = 0;
  const touched = new Set<string>();
  const result = await store.db.transaction().execute(async (trx) => {
    const locked = await trx
      .updateTable('change_counter')
      .set({ value: sql<number>`value` })
      .where('id', '=', 1)
      .returning('value')
      .executeTakeFirstOrThrow();
    const pending = new Map<string, DocWrite>();
    const insert = bulkInserter(trx, store.sqlite);
    const writer: Writer = {
      trx,
      engine: store.engine,
      insert,
      now: Date.now(),
      put(doc) {
        const key = `${doc.collection}\u0000${doc.id}`;
        pending.delete(key); // re-insert so the sequence follows the order of the last write
        pending.set(key, doc);
      },
    };
    const value = await work(writer);
    let seq = locked.value;
    const rows: DocsTable[] = [];
    for (const doc of pending.values()) {
      seq += 1;
      touched.add(doc.collection);
      rows.push({
        collection: doc.collection,
        id: doc.id,
        seq,
        deleted: doc.data._deleted === true ? 1 : 0,
        scope_a: doc.scopeA,
        scope_b: doc.scopeB,
        owner_id: doc.ownerId ?? null,
        natural_key: naturalKeyOf(doc.collection, doc.data),
        data: JSON.stringify(doc.data),
      });
    }
    // owner_id is kept: the author of a document stays its author.
    await insert('docs', rows, { conflict: ['collection', 'id'], update: ['seq', 'deleted', 'scope_a', 'scope_b', 'natural_key', 'data'] });
    if (seq !== locked.value) {
      await trx.updateTable('change_counter').set({ value: seq }).where('id', '=', 1).execute();
    }
    if (store.engine === 'postgres') {
      // Delivered by PostgreSQL at COMMIT, to every backend instance.
      for (const c of touched) await sql`select pg_notify(${CHANGES_CHANNEL}, ${c})`.execute(trx);
    }
    if (hooks.beforeCommit) await hooks.beforeCommit();
    lastSeq = seq;
    return value;
  });
  // Only after COMMIT: a stream must never announce a change that could still roll back.
  if (touched.size > 0) notifier?.committed(touched, lastSeq);
  return result;
}

export interface StoredDoc {
  id: string;
  seq: number;
  deleted: boolean;
  scopeA: string | null;
  scopeB: string | null;
  ownerId: string | null;
  data: Record<string, unknown>;
}

/** Loads the current master state of documents by id (missing ids are absent from the map). */
export async function loadDocs(
  db: Transaction<Database> | Store['db'],
  collection: string,
  ids: Iterable<string>,
): Promise<Map<string, StoredDoc>> {
  const unique = [...new Set(ids)];
  const found = new Map<string, StoredDoc>();
  for (let i = 0; i < unique.length; i += 900) {
    const rows = await db
      .selectFrom('docs')
      .selectAll()
      .where('collection', '=', collection)
      .where('id', 'in', unique.slice(i, i + 900))
      .execute();
    for (const r of rows) {
      found.set(r.id, {
        id: r.id,
        seq: r.seq,
        deleted: r.deleted === 1,
        scopeA: r.scope_a,
        scopeB: r.scope_b,
        ownerId: r.owner_id,
        data: JSON.parse(r.data) as Record<string, unknown>,
      });
    }
  }
  return found;
}
