/**
 * Which levels the ERP is the master of: warehouses linked to ERP records
 * (through the inventory map's warehouse reference) whose document says
 * `externallyMaintained`, times the products linked through its product
 * reference (the products map's filter chose them: stocked goods with a
 * code) and passing the inventory map's own ERP filter, if it has one.
 */
import type { Kysely } from 'kysely';
import type { Database } from '../../store/tables.js';
import type { ErpConnector } from '../connector.js';
import type { EntityMap, MapSet } from '../maps/types.js';
import { pushedDownFilter } from '../sync/erp-filter.js';

export interface LinkedRecord {
  localId: string;
  erpId: string;
  /** Warehouse code or product number. */
  key: string;
}

export interface LevelsScope {
  map: EntityMap;
  warehouses: LinkedRecord[];
  products: LinkedRecord[];
}

export type ScopeResult = { ok: true; scope: LevelsScope } | { ok: false; note: string };

export async function levelsScope(db: Kysely<Database>, connector: ErpConnector, maps: MapSet): Promise<ScopeResult> {
  const map = maps.maps.find((m) => m.collection === 'inventory');
  if (!map) return { ok: false, note: 'There is no inventory map: the ERP is master of no level.' };
  if (!map.enabled) return { ok: false, note: `The inventory map "${map.name}" is disabled.` };
  if (map.direction === 'to-erp') return { ok: false, note: `The inventory map "${map.name}" flows to the ERP only.` };
  const productMap = map.fields.find((f) => f.local === 'productId')?.ref;
  const warehouseMap = map.fields.find((f) => f.local === 'warehouseId')?.ref;
  if (!productMap || !warehouseMap) return { ok: false, note: `The inventory map "${map.name}" needs productId and warehouseId references.` };

  const warehouses = (await linked(db, warehouseMap, 'warehouses')).filter((w) => w.data.externallyMaintained === true && w.data.active !== false);
  let products = await linked(db, productMap, 'products');
  if (map.filter.erp.length > 0) {
    // The ERP applies what it can of the map's filter; only products it returns are ours to level.
    const allowed = new Set(await connector.readIds(map.model, pushedDownFilter(map.filter.erp)));
    products = products.filter((p) => allowed.has(p.erpId));
  }
  const strip = ({ localId, erpId, key }: LinkedRecord) => ({ localId, erpId, key });
  return { ok: true, scope: { map, warehouses: warehouses.map(strip), products: products.map(strip) } };
}

async function linked(db: Kysely<Database>, mapName: string, collection: 'warehouses' | 'products'): Promise<(LinkedRecord & { data: Record<string, unknown> })[]> {
  const rows = await db
    .selectFrom('erp_record_links as l')
    .innerJoin('docs as d', (j) => j.onRef('d.id', '=', 'l.local_id').on('d.collection', '=', collection))
    .select(['l.local_id', 'l.erp_id', 'd.natural_key', 'd.data'])
    .where('l.map', '=', mapName)
    .where('d.deleted', '=', 0)
    .orderBy('d.natural_key')
    .execute();
  return rows.map((r) => ({ localId: r.local_id, erpId: r.erp_id, key: r.natural_key ?? r.local_id, data: JSON.parse(r.data) as Record<string, unknown> }));
}
