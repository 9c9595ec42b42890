import type { Kysely } from 'kysely';
import { toQuantity, type Units } from '../../shared/decimal.js';
import type { OnHandRow, SessionUser } from '../../shared/wire.js';
import type { Database } from '../store/tables.js';

/** On-hand levels by integration keys, limited to the caller's warehouses. */
export async function queryOnHand(
  db: Kysely<Database>,
  user: SessionUser,
  filter: { warehouseCode?: string | undefined; productNumber?: string | undefined },
): Promise<OnHandRow[]> {
  let query = db
    .selectFrom('onhand')
    .innerJoin('docs as w', (j) => j.onRef('w.id', '=', 'onhand.warehouse_id').on('w.collection', '=', 'warehouses'))
    .innerJoin('docs as p', (j) => j.onRef('p.id', '=', 'onhand.product_id').on('p.collection', '=', 'products'))
    .select(['w.natural_key as warehouseCode', 'p.natural_key as productNumber', 'onhand.on_hand', 'onhand.on_order', 'onhand.ordered']);
  if (filter.warehouseCode) query = query.where('w.natural_key', '=', filter.warehouseCode);
  if (filter.productNumber) query = query.where('p.natural_key', '=', filter.productNumber);
  if (user.role !== 'admin') {
    if (user.warehouseIds.length === 0) return [];
    query = query.where('onhand.warehouse_id', 'in', user.warehouseIds);
  }
  const rows = await query.orderBy('w.natural_key').orderBy('p.natural_key').limit(10_000).execute();
  return rows.map((r) => ({
    warehouseCode: r.warehouseCode ?? '',
    productNumber: r.productNumber ?? '',
    onHand: toQuantity(r.on_hand as Units),
    onOrder: toQuantity(r.on_order as Units),
    ordered: toQuantity(r.ordered as Units),
  }));
}
