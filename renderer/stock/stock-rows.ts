/**
 * The stock list's rows, apart from React: inventory joined with products and
 * this device's pending changes, and an in-memory search over a prepared
 * index (an RxDB query per keystroke is far too slow at 50,000 rows).
 */
import type { DeepReadonly } from 'rxdb';
import type { InventoryLevel, Product } from '../../shared/collections.js';
import { units, ZERO_UNITS, type Units } from '../../shared/decimal.js';
import { onHandWithPending, type PendingChange } from './pending-change.js';

export interface StockRow {
  productId: string;
  number: string;
  name: string;
  unit: string;
  onHand: Units;
  onOrder: Units;
  ordered: Units;
  pending: PendingChange | null;
  onHandWithPending: Units;
}

/** The rows and, parallel to them, what the search looks in. */
export interface StockTable {
  rows: readonly StockRow[];
  /** One lower-case text per row (number, name, barcodes), prepared once per data change, not per keystroke. */
  index: readonly string[];
}

function compareNumbers(a: StockRow, b: StockRow): number {
  // Plain comparison: localeCompare is several times slower over 50,000 rows.
  return a.number < b.number ? -1 : a.number > b.number ? 1 : 0;
}

function makeRow(productId: string, products: ReadonlyMap<string, DeepReadonly<Product>>, onHand: Units, onOrder: Units, ordered: Units): StockRow {
  const product = products.get(productId);
  return {
    productId,
    // A level can arrive before its product does (collections sync independently).
    number: product?.number ?? productId,
    name: product?.name ?? 'Unknown product',
    unit: product?.unit ?? '',
    onHand,
    onOrder,
    ordered,
    pending: null,
    onHandWithPending: onHand,
  };
}

function searchText(row: StockRow, products: ReadonlyMap<string, DeepReadonly<Product>>): string {
  return [row.number, row.name, ...(products.get(row.productId)?.barcodes ?? [])].join('\n').toLowerCase();
}

/** The server's levels joined with products, sorted by product number: rebuilt only when levels or products change. */
export function serverStock(inventory: readonly DeepReadonly<InventoryLevel>[], products: ReadonlyMap<string, DeepReadonly<Product>>): StockTable {
  const rows = inventory.map((level) => makeRow(level.productId, products, units(level.onHand), units(level.onOrder), units(level.ordered))).sort(compareNumbers);
  return { rows, index: rows.map((row) => searchText(row, products)) };
}

/**
 * This device's pending changes laid over the server's stock. Cheap next to
 * serverStock: only rows with a change are copied, so saving an adjustment
 * does not re-sort or re-index 50,000 rows.
 */
export function withPending(stock: StockTable, pending: ReadonlyMap<string, PendingChange>, products: ReadonlyMap<string, DeepReadonly<Product>>): StockTable {
  if (pending.size === 0) return stock;
  const seen = new Set<string>();
  const rows = stock.rows.map((row) => {
    const change = pending.get(row.productId);
    if (!change) return row;
    seen.add(row.productId);
    return { ...row, pending: change, onHandWithPending: onHandWithPending(row.onHand, change) };
  });
  // A product first stocked here on this device has no level from the server yet.
  const extra = [...pending].filter(([productId]) => !seen.has(productId));
  if (extra.length === 0) return { rows, index: stock.index };
  const index = [...stock.index];
  for (const [productId, change] of extra) {
    const row = { ...makeRow(productId, products, ZERO_UNITS, ZERO_UNITS, ZERO_UNITS), pending: change, onHandWithPending: onHandWithPending(ZERO_UNITS, change) };
    const at = insertionPoint(rows, row);
    rows.splice(at, 0, row);
    index.splice(at, 0, searchText(row, products));
  }
  return { rows, index };
}

function insertionPoint(rows: readonly StockRow[], row: StockRow): number {
  let low = 0;
  let high = rows.length;
  while (low < high) {
    const middle = (low + high) >>> 1;
    const other = rows[middle];
    if (other && compareNumbers(other, row) <= 0) low = middle + 1;
    else high = middle;
  }
  return low;
}

export function filterRows({ rows, index }: StockTable, query: string): readonly StockRow[] {
  const needle = query.trim().toLowerCase();
  if (!needle) return rows;
  const found: StockRow[] = [];
  for (let i = 0; i < rows.length; i++) {
    const row = rows[i];
    if (row && index[i]?.includes(needle)) found.push(row);
  }
  return found;
}
