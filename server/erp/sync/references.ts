/**
 * References between maps (a purchase order's warehouse and its lines'
 * products): which ERP records a page of records points at, and a RefLookup
 * over the links of those records, for the map engine to translate them.
 */
import type { Kysely } from 'kysely';
import { readChildren, readPath } from '../maps/paths.js';
import { createLinkLookup, matches, type LinkLookup } from '../maps/index.js';
import type { ErpFields, LocalDoc, MapBody } from '../maps/types.js';
import type { Database } from '../../store/tables.js';
import type { ErpRecord } from '../connector.js';
import { linksByErpId, linksByLocalId } from './links.js';

/** ERP ids referenced by the records, per referenced map. */
export function referencedIds(map: MapBody, records: readonly ErpRecord[]): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const add = (ref: string, value: unknown) => {
    // Tryton references are ids; an empty one (null) references nothing.
    if (typeof value !== 'number' && typeof value !== 'string') return;
    let set = out.get(ref);
    if (!set) out.set(ref, (set = new Set()));
    set.add(String(value));
  };
  const visit = (body: MapBody, values: Readonly<ErpFields>) => {
    for (const f of body.fields) if (f.ref !== undefined && f.direction !== 'to-erp') add(f.ref, readPath(values, f.erp));
    for (const child of body.children) {
      for (const item of readChildren(values, child.erp) ?? []) if (matches(child, 'erp', item)) visit(child, item);
    }
  };
  for (const r of records) visit(map, r.values);
  return out;
}

/** A lookup holding the links of the referenced records; returns it with the ids that have no link yet. */
export async function lookupFor(db: Kysely<Database>, refs: ReadonlyMap<string, ReadonlySet<string>>): Promise<{ lookup: LinkLookup; unlinked: Map<string, string[]> }> {
  const lookup = createLinkLookup();
  const unlinked = new Map<string, string[]>();
  for (const [ref, ids] of refs) {
    const links = await linksByErpId(db, ref, ids);
    for (const link of links.values()) lookup.link(ref, link.localId, link.erpId);
    const missing = [...ids].filter((id) => !links.has(id));
    if (missing.length > 0) unlinked.set(ref, missing);
  }
  return { lookup, unlinked };
}

/**
 * A lookup for writing a local document to the ERP (the outbound side): its
 * reference fields' local ids (an asset's product) and, for comparing, the
 * references of the ERP's current record. Top-level fields only: no two-way
 * map has references in sub-records.
 */
export async function lookupForDocument(db: Kysely<Database>, map: MapBody, doc: LocalDoc, records: readonly ErpRecord[] = []): Promise<LinkLookup> {
  const { lookup } = await lookupFor(db, referencedIds(map, records));
  for (const f of map.fields) {
    const localId = doc[f.local];
    if (f.ref === undefined || typeof localId !== 'string') continue;
    const link = (await linksByLocalId(db, f.ref, [localId])).get(localId);
    if (link) lookup.link(f.ref, link.localId, link.erpId);
  }
  return lookup;
}
