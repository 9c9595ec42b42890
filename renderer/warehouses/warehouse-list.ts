import type { DeepReadonly } from 'rxdb';
import type { Warehouse } from '../../shared/collections.js';
import type { GeoPosition } from '../../shared/platform.js';
import { haversineKm } from './distance.js';

export const KIND_FILTERS = ['all', 'warehouse', 'truck'] as const;
export type KindFilter = (typeof KIND_FILTERS)[number];

export type WarehouseOrder = 'code' | 'nearby';

export interface ListedWarehouse {
  warehouse: DeepReadonly<Warehouse>;
  /** Null without an origin or without coordinates on the warehouse. */
  distanceKm: number | null;
}

export interface WarehouseQuery {
  text: string;
  kind: KindFilter;
  /** Where distances are measured from; null when the position is unknown. */
  origin: GeoPosition | null;
  order: WarehouseOrder;
}

function position(w: DeepReadonly<Warehouse>): GeoPosition | null {
  return w.latitude === undefined || w.longitude === undefined ? null : { latitude: w.latitude, longitude: w.longitude };
}

/** Search by code, name or address, filter by kind, and order by code or by distance (sites without coordinates last). */
export function listWarehouses(warehouses: readonly DeepReadonly<Warehouse>[], query: WarehouseQuery): ListedWarehouse[] {
  const text = query.text.trim().toLowerCase();
  const listed = warehouses
    .filter((w) => query.kind === 'all' || w.kind === query.kind)
    .filter((w) => !text || w.code.toLowerCase().includes(text) || w.name.toLowerCase().includes(text) || (w.address ?? '').toLowerCase().includes(text))
    .map((warehouse) => {
      const at = position(warehouse);
      return { warehouse, distanceKm: query.origin && at ? haversineKm(query.origin, at) : null };
    });
  const byCode = (a: ListedWarehouse, b: ListedWarehouse) => (a.warehouse.code < b.warehouse.code ? -1 : a.warehouse.code > b.warehouse.code ? 1 : 0);
  if (query.order === 'code' || !query.origin) return listed.sort(byCode);
  return listed.sort((a, b) => {
    if (a.distanceKm === null || b.distanceKm === null) return a.distanceKm === b.distanceKm ? byCode(a, b) : a.distanceKm === null ? 1 : -1;
    return a.distanceKm - b.distanceKm || byCode(a, b);
  });
}
