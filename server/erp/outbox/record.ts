import { sql } from 'kysely';
import type { ErpOutboxTable } from '../../store/tables.js';
import type { Writer } from '../../store/write.js';
import type { OutboxError } from '../../../shared/erp/outbox-wire.js';

export type Outcome =
  | { kind: 'done'; erpId: string | null }
  | { kind: 'retry'; error: OutboxError; nextAttemptAt: number }
  | { kind: 'poison'; error: OutboxError }
  /** Not attempted (the lease was too short to start, or the worker is stopping): back to pending, the attempt not counted. */
  | { kind: 'release' };

/**
 * Records how one delivery ended, if this worker's claim still holds. It
 * may not: a delivery that outlived its lease may have been claimed again by
 * another worker, whose outcome then counts (the handler's idempotency
 * makes the double delivery harmless). Returns false then.
 */
export async function recordOutcome(writer: Writer, item: ErpOutboxTable, claimId: string, outcome: Outcome, now: number): Promise<boolean> {
  const base = writer.trx.updateTable('erp_outbox').where('id', '=', item.id).where('claim_id', '=', claimId).where('status', '=', 'in-flight');
  const cleared = { claim_id: null, lease_expires_at: null, updated_at: now } as const;
  let query;
  switch (outcome.kind) {
    case 'done':
      query = base.set({ ...cleared, status: 'done', erp_id: outcome.erpId });
      break;
    case 'retry':
      query = base.set({ ...cleared, status: 'pending', next_attempt_at: outcome.nextAttemptAt, ...errorColumns(outcome.error, now) });
      break;
    case 'poison':
      query = base.set({ ...cleared, status: 'poison', ...errorColumns(outcome.error, now) });
      break;
    case 'release':
      query = base.set({ ...cleared, status: 'pending', attempts: sql<number>`attempts - 1` });
      break;
  }
  const result = await query.executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

function errorColumns(error: OutboxError, now: number) {
  // Bounded: an ERP can answer with a whole stack trace.
  return { last_error_code: error.code.slice(0, 100), last_error_message: error.message.slice(0, 2000), last_error_at: now };
}
