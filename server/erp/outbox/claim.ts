import { randomUUID } from 'node:crypto';
import { sql, type Kysely } from 'kysely';
import type { Writer } from '../../store/write.js';
import type { Database, ErpOutboxTable } from '../../store/tables.js';

export const LEASE_EXPIRED = 'outbox-lease-expired';

export interface Claim {
  claimId: string;
  leaseExpiresAt: number;
  items: ErpOutboxTable[];
  /** In-flight items whose lease had run out (a crashed or stuck worker): back to pending, or poison past max attempts. */
  reclaimed: number;
  reclaimedToPoison: number;
}

export interface ClaimOptions {
  now: number;
  limit: number;
  leaseMs: number;
  maxAttempts: number;
  /** Only items this worker can deliver. */
  pairs: readonly { map: string; operation: string }[];
}

/**
 * Claims due items, under the write lock (the caller's writeTransaction), so
 * two workers, in this process or another instance, never claim one item.
 *
 * An item is due when it is pending, its next attempt time has come, its
 * map is not paused and no earlier item of the same (map, document) is
 * still undelivered: a later update never overtakes an earlier create,
 * not even one that is failing or set aside as poison.
 */
export async function claimDue(writer: Writer, options: ClaimOptions): Promise<Claim> {
  const { now } = options;
  const trx = writer.trx;
  const expired = await trx
    .selectFrom('erp_outbox')
    .select(['id', 'attempts'])
    .where('status', '=', 'in-flight')
    .where('lease_expires_at', '<=', now)
    .execute();
  const toPoison = expired.filter((r) => r.attempts >= options.maxAttempts).map((r) => r.id);
  const toPending = expired.filter((r) => r.attempts < options.maxAttempts).map((r) => r.id);
  const leaseMessage = 'The worker delivering this item stopped before recording an outcome (a crash or a stall); it is delivered again with the same idempotency key.';
  for (const [ids, status] of [
    [toPending, 'pending'],
    [toPoison, 'poison'],
  ] as const) {
    if (ids.length === 0) continue;
    await trx
      .updateTable('erp_outbox')
      .set({ status, next_attempt_at: now, claim_id: null, lease_expires_at: null, last_error_code: LEASE_EXPIRED, last_error_message: leaseMessage, last_error_at: now, updated_at: now })
      .where('id', 'in', ids)
      .execute();
  }

  const claimId = randomUUID();
  const leaseExpiresAt = now + options.leaseMs;
  if (options.pairs.length === 0 || options.limit < 1) return { claimId, leaseExpiresAt, items: [], reclaimed: toPending.length, reclaimedToPoison: toPoison.length };
  const due = await trx
    .selectFrom('erp_outbox as o')
    .select('o.id')
    .where('o.status', '=', 'pending')
    .where('o.next_attempt_at', '<=', now)
    .where((eb) => eb.or(options.pairs.map((p) => eb.and([eb('o.map_name', '=', p.map), eb('o.operation', '=', p.operation)]))))
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('erp_map_state as s')
            .select(sql<number>`1`.as('one'))
            .whereRef('s.map_name', '=', 'o.map_name')
            .where('s.paused', '=', 1),
        ),
      ),
    )
    .where((eb) =>
      eb.not(
        eb.exists(
          eb
            .selectFrom('erp_outbox as e')
            .select(sql<number>`1`.as('one'))
            .whereRef('e.map_name', '=', 'o.map_name')
            .whereRef('e.document_id', '=', 'o.document_id')
            .whereRef('e.seq', '<', 'o.seq')
            .where('e.status', '<>', 'done'),
        ),
      ),
    )
    .orderBy('o.seq')
    .limit(options.limit)
    .execute();
  const ids = due.map((r) => r.id);
  if (ids.length === 0) return { claimId, leaseExpiresAt, items: [], reclaimed: toPending.length, reclaimedToPoison: toPoison.length };
  await trx
    .updateTable('erp_outbox')
    .set({ status: 'in-flight', attempts: sql<number>`attempts + 1`, claim_id: claimId, lease_expires_at: leaseExpiresAt, updated_at: now })
    .where('id', 'in', ids)
    .execute();
  const items = await trx.selectFrom('erp_outbox').selectAll().where('claim_id', '=', claimId).orderBy('seq').execute();
  return { claimId, leaseExpiresAt, items, reclaimed: toPending.length, reclaimedToPoison: toPoison.length };
}

/** A cheap read before taking the write lock: is anything this worker handles due, or anything stuck? An idle outbox then costs no lock. */
export async function anythingDue(db: Kysely<Database>, now: number, pairs: ClaimOptions['pairs']): Promise<boolean> {
  const row = await db
    .selectFrom('erp_outbox')
    .select('id')
    .where((eb) =>
      eb.or([
        eb.and([
          eb('status', '=', 'pending'),
          eb('next_attempt_at', '<=', now),
          eb.or(pairs.map((p) => eb.and([eb('map_name', '=', p.map), eb('operation', '=', p.operation)]))),
          eb.not(eb.exists(eb.selectFrom('erp_map_state as s').select(sql<number>`1`.as('one')).whereRef('s.map_name', '=', 'erp_outbox.map_name').where('s.paused', '=', 1))),
        ]),
        eb.and([eb('status', '=', 'in-flight'), eb('lease_expires_at', '<=', now)]),
      ]),
    )
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}
