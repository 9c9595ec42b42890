import type { Kysely } from 'kysely';
import type { Store } from '../../store/open.js';
import type { Database, ErpOutboxTable } from '../../store/tables.js';
import { writeTransaction } from '../../store/write.js';
import type { OutboxStatus } from '../../../shared/erp/outbox-wire.js';

/** Items newest first (by last change), optionally of one status and map. */
export async function listOutboxItems(db: Kysely<Database>, filter: { status?: OutboxStatus | undefined; map?: string | undefined; limit: number }): Promise<ErpOutboxTable[]> {
  let query = db.selectFrom('erp_outbox').selectAll().orderBy('updated_at', 'desc').orderBy('seq', 'desc').limit(filter.limit);
  if (filter.status) query = query.where('status', '=', filter.status);
  if (filter.map) query = query.where('map_name', '=', filter.map);
  return query.execute();
}

export type RetryResult = { ok: true; item: ErpOutboxTable } | { ok: false; reason: 'not-found' } | { ok: false; reason: 'not-poison'; status: OutboxStatus };

/**
 * Gives a poison item a fresh start: pending now, attempts back to 0. Its
 * last error stays until it is delivered, so the admin still sees why it
 * failed. Under the write lock, like every outbox change.
 */
export async function retryItem(store: Store, id: string, now: number): Promise<RetryResult> {
  return writeTransaction(store, undefined, async (writer) => {
    const row = await writer.trx.selectFrom('erp_outbox').selectAll().where('id', '=', id).executeTakeFirst();
    if (!row) return { ok: false, reason: 'not-found' } as const;
    if (row.status !== 'poison') return { ok: false, reason: 'not-poison', status: row.status } as const;
    await writer.trx.updateTable('erp_outbox').set({ status: 'pending', attempts: 0, next_attempt_at: now, updated_at: now }).where('id', '=', id).execute();
    const item = await writer.trx.selectFrom('erp_outbox').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
    return { ok: true, item } as const;
  });
}

/** Pauses or resumes a map. While paused its items are not claimed (those in flight finish); changes still queue. */
export async function setMapPaused(store: Store, map: string, paused: boolean, reason: string | null, now: number): Promise<void> {
  await writeTransaction(store, undefined, async (writer) => {
    await writer.trx
      .insertInto('erp_map_state')
      .values({ map_name: map, paused: paused ? 1 : 0, paused_at: paused ? now : null, reason: paused ? reason : null, updated_at: now })
      .onConflict((oc) =>
        oc.column('map_name').doUpdateSet({ paused: paused ? 1 : 0, paused_at: paused ? now : null, reason: paused ? reason : null, updated_at: now }),
      )
      .execute();
  });
}
