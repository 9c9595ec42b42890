/** How a rejected document reads in "Needs attention". */
import type { DeepReadonly } from 'rxdb';
import type { Product, PurchaseOrder, Warehouse } from '../../shared/collections.js';
import { MOVE_LABELS, moveQuantity, moveWhere, productLabel, warehouseCode } from '../transactions/describe-move.js';
import type { AttentionItem } from './attention-items.js';

export interface ItemLookups {
  products: ReadonlyMap<string, DeepReadonly<Product>>;
  warehouses: ReadonlyMap<string, DeepReadonly<Warehouse>>;
  purchaseOrders: ReadonlyMap<string, DeepReadonly<PurchaseOrder>>;
}

export interface ItemText {
  kind: string;
  what: string;
  where: string;
  quantity: string;
}

export function describeItem(item: AttentionItem, lookups: ItemLookups): ItemText {
  if (item.kind === 'transaction') {
    const tx = item.doc;
    return { kind: MOVE_LABELS[tx.type].kind, what: productLabel(lookups.products, tx.productId), where: moveWhere(tx, lookups.warehouses), quantity: moveQuantity(tx) };
  }
  const receipt = item.doc;
  const order = lookups.purchaseOrders.get(receipt.purchaseOrderId);
  const lines = receipt.lines.length === 1 ? '1 line' : `${receipt.lines.length} lines`;
  return {
    kind: 'Receipt',
    what: `${order ? order.number : receipt.purchaseOrderId} (${lines})`,
    where: warehouseCode(lookups.warehouses, receipt.warehouseId),
    quantity: receipt.lines.map((l) => `${l.quantity}${l.unit ? ` ${l.unit}` : ''}`).join(', '),
  };
}
