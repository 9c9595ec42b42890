/**
 * Deterministic bench data, generated the same way in every process (our
 * backend, RxDB's websocket server, the client that verifies counts).
 */
import { demoId, random } from '../../server/demo/data.js';
import { toQuantity, units, type Units } from '../../shared/decimal.js';
import type { Product, Warehouse, WireDocument } from '../../shared/collections.js';
import { inventoryId } from '../../shared/schemas/inventory.js';

/** Products per bench warehouse: N inventory documents = N / 1000 warehouses x 1000 products. */
export const PRODUCTS_PER_WAREHOUSE = 1000;

export type InventoryDoc = WireDocument<'inventory'>;

export interface BenchData {
  warehouses: Warehouse[];
  products: Product[];
  inventory: InventoryDoc[];
  /** The on-hand projection rows behind the inventory documents (scaled units). */
  levels: { warehouseId: string; productId: string; onHand: Units; onOrder: Units; ordered: Units }[];
}

export function benchWarehouseCount(n: number): number {
  return Math.ceil(n / PRODUCTS_PER_WAREHOUSE);
}

/** A random quantity with up to 4 decimals, as scaled units. */
function quantity(rnd: () => number, max: number, decimals: boolean): Units {
  const whole = Math.floor(rnd() * max);
  const fraction = decimals && rnd() < 0.3 ? Math.floor(rnd() * 10_000) : 0;
  return units(`${whole}.${String(fraction).padStart(4, '0')}`);
}

/** N inventory documents with realistic fields, plus the warehouses and products they point at. */
export function benchData(n: number): BenchData {
  const rnd = random(20_26);
  const warehouseCount = benchWarehouseCount(n);
  const warehouses: Warehouse[] = Array.from({ length: warehouseCount }, (_, i) => {
    const code = `BTRUCK-${String(i + 1).padStart(3, '0')}`;
    return {
      id: demoId(`bench:${code}`),
      code,
      name: `Bench truck ${i + 1}`,
      kind: 'truck',
      latitude: 47 + rnd(),
      longitude: -122 - rnd(),
      externallyMaintained: false,
      allowNegativeStock: true,
      active: true,
    };
  });
  const products: Product[] = Array.from({ length: Math.min(n, PRODUCTS_PER_WAREHOUSE) }, (_, i) => {
    const number = `BP-${String(i + 1).padStart(5, '0')}`;
    return { id: demoId(`bench:${number}`), number, name: `Bench part ${i + 1}`, unit: i % 7 === 0 ? 'M' : 'EA', barcodes: [`49${String(i).padStart(11, '0')}`], tracking: 'none', active: true };
  });
  const inventory: InventoryDoc[] = [];
  const levels: BenchData['levels'] = [];
  for (let i = 0; i < n; i += 1) {
    const warehouse = warehouses[Math.floor(i / PRODUCTS_PER_WAREHOUSE)];
    const product = products[i % PRODUCTS_PER_WAREHOUSE];
    if (!warehouse || !product) throw new Error('bench data: index out of range');
    const level = {
      warehouseId: warehouse.id,
      productId: product.id,
      onHand: quantity(rnd, 500, product.unit === 'M'),
      onOrder: rnd() < 0.2 ? quantity(rnd, 50, false) : (0 as Units),
      ordered: rnd() < 0.1 ? quantity(rnd, 20, false) : (0 as Units),
    };
    levels.push(level);
    inventory.push({
      id: inventoryId(level.warehouseId, level.productId),
      warehouseId: level.warehouseId,
      productId: level.productId,
      onHand: toQuantity(level.onHand),
      onOrder: toQuantity(level.onOrder),
      ordered: toQuantity(level.ordered),
      _deleted: false,
    });
  }
  return { warehouses, products, inventory, levels };
}
