/**
 * The push hook that queues a user's change of a two-way collection for the
 * ERP, in the push's own transaction (the change and its outbox item commit
 * together). Only pushes call it: the inbound sync and the outbox hooks write
 * documents through their own transactions, so what arrives from the ERP is
 * never sent back to it (no echo).
 */
import type { PushedWrite, PushWritten } from '../../../replication/push.js';
import type { Writer } from '../../../store/write.js';
import { changedFields } from '../../maps/index.js';
import type { EntityMap } from '../../maps/types.js';
import { enqueue } from '../../outbox/enqueue.js';
import { OUTBOUND_OPERATION } from './maps.js';
import { mapsByCollection, mapsForDocument } from './select.js';

export function outboundEnqueuer(maps: readonly EntityMap[]): PushWritten {
  const byCollection = mapsByCollection(maps);
  return async (writer, write) => {
    for (const map of mapsForDocument(byCollection, write.collection, write.after)) await enqueueFor(writer, write, map);
  };
}

async function enqueueFor(writer: Writer, write: PushedWrite, map: EntityMap): Promise<void> {
  // A change of fields the ERP does not hold (coordinates, the ERP's own error) has nothing to send.
  const sendsSomething = write.before === null || write.after._deleted === true || changedFields(map, 'local', write.before, write.after).length > 0;
  if (!sendsSomething) return;
  // A refused change blocks the document's later items (outbox order). Each delivery sends the document as it is then,
  // so the corrected change re-arms the refused item (as an admin's retry would) instead of waiting behind it.
  await writer.trx
    .updateTable('erp_outbox')
    .set({ status: 'pending', attempts: 0, next_attempt_at: writer.now, updated_at: writer.now })
    .where('map_name', '=', map.name)
    .where('operation', '=', OUTBOUND_OPERATION)
    .where('document_id', '=', write.id)
    .where('status', '=', 'poison')
    .execute();
  await enqueue(writer, {
    map: map.name,
    operation: OUTBOUND_OPERATION,
    documentId: write.id,
    // The new sequence is only assigned at COMMIT; the one this write replaces names it just as uniquely.
    dedupeKey: `${write.collection}:${write.id}:${write.previousSeq}`,
    // The handler reads the document as it is at delivery: a later change is sent with it, not undone by an old payload.
    payload: null,
  });
}
