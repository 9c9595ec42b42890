import { sql } from 'kysely';
import { timeOrderedId } from '../../store/ordered-id.js';
import type { Writer } from '../../store/write.js';
import { OUTBOX_NAME, type OutboxRequest } from './types.js';

export interface Enqueued {
  id: string;
  /** False when an item with this dedupe key already existed (its id is returned). */
  created: boolean;
}

/**
 * Queues an ERP write inside the caller's write transaction, so the change
 * and its outbox row commit together or not at all: no change reaches the
 * database without its ERP write queued, and no ERP write is queued for a
 * change that rolled back.
 *
 * The sequence is allocated under the write lock writeTransaction holds,
 * so enqueue order is commit order.
 */
export async function enqueue(writer: Writer, request: OutboxRequest): Promise<Enqueued> {
  if (!OUTBOX_NAME.test(request.map)) throw new Error(`outbox: map "${request.map}" must match ${String(OUTBOX_NAME)}`);
  if (!OUTBOX_NAME.test(request.operation)) throw new Error(`outbox: operation "${request.operation}" must match ${String(OUTBOX_NAME)}`);
  if (request.documentId === '' || request.dedupeKey === '') throw new Error('outbox: documentId and dedupeKey must not be empty');
  const payload = JSON.stringify(request.payload ?? null);
  const existing = await findByDedupeKey(writer, request.dedupeKey);
  if (existing) return { id: existing, created: false };
  const last = await writer.trx
    .selectFrom('erp_outbox')
    .select(sql<number | null>`max(seq)`.as('seq'))
    .executeTakeFirst();
  const id = timeOrderedId();
  const now = Date.now();
  const inserted = await writer.trx
    .insertInto('erp_outbox')
    .values({
      id,
      seq: Number(last?.seq ?? 0) + 1,
      map_name: request.map,
      operation: request.operation,
      document_id: request.documentId,
      dedupe_key: request.dedupeKey,
      payload,
      status: 'pending',
      attempts: 0,
      next_attempt_at: now,
      claim_id: null,
      lease_expires_at: null,
      last_error_code: null,
      last_error_message: null,
      last_error_at: null,
      erp_id: null,
      created_at: now,
      updated_at: now,
    })
    // The unique key still decides, whatever a read said.
    .onConflict((oc) => oc.column('dedupe_key').doNothing())
    .returning('id')
    .executeTakeFirst();
  if (inserted) return { id: inserted.id, created: true };
  const raced = await findByDedupeKey(writer, request.dedupeKey);
  if (!raced) throw new Error(`outbox: dedupe key ${request.dedupeKey} conflicted but no item holds it`);
  return { id: raced, created: false };
}

async function findByDedupeKey(writer: Writer, dedupeKey: string): Promise<string | undefined> {
  const row = await writer.trx.selectFrom('erp_outbox').select('id').where('dedupe_key', '=', dedupeKey).executeTakeFirst();
  return row?.id;
}
