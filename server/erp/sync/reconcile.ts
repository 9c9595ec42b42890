/**
 * Reconciliation: ERPs seldom record deletions, so every linked ERP id is
 * checked against the ids the ERP still has. A local document whose ERP
 * record disappeared is never deleted: a warehouse or product becomes
 * inactive, a purchase order with nothing received is cancelled (on order
 * drops with it), and one with goods received is kept — Fieldstock received
 * them — and listed. Each is logged; its link is removed, so the record is
 * matched by key again should it come back.
 */
import { collectionSchemas, isCollectionName, type PurchaseOrder } from '../../../shared/collections.js';
import { applyPurchaseOrderChanges } from '../../ledger/on-order.js';
import { loadDocs, writeTransaction } from '../../store/write.js';
import { ErpError } from '../errors.js';
import type { EntityMap } from '../maps/types.js';
import type { SyncDeps } from './deps.js';
import { deleteLink, linksPage, type Link } from './links.js';
import type { Removal, RunSummary } from '../../../shared/erp/sync-wire.js';
import { note } from './types.js';

const PAGE = 500;

export async function reconcile(deps: SyncDeps, map: EntityMap, summary: RunSummary): Promise<void> {
  // Every id, unfiltered: a record that merely stopped passing the filter is not gone.
  const present = new Set(await deps.connector.readIds(map.model));
  const gone: Link[] = [];
  let linkCount = 0;
  for (let after = ''; ; ) {
    const links = await linksPage(deps.store.db, map.name, after, PAGE);
    if (links.length === 0) break;
    linkCount += links.length;
    for (const l of links) if (!present.has(l.erpId)) gone.push(l);
    after = links[links.length - 1]?.erpId ?? after;
  }
  summary.total = linkCount;
  summary.processed = linkCount;
  // An ERP that suddenly has no records at all is more likely the wrong database than a mass deletion.
  if (present.size === 0 && linkCount > 0) {
    throw new ErpError('erp-protocol', `the ERP lists no ${map.model} records at all while ${linkCount} are linked; nothing was marked inactive. Check the ERP database, then run reconciliation again.`);
  }
  for (const link of gone) {
    const removal = await retire(deps, map, link);
    summary.removed += removal.action === 'kept' ? 0 : 1;
    note(summary.removals, removal);
    deps.log.warn({ map: map.name, ...removal }, 'ERP sync: ERP record disappeared');
  }
}

async function retire(deps: SyncDeps, map: EntityMap, link: Link): Promise<Removal> {
  const policy = deps.registry.get(map.collection);
  const base = { erpId: link.erpId, localId: link.localId };
  const removal = await writeTransaction(deps.store, deps.notifier, async (w): Promise<Removal> => {
    const doc = (await loadDocs(w.trx, map.collection, [link.localId])).get(link.localId);
    await deleteLink(w.trx, map.name, link.erpId);
    if (!doc || doc.deleted || !policy) return { ...base, action: 'kept', message: `ERP record ${link.erpId} is gone; the local document was already gone too` };
    const data = doc.data;
    if (map.collection === 'purchaseOrders') {
      const po = data as unknown as PurchaseOrder;
      const received = po.lines.some((l) => l.quantityReceived > 0);
      if (received) return { ...base, action: 'kept', message: `ERP purchase ${link.erpId} is gone, but Fieldstock received goods on ${po.number}: kept as ${po.status}` };
      if (po.status === 'cancelled') return { ...base, action: 'kept', message: `ERP purchase ${link.erpId} is gone; ${po.number} was already cancelled` };
      const next = { ...po, status: 'cancelled' as const };
      const [scopeA, scopeB] = policy.scopeOf(next);
      w.put({ collection: map.collection, id: doc.id, data: { ...next, _deleted: false }, scopeA, scopeB });
      await applyPurchaseOrderChanges(w, [{ before: po, after: next }]);
      return { ...base, action: 'cancelled', message: `ERP purchase ${link.erpId} is gone: ${po.number} cancelled` };
    }
    if (!hasActiveField(map.collection)) return { ...base, action: 'kept', message: `ERP record ${link.erpId} is gone; ${map.collection} documents have no active flag, so ${doc.id} was left as is` };
    if (data.active === false) return { ...base, action: 'kept', message: `ERP record ${link.erpId} is gone; ${doc.id} was already inactive` };
    const { _deleted: _ignored, ...rest } = data;
    const next = { ...rest, active: false };
    const [scopeA, scopeB] = policy.scopeOf(next);
    w.put({ collection: map.collection, id: doc.id, data: { ...next, _deleted: false }, scopeA, scopeB });
    return { ...base, action: 'deactivated', message: `ERP record ${link.erpId} is gone: ${map.collection} ${String(data.code ?? data.number ?? doc.id)} marked inactive` };
  });
  return removal;
}

function hasActiveField(collection: string): boolean {
  return isCollectionName(collection) && 'active' in collectionSchemas[collection].properties;
}
