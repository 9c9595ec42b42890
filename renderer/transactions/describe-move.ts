/** How a move reads in lists and messages: its kind, where it happened and its quantity. */
import type { DeepReadonly } from 'rxdb';
import type { InventoryTransaction, Product, Warehouse } from '../../shared/collections.js';
import { formatUnits, negateUnits, units } from '../../shared/decimal.js';
import type { TransactionType } from '../../shared/schemas/inventory-transactions.js';

export const MOVE_LABELS: Record<TransactionType, { tab: string; kind: string; title: string; save: string }> = {
  adjustment: { tab: 'Adjust', kind: 'Adjustment', title: 'Adjust stock', save: 'Save adjustment' },
  count: { tab: 'Count', kind: 'Count', title: 'Count stock', save: 'Save count' },
  transfer: { tab: 'Transfer', kind: 'Transfer', title: 'Transfer stock', save: 'Save transfer' },
  consumption: { tab: 'Consume', kind: 'Parts used', title: 'Record parts used', save: 'Save parts used' },
};

/** "+2" / "-2" for adjustments, "=7" for a count, "-2" for parts used, "2" for a transfer. */
export function moveQuantity(tx: Pick<DeepReadonly<InventoryTransaction>, 'type' | 'quantity'>): string {
  const q = units(tx.quantity);
  switch (tx.type) {
    case 'adjustment':
      return q > 0 ? `+${formatUnits(q)}` : formatUnits(q);
    case 'count':
      return `=${formatUnits(q)}`;
    case 'consumption':
      return formatUnits(negateUnits(q));
    case 'transfer':
      return formatUnits(q);
  }
}

export function warehouseCode(warehouses: ReadonlyMap<string, DeepReadonly<Warehouse>>, id: string): string {
  return warehouses.get(id)?.code ?? id;
}

/** "TRUCK-1" or "TRUCK-1 → WH-MAIN". */
export function moveWhere(tx: Pick<DeepReadonly<InventoryTransaction>, 'warehouseId' | 'toWarehouseId'>, warehouses: ReadonlyMap<string, DeepReadonly<Warehouse>>): string {
  const from = warehouseCode(warehouses, tx.warehouseId);
  return tx.toWarehouseId ? `${from} → ${warehouseCode(warehouses, tx.toWarehouseId)}` : from;
}

export function productLabel(products: ReadonlyMap<string, DeepReadonly<Product>>, id: string): string {
  const product = products.get(id);
  return product ? `${product.number} — ${product.name}` : id;
}
