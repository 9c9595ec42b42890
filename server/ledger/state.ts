import { inventoryId } from '../../shared/schemas/inventory.js';
import { toQuantity, type Units } from '../../shared/decimal.js';
import type { Product, PurchaseOrder, Warehouse } from '../../shared/collections.js';
import { timeOrderedId } from '../store/ordered-id.js';
import type { JournalLinesTable, OnHandTable } from '../store/tables.js';
import { loadDocs, type Writer } from '../store/write.js';
import { countKey, countsOf, levelsOf, loadLevels, storedAfter } from './batch-reads.js';

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
  /** Loaded from `sources`: the only levels this batch may touch. */
  private exactLevels: Set<string> | undefined;
  /** Per count (countKey): the stored lines dated after it, summed up front. */
  private readonly countSums = new Map<string, number>();

  constructor(private readonly writer: Writer) {}

  /**
   * With `sources` (the batch's documents), on hand is loaded for exactly the
   * levels they name and the counts among them get their later lines summed in
   * one statement; without, for every warehouse x product given.
   */
  async load(refs: {
    productIds: Iterable<string>;
    warehouseIds: Iterable<string>;
    purchaseOrderIds?: Iterable<string>;
    sources?: readonly Record<string, unknown>[];
  }): Promise<void> {
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
    if (refs.sources) {
      const levels = levelsOf(refs.sources);
      this.exactLevels = new Set(levels.keys());
      for (const r of await loadLevels(trx, this.writer.engine, [...levels.values()])) this.onhand.set(key(r.warehouse_id, r.product_id), fromRow(r));
      for (const [k, total] of await storedAfter(trx, countsOf(refs.sources, this.writer.now))) this.countSums.set(k, total);
      return;
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
      // A level outside what load() read could exist in the store: treating it as empty would corrupt it.
      if (this.exactLevels && !this.exactLevels.has(k)) throw new Error(`on hand of ${warehouseId} / ${productId} was not loaded for this batch`);
      row = { warehouseId, productId, onHand: 0 as Units, onOrder: 0 as Units, ordered: 0 as Units, lastCountAt: null, dirty: false };
      this.onhand.set(k, row);
    }
    return row;
  }

  /** Sum of what lines dated after `occurredAt` moved, already posted or posted earlier in this batch. */
  async appliedAfter(warehouseId: string, productId: string, occurredAt: string): Promise<Units> {
    let total = this.countSums.get(countKey(warehouseId, productId, occurredAt)) ?? (await this.storedAfter(warehouseId, productId, occurredAt));
    for (const l of this.lines) {
      if (l.warehouse_id === warehouseId && l.product_id === productId && l.occurred_at > occurredAt) total += l.quantity;
    }
    return total as Units;
  }

  /** The stored part of appliedAfter for a count load() did not see (the batch's own lines are not stored yet). */
  private async storedAfter(warehouseId: string, productId: string, occurredAt: string): Promise<number> {
    const row = await this.writer.trx
      .selectFrom('journal_lines')
      .select((eb) => eb.fn.coalesce(eb.fn.sum<number>('quantity'), eb.val(0)).as('total'))
      .where('warehouse_id', '=', warehouseId)
      .where('product_id', '=', productId)
      .where('occurred_at', '>', occurredAt)
      .executeTakeFirst();
    return Number(row?.total ?? 0);
  }

  /** `journal` keys the ERP aggregation (server/ledger/aggregation/); line numbers follow `effects`. */
  addJournalLines(
    journalId: string,
    sourceId: string,
    occurredAt: string,
    effects: LineEffect[],
    journal: { name: string; warehouseId: string; toWarehouseId: string | null },
  ): void {
    effects.forEach((e, i) => {
      this.lines.push({
        id: timeOrderedId(),
        journal_id: journalId,
        source_id: sourceId,
        warehouse_id: e.warehouseId,
        product_id: e.productId,
        occurred_at: occurredAt,
        quantity: e.applied,
        requested_quantity: e.requested,
        posted_at: this.writer.now,
        journal_name: journal.name,
        line_number: i + 1,
        journal_warehouse_id: journal.warehouseId,
        journal_to_warehouse_id: journal.toWarehouseId,
        aggregation_status: 'pending',
        erp_journal_id: null,
        erp_line_number: null,
      });
    });
  }

  /** Writes the projection rows, journal lines and the changed inventory / PO documents. */
  async flush(): Promise<void> {
    const { insert } = this.writer;
    const dirty = [...this.onhand.values()].filter((r) => r.dirty);
    await insert('onhand', dirty.map(toRow), { conflict: ['warehouse_id', 'product_id'], update: ['on_hand', 'on_order', 'ordered', 'last_count_at'] });
    for (const r of dirty) this.writer.put(inventoryDocWrite(r));
    await insert('journal_lines', this.lines);
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
