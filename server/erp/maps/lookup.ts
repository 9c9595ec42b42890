/**
 * A RefLookup over known links (local id ↔ ERP reference per map), held in
 * memory: what the initial sync builds as it matches records by key, and what
 * the live sync loads from its link table.
 */
import type { ErpValue, RefLookup } from './types.js';

export interface LinkLookup extends RefLookup {
  /** Records a link; a later link for the same local id or ERP reference replaces the earlier one. */
  link(map: string, localId: string, erpRef: ErpValue): void;
}

// ERP references are ids (numbers for Tryton, text elsewhere): 7 and "7" are the same record.
const refKey = (erpRef: ErpValue) => String(erpRef);

export function createLinkLookup(links: Record<string, readonly (readonly [string, ErpValue])[]> = {}): LinkLookup {
  const toErp = new Map<string, Map<string, ErpValue>>();
  const toLocal = new Map<string, Map<string, string>>();
  const table = <V>(maps: Map<string, Map<string, V>>, map: string) => {
    let m = maps.get(map);
    if (!m) maps.set(map, (m = new Map()));
    return m;
  };
  const lookup: LinkLookup = {
    link(map, localId, erpRef) {
      const forward = table(toErp, map);
      const backward = table(toLocal, map);
      const previous = forward.get(localId);
      if (previous !== undefined) backward.delete(refKey(previous));
      const previousLocal = backward.get(refKey(erpRef));
      if (previousLocal !== undefined) forward.delete(previousLocal);
      forward.set(localId, erpRef);
      backward.set(refKey(erpRef), localId);
    },
    toErp: (map, localId) => toErp.get(map)?.get(localId),
    toLocal: (map, erpRef) => toLocal.get(map)?.get(refKey(erpRef)),
  };
  for (const [map, pairs] of Object.entries(links)) for (const [localId, erpRef] of pairs) lookup.link(map, localId, erpRef);
  return lookup;
}
