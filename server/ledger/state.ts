import { randomUUID } from 'node:crypto';
import { inventoryId } from '../../shared/schemas/inventory.js';
import { toQuantity, type Units } from '../../shared/decimal.js';
import type { Product, PurchaseOrder, Warehouse } from '../../shared/collections.js';
import type { JournalLinesTable, OnHandTable } from '../store/tables.js';
import { loadDocs, type Writer } from '../store/write.js';

export interface OnHandRow {
  warehouseId: string;
  productId: string;
  onHand: Units;
  onOrder: Units;
  ordered: Units;
  lastCountAt: string | null;
  dirty: boolean;
}

export interface LineEffect {
  warehouseId: string;
  productId: string;
  /** What the source asked for. */
  requested: Units;
  /** What it moved (0 when an earlier-dated line arrives after a count). */
  applied: Units;
}

const key = (w: string, p: string) => `${w}\u0000${p}`;

/**
 * Everything one posting batch reads, loaded in a few queries up front, and
 * every change it makes, written in a few statements at the end (inside the
 * same database transaction, under the write lock).
 */
export class LedgerState {
  readonly products = new Map<string, Product>();
  readonly warehouses = new Map<string, Warehouse>();
  readonly purchaseOrders = new Map<string, PurchaseOrder>();
  readonly dirtyPurchaseOrders = new Set<string>();
  private readonly onhand = new Map<string, OnHandRow>();
  private readonly lines: JournalLinesTable[] = [];

  constructor(private readonly writer: Writer) {}

  async load(refs: { productIds: Iterable<string>; warehouseIds: Iterable<string>; purchaseOrderIds?: Iterable<string> }): Promise<void> {
    const { trx } = this.writer;
    const productIds = [...new Set(refs.productIds)];
    const warehouseIds = [...new Set(refs.warehouseIds)];
    for (const d of (await loadDocs(trx, 'products', productIds)).values()) {
      if (!d.deleted) this.products.set(d.id, d.data as unknown as Product);
    }
    for (const d of (await loadDocs(trx, 'warehouses', warehouseIds)).values()) {
      if (!d.deleted) this.warehouses.set(d.id, d.data as unknown as Warehouse);
    }
    for (const d of (await loadDocs(trx, 'purchaseOrders', refs.purchaseOrderIds ?? [])).values()) {
      if (!d.deleted) this.purchaseOrders.set(d.id, d.data as unknown as PurchaseOrder);
    }
    if (productIds.length === 0 || warehouseIds.length === 0) return;
    for (let i = 0; i < productIds.length; i += 500) {
      const rows = await trx
        .selectFrom('onhand')
        .selectAll()
        .where('warehouse_id', 'in', warehouseIds)
        .where('product_id', 'in', productIds.slice(i, i + 500))
        .execute();
      for (const r of rows) this.onhand.set(key(r.warehouse_id, r.product_id), fromRow(r));
    }
  }

  level(warehouseId: string, productId: string): OnHandRow {
    const k = key(warehouseId, productId);
    let row = this.onhand.get(k);
    if (!row) {
      row = { warehouseId, productId, onHand: 0 as Units, onOrder: 0 as Units, ordered: 0 as Units, lastCountAt: null, dirty: false };
      this.onhand.set(k, row);
    }
    return row;
  }

  /** Sum of what lines dated after `occurredAt` moved, already posted or posted earlier in this batch. */
  async appliedAfter(warehouseId: string, productId: string, occurredAt: string): Promise<Units> {
    const row = await this.writer.trx
      .selectFrom('journal_lines')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('quantity'), eb.val(0)).as('total'))
      .where('warehouse_id', '=', warehouseId)
      .where('product_id', '=', productId)
      .where('occurred_at', '>', occurredAt)
      .executeTakeFirst();
    let total = Number(row?.total ?? 0);
    for (const l of this.lines) {
      if (l.warehouse_id === warehouseId && l.product_id === productId && l.occurred_at > occurredAt) total += l.quantity;
    }
    return total as Units;
  }

  addJournalLines(journalId: string, sourceId: string, occurredAt: string, effects: LineEffect[]): void {
    for (const e of effects) {
      this.lines.push({
        id: randomUUID(),
        journal_id: journalId,
        source_id: sourceId,
        warehouse_id: e.warehouseId,
        product_id: e.productId,
        occurred_at: occurredAt,
        quantity: e.applied,
        requested_quantity: e.requested,
        posted_at: this.writer.now,
      });
    }
  }

  /** Writes the projection rows, journal lines and the changed inventory / PO documents. */
  async flush(): Promise<void> {
    const { trx } = this.writer;
    const dirty = [...this.onhand.values()].filter((r) => r.dirty);
    for (let i = 0; i < dirty.length; i += 400) {
      await trx
        .insertInto('onhand')
        .values(dirty.slice(i, i + 400).map(toRow))
        .onConflict((oc) =>
          oc.columns(['warehouse_id', 'product_id']).doUpdateSet((eb) => ({
            on_hand: eb.ref('excluded.on_hand'),
            on_order: eb.ref('excluded.on_order'),
            ordered: eb.ref('excluded.ordered'),
            last_count_at: eb.ref('excluded.last_count_at'),
          })),
        )
        .execute();
    }
    for (const r of dirty) this.writer.put(inventoryDocWrite(r));
    for (let i = 0; i < this.lines.length; i += 400) {
      await trx.insertInto('journal_lines').values(this.lines.slice(i, i + 400)).execute();
    }
    for (const id of this.dirtyPurchaseOrders) {
      const po = this.purchaseOrders.get(id);
      if (po) this.writer.put({ collection: 'purchaseOrders', id, data: { ...po, _deleted: false }, scopeA: po.warehouseId, scopeB: null });
    }
  }
}

function fromRow(r: OnHandTable): OnHandRow {
  return {
    warehouseId: r.warehouse_id,
    productId: r.product_id,
    onHand: r.on_hand as Units,
    onOrder: r.on_order as Units,
    ordered: r.ordered as Units,
    lastCountAt: r.last_count_at,
    dirty: false,
  };
}

function toRow(r: OnHandRow): OnHandTable {
  return {
    warehouse_id: r.warehouseId,
    product_id: r.productId,
    on_hand: r.onHand,
    on_order: r.onOrder,
    ordered: r.ordered,
    last_count_at: r.lastCountAt,
  };
}

export function inventoryDocWrite(r: Pick<OnHandRow, 'warehouseId' | 'productId' | 'onHand' | 'onOrder' | 'ordered'>) {
  const id = inventoryId(r.warehouseId, r.productId);
  return {
    collection: 'inventory',
    id,
    data: {
      id,
      warehouseId: r.warehouseId,
      productId: r.productId,
      onHand: toQuantity(r.onHand),
      onOrder: toQuantity(r.onOrder),
      ordered: toQuantity(r.ordered),
      _deleted: false,
    },
    scopeA: r.warehouseId,
    scopeB: null,
  };
}
