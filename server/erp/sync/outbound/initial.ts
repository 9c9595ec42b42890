/**
 * The initial run's other direction: after an initial sweep of a two-way map
 * has linked every ERP record it could, the local documents of that map's
 * slice still without a link exist only in Fieldstock (trucks and payment
 * terms made before the ERP was connected). Each is queued for the ERP once,
 * through the same outbox handler a pushed change uses, which creates it
 * there by its integration key (so an ERP record holding the key is found,
 * not duplicated). Documents are read a page at a time; the count lands in
 * the run's summary as `queuedForErp`.
 */
import { loadDocs, writeTransaction } from '../../../store/write.js';
import { matches } from '../../maps/index.js';
import type { EntityMap } from '../../maps/types.js';
import { enqueue } from '../../outbox/enqueue.js';
import type { SyncDeps } from '../deps.js';
import { linksByLocalId } from '../links.js';
import type { RunSummary } from '../../../../shared/erp/sync-wire.js';
import { OUTBOUND_OPERATION } from './maps.js';

const PAGE = 500;

export async function queueUnlinkedForErp(deps: SyncDeps, map: EntityMap, summary: RunSummary): Promise<void> {
  for (let after = ''; ; ) {
    const rows = await deps.store.db
      .selectFrom('docs')
      .select(['id', 'seq'])
      .where('collection', '=', map.collection)
      .where('deleted', '=', 0)
      .where('id', '>', after)
      .orderBy('id')
      .limit(PAGE)
      .execute();
    if (rows.length === 0) return;
    after = rows[rows.length - 1]?.id ?? after;
    const linked = await linksByLocalId(deps.store.db, map.name, rows.map((r) => r.id));
    const unlinked = rows.filter((r) => !linked.has(r.id));
    if (unlinked.length === 0) continue;
    const queued = await writeTransaction(deps.store, deps.notifier, async (w) => {
      // Read again under the write lock: the filter is judged on the document as it is now.
      const docs = await loadDocs(w.trx, map.collection, unlinked.map((r) => r.id));
      let count = 0;
      for (const doc of docs.values()) {
        if (doc.deleted || !matches(map, 'local', doc.data)) continue;
        // Its own dedupe key: a push's key names the sequence a change replaces, and must not be taken by this item.
        const item = await enqueue(w, { map: map.name, operation: OUTBOUND_OPERATION, documentId: doc.id, dedupeKey: `initial:${map.name}:${doc.id}`, payload: null });
        if (item.created) count += 1;
      }
      return count;
    });
    summary.queuedForErp += queued;
    if (queued > 0) deps.log.info({ map: map.name, queued }, 'ERP sync: local documents the ERP does not have queued for it');
  }
}
