/**
 * Which maps the inbound sync applies, in an order where referenced maps come
 * first (warehouses and products before the purchase orders that point at
 * them), and why the others are left out.
 */
import type { EntityMap, MapSet } from '../maps/types.js';

/** Collections whose ERP records become documents as they are. */
const DOCUMENT_COLLECTIONS: ReadonlySet<string> = new Set(['warehouses', 'products', 'purchaseOrders', 'referenceData', 'customerAssets']);

export function inboundReason(map: EntityMap): string | null {
  if (!map.enabled) return 'the map is disabled';
  if (map.direction === 'to-erp') return 'the map flows to the ERP only';
  if (map.collection === 'inventory') return 'inventory levels from the ERP become delta journals, not document writes';
  if (!DOCUMENT_COLLECTIONS.has(map.collection)) return `the inbound sync does not handle ${map.collection} yet`;
  return null;
}

/** The inbound maps, each after the maps it refers to. */
export function inboundMaps(set: MapSet): EntityMap[] {
  const wanted = new Map(set.maps.filter((m) => inboundReason(m) === null).map((m) => [m.name, m]));
  const ordered: EntityMap[] = [];
  const visiting = new Set<string>();
  const visit = (map: EntityMap) => {
    if (ordered.includes(map) || visiting.has(map.name)) return;
    visiting.add(map.name);
    for (const ref of refsOf(map)) {
      const target = wanted.get(ref);
      if (target) visit(target);
    }
    ordered.push(map);
  };
  for (const map of [...wanted.values()].sort((a, b) => a.name.localeCompare(b.name))) visit(map);
  return ordered;
}

function refsOf(body: Pick<EntityMap, 'fields' | 'children'>): string[] {
  return [...body.fields.flatMap((f) => (f.ref ? [f.ref] : [])), ...body.children.flatMap((c) => refsOf(c))];
}
