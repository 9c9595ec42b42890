/**
 * References between maps (a purchase order's warehouse and its lines'
 * products): which ERP records a page of records points at, and a RefLookup
 * over the links of those records, for the map engine to translate them.
 */
import type { Kysely } from 'kysely';
import { readChildren, readPath } from '../maps/paths.js';
import { createLinkLookup, matches, type LinkLookup } from '../maps/index.js';
import type { ErpFields, MapBody } from '../maps/types.js';
import type { Database } from '../../store/tables.js';
import type { ErpRecord } from '../connector.js';
import { linksByErpId } from './links.js';

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
