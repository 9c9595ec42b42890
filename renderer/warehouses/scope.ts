import type { DeepReadonly } from 'rxdb';
import type { Warehouse } from '../../shared/collections.js';
import type { SessionUser } from '../../shared/wire.js';

/** The warehouses a user works in; as on the adjustment form, an admin (or a user with no list) has every one. */
export function warehousesInScope<W extends DeepReadonly<Warehouse>>(warehouses: readonly W[], user: SessionUser | null): W[] {
  if (!user || user.role === 'admin' || user.warehouseIds.length === 0) return [...warehouses];
  const scope = new Set(user.warehouseIds);
  return warehouses.filter((w) => scope.has(w.id));
}

/** Where a technician starts: their truck, else the first warehouse in scope. */
export function defaultWarehouseId(inScope: readonly DeepReadonly<Warehouse>[]): string | null {
  return (inScope.find((w) => w.kind === 'truck') ?? inScope[0])?.id ?? null;
}
