/**
 * Which purchase orders the Receive screen offers: the ones still receivable,
 * delivered to a warehouse or truck in the user's scope, narrowed by a search.
 */
import type { DeepReadonly } from 'rxdb';
import type { PurchaseOrder, Warehouse } from '../../shared/collections.js';
import type { PurchaseOrderStatus } from '../../shared/schemas/purchase-orders.js';

/** What the server accepts a receipt for; anything else is rejected `po-not-open`. */
export const RECEIVABLE_STATUSES = ['open', 'partially-received'] as const satisfies readonly PurchaseOrderStatus[];

export function isReceivable(status: PurchaseOrderStatus): boolean {
  return (RECEIVABLE_STATUSES as readonly string[]).includes(status);
}

export interface OpenOrderRow {
  id: string;
  number: string;
  vendorName: string;
  warehouseLabel: string;
  expectedDate: string | null;
  status: PurchaseOrderStatus;
  lineCount: number;
}

/**
 * Receivable orders for the warehouses in scope, matching `query` in the PO
 * number or the vendor, earliest expected first (what is due first is what
 * arrives first); orders without a date come last.
 */
export function openOrderRows(
  orders: readonly DeepReadonly<PurchaseOrder>[],
  inScope: readonly DeepReadonly<Warehouse>[],
  query: string,
): OpenOrderRow[] {
  const warehouses = new Map(inScope.map((w) => [w.id, w]));
  const needle = query.trim().toLowerCase();
  return orders
    .filter((po) => isReceivable(po.status) && warehouses.has(po.warehouseId))
    .filter((po) => !needle || [po.number, po.vendorName, po.vendorCode ?? ''].some((text) => text.toLowerCase().includes(needle)))
    .map((po) => {
      const warehouse = warehouses.get(po.warehouseId);
      return {
        id: po.id,
        number: po.number,
        vendorName: po.vendorName,
        warehouseLabel: warehouse ? `${warehouse.code} — ${warehouse.name}` : po.warehouseId,
        expectedDate: po.expectedDate ?? null,
        status: po.status,
        lineCount: po.lines.length,
      };
    })
    .sort((a, b) => compareDates(a.expectedDate, b.expectedDate) || a.number.localeCompare(b.number));
}

function compareDates(a: string | null, b: string | null): number {
  if (a === b) return 0;
  if (a === null) return 1;
  if (b === null) return -1;
  return a < b ? -1 : 1;
}
