/**
 * Delivers one queued change of a two-way map to the ERP. The document is
 * read as it is now (a later change rides along); a linked record is
 * updated under the ERP's optimistic lock, an unlinked one is created once
 * by its integration key (our reference). A record the ERP changed since
 * the last sync is a conflict settled by the map's policy: erp-wins applies
 * the ERP's record locally through the inbound sync (which logs the
 * conflict), app-wins writes ours over it. What was written is handed to
 * onDone (hooks.ts) to update the link, so the next inbound run sees its own
 * write as an echo.
 */
import type { ErpRecord } from '../../connector.js';
import { ErpError } from '../../errors.js';
import { diff, erpReadFields, integrationKey, matches, resolveConflict, toErp, type LinkLookup } from '../../maps/index.js';
import type { EntityMap, ErpFields, LocalDoc } from '../../maps/types.js';
import type { OutboxDelivery, OutboxHandler } from '../../outbox/types.js';
import { loadDocs } from '../../../store/write.js';
import { applyRecords } from '../apply.js';
import type { SyncDeps } from '../deps.js';
import { linksByLocalId } from '../links.js';
import { lookupForDocument } from '../references.js';
import { emptySummary } from '../types.js';

/** What a delivery wrote, for its onDone hook (same process, same run). */
export interface Written {
  erpId: string;
  /** The ERP record's change stamp after our write: what the link stores as its ERP version. */
  erpChangedAt: string;
  /** The document's sequence that was sent. */
  localSeq: number;
}

export type WrittenByItem = Map<string, Written>;

export function outboundHandler(deps: SyncDeps, map: EntityMap, written: WrittenByItem): OutboxHandler {
  return async (item) => {
    const result = await deliver(deps, map, item);
    if (result) written.set(item.id, result);
    return result ? { erpId: result.erpId } : undefined;
  };
}

async function deliver(deps: SyncDeps, map: EntityMap, item: OutboxDelivery): Promise<Written | undefined> {
  const doc = (await loadDocs(deps.store.db, map.collection, [item.documentId])).get(item.documentId);
  // A document that left this map's slice (its kind changed) is not this map's to send.
  if (!doc || !matches(map, 'local', doc.data)) return undefined;
  const link = (await linksByLocalId(deps.store.db, map.name, [doc.id])).get(doc.id);
  // A deleted document deactivates its ERP record; one the ERP never had stays unknown there.
  if (doc.deleted && !link) return undefined;
  const local: LocalDoc = doc.deleted ? { ...doc.data, active: false } : doc.data;
  // References (an asset's product) go out as the ERP's ids of the linked records.
  const lookup = await lookupForDocument(deps.store.db, map, local);
  const mapped = toErp(map, local, { create: !link, lookup });
  if (!mapped.ok) throw new ErpError('erp-config', `${map.collection} ${doc.id} cannot be mapped for the ERP: ${mapped.problems.map((p) => p.message).join('; ')}`);
  const fields = erpReadFields(map);

  let erpId: string;
  let current: ErpRecord | undefined;
  if (link) {
    erpId = link.erpId;
    current = await readOne(deps, map, erpId, fields);
    if (!current) throw new ErpError('erp-user-error', `The ERP record ${map.model} ${erpId} linked to this ${map.collection} no longer exists.`);
  } else {
    const key = integrationKey(map, 'local', doc.data, { lookup });
    if (!key.ok) throw new ErpError('erp-config', `${map.collection} ${doc.id} has no integration key: ${key.problems.map((p) => p.message).join('; ')}`);
    const created = await deps.connector.createOnce(map.model, key.value.key, mapped.value);
    erpId = created.erpId;
    current = await readOne(deps, map, erpId, fields);
    if (!current) throw new ErpError('erp-protocol', `The ERP record ${map.model} ${erpId} was created but cannot be read back.`);
    if (created.created) return { erpId, erpChangedAt: current.changedAt, localSeq: doc.seq };
  }

  const toWrite = toUpdate(map, local, mapped.value, current.values, await lookupForDocument(deps.store.db, map, local, [current]));
  // Already what we would write (a delivery repeated after its outcome was lost, or the same edit on both sides).
  if (Object.keys(toWrite).length === 0) return { erpId, erpChangedAt: current.changedAt, localSeq: doc.seq };
  if (!link || link.erpVersion !== current.changedAt) {
    // Changed in the ERP since the last sync (or an ERP record we never synced holds our key): both sides changed.
    const decision = resolveConflict(map, { erpChangedAt: current.changedAt });
    deps.log.info({ map: map.name, localId: doc.id, erpId, winner: decision.winner, reason: decision.reason }, 'ERP outbound: changed on both sides since the last sync');
    if (decision.winner === 'erp') {
      // The inbound sync applies the ERP's record, links it and logs the conflict: the local change is overwritten.
      const summary = emptySummary('changes');
      await applyRecords(deps, map, [current], summary);
      if (summary.failed > 0) throw new ErpError('erp-user-error', summary.failures.map((f) => f.message).join('; '));
      return undefined;
    }
  }
  await deps.connector.update(map.model, erpId, toWrite, { expectedVersion: current.version });
  const after = await readOne(deps, map, erpId, fields);
  if (!after) throw new ErpError('erp-protocol', `The ERP record ${map.model} ${erpId} was written but cannot be read back.`);
  return { erpId, erpChangedAt: after.changedAt, localSeq: doc.seq };
}

async function readOne(deps: SyncDeps, map: EntityMap, erpId: string, fields: readonly string[]): Promise<ErpRecord | undefined> {
  return (await deps.connector.read(map.model, [erpId], fields))[0];
}

/** Only the fields we write whose value differs from the ERP's, compared in local terms (Tryton's 1 is our true). */
function toUpdate(map: EntityMap, local: LocalDoc, mapped: ErpFields, erp: Readonly<ErpFields>, lookup: LinkLookup): ErpFields {
  const differing = new Set(diff(map, local, erp, { lookup }).filter((d) => d.direction !== 'from-erp').map((d) => d.erp));
  return Object.fromEntries(Object.entries(mapped).filter(([field]) => differing.has(field)));
}
