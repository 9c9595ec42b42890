import { useMemo } from 'react';
import type { DeepReadonly } from 'rxdb';
import { map } from 'rxjs';
import type { Product } from '../../shared/collections.js';
import type { FieldstockDatabase } from '../db/database.js';
import { plain$, useLiveQuery } from '../db/use-live-query.js';
import { pendingChanges } from './pending-change.js';
import { serverStock, withPending, type StockTable } from './stock-rows.js';
import { usePendingSources } from './use-pending.js';

/**
 * One warehouse's stock, live: server levels, products and this device's
 * pending transactions, each from its own query so that a change to one
 * rebuilds only what depends on it.
 */
export function useStockRows(db: FieldstockDatabase, warehouseId: string | null): StockTable | undefined {
  const products = useLiveQuery(
    () => plain$(db.products.find()).pipe(map((docs) => new Map<string, DeepReadonly<Product>>(docs.map((p) => [p.id, p])))),
    [db],
  );
  const levels = useLiveQuery(
    () => plain$(db.inventory.find({ selector: { warehouseId: warehouseId ?? '' } })).pipe(map((inventory) => ({ warehouseId, inventory }))),
    [db, warehouseId],
  );
  const pending = usePendingSources(db, products);

  // The previous warehouse's levels stay in state until the new query answers: never show them under the new name.
  const current = levels && levels.warehouseId === warehouseId ? levels.inventory : undefined;
  const server = useMemo(() => (current && products ? serverStock(current, products) : undefined), [current, products]);
  return useMemo(() => {
    if (!server || !pending || !products || warehouseId === null) return undefined;
    return withPending(server, pendingChanges(pending.transactions, warehouseId, pending.receiptLines), products);
  }, [server, pending, products, warehouseId]);
}
