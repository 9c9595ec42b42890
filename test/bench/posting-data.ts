/**
 * The posting bench's world and its traffic: warehouses (half of them forbid
 * negative stock), products, opening levels, open purchase orders, and a
 * deterministic stream of mixed transactions and receipts. Used in the bench
 * process (posting core) and in the server process (HTTP push), so both post
 * the same kind of traffic against the same master data.
 */
import { randomUUID } from 'node:crypto';
import { demoId, random } from '../../server/demo/data.js';
import { inventoryDocWrite } from '../../server/ledger/state.js';
import type { Store } from '../../server/store/open.js';
import { writeTransaction } from '../../server/store/write.js';
import type { InventoryTransaction, Product, PurchaseOrder, Receipt, Warehouse } from '../../shared/collections.js';
import { units, type Units } from '../../shared/decimal.js';

export const POSTING_WAREHOUSES = 20;
export const POSTING_PRODUCTS = 500;
/** Lines per purchase order; every posting warehouse has one open PO. */
const PO_LINES = 25;
/** Ordered per PO line: receipts of a few units never fill it, so every receipt stays receivable. */
const PO_LINE_ORDERED = 10_000_000;
export const POSTING_USER = 'bench-poster';
export const POSTING_PASSWORD = 'bench-poster-password';

export interface PostingWorld {
  /** In the poster's scope; even ones allow negative stock, odd ones forbid it. */
  warehouses: Warehouse[];
  /** Exists, but outside the poster's scope: its transactions are rejected. */
  foreignWarehouse: Warehouse;
  products: Product[];
  purchaseOrders: PurchaseOrder[];
  /** Opening on hand per "warehouseId~productId", scaled units. */
  opening: Map<string, Units>;
}

export function postingWorld(): PostingWorld {
  const warehouse = (code: string, i: number): Warehouse => ({
    id: demoId(`posting:${code}`),
    code,
    name: `Posting bench ${code}`,
    kind: i % 3 === 0 ? 'warehouse' : 'truck',
    externallyMaintained: false,
    allowNegativeStock: i % 2 === 0,
    active: true,
  });
  const warehouses = Array.from({ length: POSTING_WAREHOUSES }, (_, i) => warehouse(`PB-${String(i + 1).padStart(2, '0')}`, i));
  const foreignWarehouse = warehouse('PB-FOREIGN', 0);
  const products: Product[] = Array.from({ length: POSTING_PRODUCTS }, (_, i) => {
    const number = `PBP-${String(i + 1).padStart(4, '0')}`;
    return { id: demoId(`posting:${number}`), number, name: `Posting bench part ${i + 1}`, unit: i % 5 === 0 ? 'M' : 'EA', barcodes: [], tracking: 'none', active: true };
  });
  const purchaseOrders: PurchaseOrder[] = warehouses.map((w, i) => ({
    id: demoId(`posting:PO-${w.code}`),
    number: `PO-PB-${i + 1}`,
    vendorName: 'Posting bench supply',
    status: 'open',
    warehouseId: w.id,
    lines: Array.from({ length: PO_LINES }, (_, j) => {
      const product = products[(i * 17 + j * 7) % products.length] as Product;
      return { lineNumber: j + 1, productId: product.id, quantityOrdered: PO_LINE_ORDERED, quantityReceived: 0, unit: product.unit };
    }),
  }));
  const rnd = random(4242);
  const opening = new Map<string, Units>();
  for (const w of [...warehouses, foreignWarehouse]) {
    for (const p of products) opening.set(levelKey(w.id, p.id), units(w.allowNegativeStock ? Math.floor(rnd() * 200) : 50 + Math.floor(rnd() * 400)));
  }
  return { warehouses, foreignWarehouse, products, purchaseOrders, opening };
}

export const levelKey = (warehouseId: string, productId: string): string => `${warehouseId}~${productId}`;

/** Writes the world through writeTransaction, with the same document writes the ledger makes. */
export async function seedPostingWorld(store: Store, world: PostingWorld): Promise<void> {
  await writeTransaction(store, undefined, async (w) => {
    for (const d of [...world.warehouses, world.foreignWarehouse]) w.put({ collection: 'warehouses', id: d.id, data: { ...d, _deleted: false }, scopeA: null, scopeB: null });
    for (const d of world.products) w.put({ collection: 'products', id: d.id, data: { ...d, _deleted: false }, scopeA: null, scopeB: null });
    for (const d of world.purchaseOrders) w.put({ collection: 'purchaseOrders', id: d.id, data: { ...d, _deleted: false }, scopeA: d.warehouseId, scopeB: null });
    const levels = [...world.opening].map(([key, onHand]) => {
      const [warehouseId = '', productId = ''] = key.split('~');
      return { warehouseId, productId, onHand, onOrder: 0 as Units, ordered: 0 as Units };
    });
    for (let i = 0; i < levels.length; i += 400) {
      await w.trx
        .insertInto('onhand')
        .values(levels.slice(i, i + 400).map((l) => ({ warehouse_id: l.warehouseId, product_id: l.productId, on_hand: l.onHand, on_order: 0, ordered: 0, last_count_at: null })))
        .execute();
    }
    for (const l of levels) w.put(inventoryDocWrite(l));
  });
}

export type WireTransaction = InventoryTransaction & { _deleted: false };
export type WireReceipt = Receipt & { _deleted: false };

export interface PostingBatch {
  transactions: WireTransaction[];
  receipts: WireReceipt[];
}

/**
 * Mixed traffic, as devices send it: adjustments 44%, consumptions 25%,
 * transfers 15%, counts 10%, receipts 5%, and 1% for a warehouse outside the
 * poster's scope (rejected). Dates run forward with up to two minutes of
 * jitter back, so some lines arrive after a later count (superseded) and
 * counts meet lines dated after them; consumptions in strict warehouses
 * sometimes take more than is left (rejected).
 */
export class PostingTraffic {
  private readonly rnd: () => number;
  private clock: number;

  constructor(
    private readonly world: PostingWorld,
    seed: number,
    start = Date.now() - 60 * 60 * 1000,
  ) {
    this.rnd = random(seed);
    this.clock = start;
  }

  batch(size: number): PostingBatch {
    const transactions: WireTransaction[] = [];
    const receipts: WireReceipt[] = [];
    for (let i = 0; i < size; i += 1) {
      const roll = this.rnd();
      if (roll < 0.05) receipts.push(this.receipt());
      else transactions.push(this.transaction(roll));
    }
    return { transactions, receipts };
  }

  private pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.rnd() * items.length)] as T;
  }

  private occurredAt(): string {
    this.clock += 5;
    return new Date(this.clock - Math.floor(this.rnd() * 120_000)).toISOString();
  }

  /** 1 to 40 units, a quarter of them with decimals. */
  private quantity(): number {
    const whole = 1 + Math.floor(this.rnd() * 40);
    return this.rnd() < 0.25 ? whole + Math.floor(this.rnd() * 10_000) / 10_000 : whole;
  }

  private transaction(roll: number): WireTransaction {
    const base = { id: randomUUID(), productId: this.pick(this.world.products).id, occurredAt: this.occurredAt(), status: 'pending' as const, _deleted: false as const };
    const warehouseId = this.pick(this.world.warehouses).id;
    if (roll < 0.06) return { ...base, type: 'adjustment', warehouseId: this.world.foreignWarehouse.id, quantity: this.quantity(), reasonCode: 'FOUND' };
    if (roll < 0.5) {
      const q = this.quantity();
      return { ...base, type: 'adjustment', warehouseId, quantity: this.rnd() < 0.4 ? -q : q, reasonCode: 'CORRECTION', note: 'bench adjustment' };
    }
    if (roll < 0.75) return { ...base, type: 'consumption', warehouseId, quantity: this.quantity(), reasonCode: 'JOB', note: 'used on a job' };
    if (roll < 0.9) {
      let toWarehouseId = this.pick(this.world.warehouses).id;
      if (toWarehouseId === warehouseId) toWarehouseId = (this.world.warehouses.find((w) => w.id !== warehouseId) as Warehouse).id;
      return { ...base, type: 'transfer', warehouseId, toWarehouseId, quantity: this.quantity() };
    }
    return { ...base, type: 'count', warehouseId, quantity: Math.floor(this.rnd() * 300) };
  }

  private receipt(): WireReceipt {
    const po = this.pick(this.world.purchaseOrders);
    const line = this.pick(po.lines);
    return {
      id: randomUUID(),
      purchaseOrderId: po.id,
      warehouseId: po.warehouseId,
      receivedAt: this.occurredAt(),
      lines: [{ lineNumber: line.lineNumber, productId: line.productId, quantity: 1 + Math.floor(this.rnd() * 5) }],
      status: 'pending',
      _deleted: false,
    };
  }
}
