/**
 * The ERP bench's catalogue, the same in every process: bench products that
 * exist in Fieldstock and (by the same code) in Tryton, and adjustments over
 * the demo warehouses WH-MAIN and WH-NORTH, one line per (warehouse, product)
 * pair, so N adjustment lines aggregate into N ERP lines and N Tryton moves.
 * Quantities are whole units: Tryton's unit "u" has no decimals.
 */
import { randomUUID } from 'node:crypto';
import { demoId } from '../../server/demo/data.js';
import type { InventoryTransaction, Product } from '../../shared/collections.js';

export const ERP_BENCH_PRODUCTS = 500;
/** Demo warehouses (seedDemo), both in clerk1's scope. */
export const ERP_BENCH_WAREHOUSES = ['WH-MAIN', 'WH-NORTH'] as const;
/** Distinct (warehouse, product) pairs: the most lines one run can have without two aggregating into one. */
export const ERP_BENCH_PAIRS = ERP_BENCH_PRODUCTS * ERP_BENCH_WAREHOUSES.length;

export function erpBenchProducts(): Product[] {
  return Array.from({ length: ERP_BENCH_PRODUCTS }, (_, i) => {
    const number = `EB-${String(i + 1).padStart(5, '0')}`;
    return { id: demoId(`erp-bench:${number}`), number, name: `ERP bench part ${i + 1}`, unit: 'EA', barcodes: [], tracking: 'none', active: true };
  });
}

export interface BenchAdjustment {
  doc: InventoryTransaction;
  warehouseCode: string;
  productNumber: string;
  /** Whole units (Tryton's unit has no decimals). */
  quantity: number;
}

/** `count` adjustments on distinct pairs starting at pair `first` (wrapping), positive whole quantities. */
export function erpAdjustments(count: number, first: number, label: string): BenchAdjustment[] {
  if (count > ERP_BENCH_PAIRS) throw new Error(`ERP bench: at most ${ERP_BENCH_PAIRS} distinct pairs, asked for ${count}`);
  const products = erpBenchProducts();
  const occurredAt = new Date().toISOString();
  return Array.from({ length: count }, (_, i) => {
    const pair = (first + i) % ERP_BENCH_PAIRS;
    const warehouseCode = ERP_BENCH_WAREHOUSES[pair % ERP_BENCH_WAREHOUSES.length] ?? 'WH-MAIN';
    const product = products[Math.floor(pair / ERP_BENCH_WAREHOUSES.length)];
    if (!product) throw new Error('ERP bench: product index out of range');
    const quantity = 1 + ((pair * 13 + first) % 40);
    return {
      warehouseCode,
      productNumber: product.number,
      quantity,
      doc: {
        id: randomUUID(),
        type: 'adjustment',
        warehouseId: demoId(warehouseCode),
        productId: product.id,
        quantity,
        reasonCode: 'FOUND',
        note: `${label} ${i + 1}`,
        occurredAt,
        status: 'pending',
      },
    };
  });
}

/** Expected change per "warehouseCode|productNumber", whole units. */
export function expectedChange(adjustments: readonly BenchAdjustment[]): Map<string, number> {
  const expected = new Map<string, number>();
  for (const a of adjustments) {
    const key = `${a.warehouseCode}|${a.productNumber}`;
    expected.set(key, (expected.get(key) ?? 0) + a.quantity);
  }
  return expected;
}

/** What the ERP bench server answers over IPC. */
export interface AggregateResult {
  ms: number;
  lines: number;
  erpJournals: number;
  erpLines: number;
}

export interface DeliverResult {
  ms: number;
  journals: number;
  postedLines: number;
  createErrorLines: number;
  postErrorLines: number;
  /** HTTP requests to Tryton during the delivery, counted by the bench's fetch wrapper. */
  trytonCalls: number;
}

export interface ErpLineRow {
  journalId: string;
  lineNumber: number;
  status: string;
  erpLineId: string | null;
  errorMessage: string | null;
}
