import type { RxConflictHandler, WithDeleted } from 'rxdb';
import { deepEqual } from 'rxdb/plugins/utils';

/** Storage bookkeeping RxDB may leave on one side of a comparison and not the other. */
const BOOKKEEPING = new Set(['_attachments', '_meta', '_rev']);

function content<T>(doc: WithDeleted<T>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(doc).filter(([key]) => !BOOKKEEPING.has(key)));
}

/**
 * The server is the master: it posts transactions, sets their status and owns
 * on-hand. When a push conflicts, the server's state replaces the device's.
 * Nothing the user did is lost by this: transactions are immutable and
 * created with fresh ids, so a conflict on one means the server already has
 * it (posted or rejected, which the device then shows).
 */
export function masterWinsConflictHandler<T>(): RxConflictHandler<T> {
  return {
    isEqual: (a, b) => deepEqual(content(a), content(b)),
    resolve: async (input) => input.realMasterState,
  };
}
