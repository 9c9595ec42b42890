/**
 * Applies ERP records of one map to Fieldstock: each record is mapped with
 * fromErp, matched to its local document (through the link table, else by
 * integration key), and created or updated — a page in one write
 * transaction, with its links, and with on order kept right for purchase
 * orders. Records the filter excludes, echoes (the ERP version we already
 * synced) and records that cannot be mapped are counted and listed, never
 * written; a record that cannot be mapped never stops the others.
 */
import { randomUUID } from 'node:crypto';
import type { PurchaseOrder } from '../../../shared/collections.js';
import { applyPurchaseOrderChanges, type PurchaseOrderChange } from '../../ledger/on-order.js';
import { describeErrors } from '../../replication/registry.js';
import { loadDocs, writeTransaction, type StoredDoc } from '../../store/write.js';
import type { ErpRecord } from '../connector.js';
import { diff, erpReadFields, fromErp, integrationKey, matches, resolveConflict, sameValue, type LinkLookup } from '../maps/index.js';
import type { EntityMap, LocalFields } from '../maps/types.js';
import type { SyncDeps } from './deps.js';
import { linksByErpId, linksByLocalId, saveLinks, stampLocalSeq, type Link } from './links.js';
import { docsByField } from './local-docs.js';
import { mergeLocal } from './merge.js';
import { lookupFor, referencedIds } from './references.js';
import type { RunSummary } from '../../../shared/erp/sync-wire.js';
import { emptySummary, note } from './types.js';

/** How deep unlinked references are followed (a PO's product is synced on the way; a product refers to nothing). */
const MAX_REFERENCE_DEPTH = 2;

interface Prepared {
  record: ErpRecord;
  key: string;
  created: LocalFields;
  updated: LocalFields;
}

export async function applyRecords(deps: SyncDeps, map: EntityMap, records: readonly ErpRecord[], summary: RunSummary, depth = 0): Promise<void> {
  summary.processed += records.length;
  const wanted = records.filter((r) => {
    if (matches(map, 'erp', r.values)) return true;
    summary.skipped += 1;
    return false;
  });
  if (wanted.length === 0) return;

  // Echoes first (re-read in the overlap window, or our own write coming back): nothing to do, no reference to resolve.
  // An initial run compares every record instead: an ERP edit no change stamp recorded (a purchase line deleted on its own) shows there.
  const full = summary.kind === 'initial';
  const known = await linksByErpId(deps.store.db, map.name, wanted.map((r) => r.erpId));
  const changed = wanted.filter((r) => {
    if (full || known.get(r.erpId)?.erpVersion !== r.changedAt) return true;
    summary.echoes += 1;
    return false;
  });
  if (changed.length === 0) return;

  const lookup = await resolveReferences(deps, map, changed, depth);
  const prepared: Prepared[] = [];
  for (const record of changed) {
    const created = fromErp(map, record.values, { lookup, create: true });
    const updated = fromErp(map, record.values, { lookup });
    const key = integrationKey(map, 'erp', record.values, { lookup });
    const problems = [...(created.ok ? [] : created.problems), ...(key.ok ? [] : key.problems)];
    if (!created.ok || !updated.ok || !key.ok) {
      fail(deps, map, summary, { erpId: record.erpId, ...(key.ok ? { key: key.value.key } : {}), code: problems[0]?.code ?? 'invalid-document', message: problems.map((p) => p.message).join('; ') });
      continue;
    }
    prepared.push({ record, key: key.value.key, created: created.value, updated: updated.value });
  }
  if (prepared.length === 0) return;
  await writePage(deps, map, prepared, lookup, summary, full);
}

/** A lookup for the page's references, syncing referenced records that are not linked yet (a PO before its product). */
async function resolveReferences(deps: SyncDeps, map: EntityMap, records: readonly ErpRecord[], depth: number): Promise<LinkLookup> {
  const refs = referencedIds(map, records);
  const first = await lookupFor(deps.store.db, refs);
  if (first.unlinked.size === 0 || depth >= MAX_REFERENCE_DEPTH) return first.lookup;
  for (const [refName, ids] of first.unlinked) {
    const refMap = deps.maps.get(refName);
    if (!refMap) continue;
    const found = await deps.connector.read(refMap.model, ids, erpReadFields(refMap));
    const side = emptySummary('changes');
    await applyRecords(deps, refMap, found, side, depth + 1);
    deps.log.info({ map: refMap.name, for: map.name, created: side.created, linked: side.linked, failed: side.failed }, 'ERP sync: synced referenced records first');
    for (const f of side.failures) deps.log.warn({ map: refMap.name, ...f }, 'ERP sync: a referenced record could not be applied');
  }
  return (await lookupFor(deps.store.db, refs)).lookup;
}

function fail(deps: SyncDeps, map: EntityMap, summary: RunSummary, failure: RunSummary['failures'][number]): void {
  summary.failed += 1;
  note(summary.failures, failure);
  deps.log.warn({ map: map.name, ...failure }, 'ERP sync: record not applied');
}

type Outcome =
  | { kind: 'created' | 'updated' | 'unchanged'; localId: string; linked: boolean }
  | { kind: 'kept-local'; localId: string; linked: boolean }
  | { kind: 'failed'; code: string; message: string };

async function writePage(deps: SyncDeps, map: EntityMap, page: readonly Prepared[], lookup: LinkLookup, summary: RunSummary, full: boolean): Promise<void> {
  const policy = deps.registry.get(map.collection);
  if (!policy) throw new Error(`collection ${map.collection} is not registered`);
  const keyField = map.key[0] ?? '';
  const now = Date.now();
  const mismatches: RunSummary['mismatches'] = [];
  const conflicts: RunSummary['conflicts'] = [];

  const outcomes = await writeTransaction(deps.store, deps.notifier, async (w) => {
    // Under the write lock: links and documents as they are now (a receipt may just have posted).
    const links = await linksByErpId(w.trx, map.name, page.map((p) => p.record.erpId));
    const linkedDocs = await loadDocs(w.trx, map.collection, [...links.values()].map((l) => l.localId));
    const unlinked = page.filter((p) => !links.has(p.record.erpId));
    const byKey = new Map<string, StoredDoc>();
    if (unlinked.length > 0 && map.key.length === 1) {
      const keyValues = unlinked.map((p) => p.created[keyField]).filter((v): v is string | number => typeof v === 'string' || typeof v === 'number');
      for (const doc of await docsByField(w.trx, w.engine, map.collection, keyField, keyValues.map(String))) {
        // Only this map's slice of the collection: a payment term COD never links to a reason code COD.
        if (!matches(map, 'local', doc.data)) continue;
        const k = integrationKey(map, 'local', doc.data, { lookup });
        if (k.ok && !byKey.has(k.value.key)) byKey.set(k.value.key, doc);
      }
    }
    const taken = await linksByLocalId(w.trx, map.name, [...byKey.values()].map((d) => d.id));
    const claimed = new Set<string>();
    const newLinks: Link[] = [];
    const poChanges: PurchaseOrderChange[] = [];
    const results = new Map<string, Outcome>();

    for (const p of page) {
      const { record } = p;
      const link = links.get(record.erpId);
      let existing: StoredDoc | undefined;
      let linked = false;
      let localId: string;
      let applyErp = true;
      if (link) {
        localId = link.localId;
        existing = linkedDocs.get(localId);
        if (link.erpVersion === record.changedAt) {
          // Applied meanwhile by another run; and in a full compare, a local change the ERP has not seen yet is left for the outbound side.
          if (!full || (existing && !existing.deleted && existing.seq !== link.localSeq)) continue;
        }
        if (existing && !existing.deleted && existing.seq !== link.localSeq && link.erpVersion !== record.changedAt) {
          const decision = resolveConflict(map, { erpChangedAt: record.changedAt });
          note(conflicts, { erpId: record.erpId, localId, winner: decision.winner, reason: decision.reason });
          applyErp = decision.winner === 'erp';
        }
      } else {
        const candidate = byKey.get(p.key);
        const owner = candidate && taken.get(candidate.id);
        if (candidate && (owner || claimed.has(candidate.id))) {
          results.set(record.erpId, {
            kind: 'failed',
            code: 'invalid-document',
            message: `${map.collection} ${candidate.id} with key ${p.key} is already linked to ERP record ${owner?.erpId ?? '(another in this page)'}; two ERP records share the key`,
          });
          continue;
        }
        existing = candidate;
        localId = candidate?.id ?? randomUUID();
        linked = candidate !== undefined;
        if (candidate) {
          const differences = diff(map, candidate.data, record.values, { lookup }).filter((d) => d.direction !== 'to-erp');
          if (differences.length > 0) {
            const decision = resolveConflict(map, { erpChangedAt: record.changedAt });
            applyErp = decision.winner === 'erp';
            note(mismatches, {
              erpId: record.erpId,
              localId,
              key: p.key,
              fields: differences.map((d) => ({ field: d.local, local: d.localValue ?? null, erp: d.erpValue ?? null })),
              resolution: `${decision.winner === 'erp' ? 'local document updated from the ERP' : 'local document kept'} (${decision.reason})`,
            });
          }
        }
      }
      claimed.add(localId);
      const live = existing && !existing.deleted ? existing : undefined;
      const linkRow: Link = { map: map.name, localId, erpId: record.erpId, erpVersion: record.changedAt, localSeq: live?.seq ?? 0, syncedAt: now };
      if (!applyErp && live) {
        // The local change still has to reach the ERP: keep it marked as changed, so the policy decides again next time.
        newLinks.push({ ...linkRow, localSeq: link?.localSeq ?? -1 });
        results.set(record.erpId, { kind: 'kept-local', localId, linked });
        continue;
      }
      const next = mergeLocal(map, live?.data, localId, p.created, p.updated);
      if (!policy.validate({ ...next, _deleted: false })) {
        results.set(record.erpId, { kind: 'failed', code: 'invalid-document', message: `the mapped ${map.collection} document is not valid: ${describeErrors(policy.validate)}` });
        continue;
      }
      newLinks.push(linkRow);
      const { _deleted: _ignored, ...before } = live?.data ?? {};
      if (live && sameValue(before, next)) {
        results.set(record.erpId, { kind: 'unchanged', localId, linked });
        continue;
      }
      const [scopeA, scopeB] = policy.scopeOf(next);
      w.put({ collection: map.collection, id: localId, data: { ...next, _deleted: false }, scopeA, scopeB });
      if (map.collection === 'purchaseOrders') poChanges.push({ before: (live?.data as PurchaseOrder | undefined) ?? null, after: next as PurchaseOrder });
      results.set(record.erpId, { kind: live ? 'updated' : 'created', localId, linked });
    }
    if (poChanges.length > 0) await applyPurchaseOrderChanges(w, poChanges);
    await saveLinks(w.trx, newLinks);
    return results;
  });

  await stampLocalSeq(deps.store.db, map.name, map.collection, [...outcomes.values()].flatMap((o) => ('localId' in o && o.kind !== 'kept-local' ? [o.localId] : [])));

  for (const m of mismatches) {
    note(summary.mismatches, m);
    deps.log.warn({ map: map.name, ...m }, 'ERP sync: same key, different values');
  }
  for (const c of conflicts) {
    note(summary.conflicts, c);
    deps.log.info({ map: map.name, ...c }, 'ERP sync: changed on both sides since the last sync');
  }
  for (const p of page) {
    const o = outcomes.get(p.record.erpId);
    if (!o) {
      summary.echoes += 1;
      continue;
    }
    if (o.kind === 'failed') {
      fail(deps, map, summary, { erpId: p.record.erpId, key: p.key, code: o.code, message: o.message });
      continue;
    }
    if (o.linked) summary.linked += 1;
    if (o.kind === 'created') summary.created += 1;
    else if (o.kind === 'updated') summary.updated += 1;
    else summary.unchanged += 1;
  }
}
