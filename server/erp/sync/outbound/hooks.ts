/**
 * What the app shows of an outbound delivery, written in the transaction
 * that records its outcome: done → the link gets the ERP version our write
 * produced (the next inbound run then sees it as an echo) and a refusal
 * shown earlier is cleared; poison → the document carries the ERP's
 * refusal as `erpError`, so the app shows it (where its schema has that
 * field). Neither queues anything for the ERP: these writes do not go
 * through a push.
 */
import { collectionSchemas, isCollectionName } from '../../../../shared/collections.js';
import type { OutboxError } from '../../../../shared/erp/outbox-wire.js';
import type { OutboxHooks, OutboxItemRef } from '../../outbox/types.js';
import type { EntityMap } from '../../maps/types.js';
import type { CollectionPolicy } from '../../../replication/registry.js';
import { loadDocs, type StoredDoc, type Writer } from '../../../store/write.js';
import { saveLinks } from '../links.js';
import type { WrittenByItem } from './deliver.js';

export function outboundHooks(map: EntityMap, policy: CollectionPolicy, written: WrittenByItem): OutboxHooks {
  return {
    async onDone(writer, item) {
      const done = written.get(item.id);
      written.delete(item.id);
      const doc = await liveDoc(writer, map, item);
      let localSeq = done?.localSeq;
      if (doc && doc.data.erpError !== undefined) {
        const { erpError: _cleared, ...rest } = doc.data;
        put(writer, policy, doc, rest);
        // The only document this transaction writes gets the next sequence (server/store/write.ts); the link must name it, or this clean-up would read as a local change.
        if (localSeq === doc.seq) localSeq = (await currentSequence(writer)) + 1;
      }
      if (done && localSeq !== undefined) {
        await saveLinks(writer.trx, [{ map: map.name, localId: item.documentId, erpId: done.erpId, erpVersion: done.erpChangedAt, localSeq, syncedAt: writer.now }]);
      }
    },
    async onPoison(writer, item, error: OutboxError) {
      const doc = await liveDoc(writer, map, item);
      // A collection without an erpError field would show the refusal in the outbox only (admin API, `npm run erp -- errors`).
      if (!doc || !showsErpError(map.collection)) return;
      const erpError = { code: error.code.slice(0, 64), message: error.message.slice(0, 2000) || 'The ERP refused the change without a message.', at: new Date(writer.now).toISOString() };
      put(writer, policy, doc, { ...doc.data, erpError });
    },
  };
}

function showsErpError(collection: string): boolean {
  return isCollectionName(collection) && 'erpError' in collectionSchemas[collection].properties;
}

async function liveDoc(writer: Writer, map: EntityMap, item: OutboxItemRef): Promise<StoredDoc | undefined> {
  const doc = (await loadDocs(writer.trx, map.collection, [item.documentId])).get(item.documentId);
  return doc && !doc.deleted ? doc : undefined;
}

function put(writer: Writer, policy: CollectionPolicy, doc: StoredDoc, data: Record<string, unknown>): void {
  const [scopeA, scopeB] = policy.scopeOf(data);
  writer.put({ collection: policy.name, id: doc.id, data: { ...data, _deleted: false }, scopeA, scopeB, ownerId: doc.ownerId });
}

async function currentSequence(writer: Writer): Promise<number> {
  const row = await writer.trx.selectFrom('change_counter').select('value').where('id', '=', 1).executeTakeFirstOrThrow();
  return Number(row.value);
}
