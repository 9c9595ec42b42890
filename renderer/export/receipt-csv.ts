/**
 * Receipts as CSV, one row per receipt line, oldest receipt first. The unit
 * is the one the quantity was entered in: the line's own, else its purchase
 * order line's (receipt quantities are in the purchase unit), else the
 * product's base unit.
 */
import type { DeepReadonly } from 'rxdb';
import type { PurchaseOrder, Receipt } from '../../shared/collections.js';
import { documentQuantityCell, integerCell, toCsv } from './csv.js';
import type { CodeLookups } from './journal-csv.js';

export const RECEIPT_CSV_HEADER = [
  'PO number',
  'Receipt id',
  'Warehouse',
  'Line',
  'Product number',
  'Quantity',
  'Unit',
  'Received at',
  'Status',
  'Error',
] as const;

export interface ReceiptLookups extends CodeLookups {
  purchaseOrders: ReadonlyMap<string, DeepReadonly<PurchaseOrder>>;
  /** Product id → base unit. */
  productUnits: ReadonlyMap<string, string>;
}

type ReceiptDoc = DeepReadonly<Receipt>;
type ReceiptLine = ReceiptDoc['lines'][number];

/** The unit a receipt line's quantity is in. */
export function receiptLineUnit(receipt: ReceiptDoc, line: ReceiptLine, lookups: Pick<ReceiptLookups, 'purchaseOrders' | 'productUnits'>): string | undefined {
  return (
    line.unit ??
    lookups.purchaseOrders.get(receipt.purchaseOrderId)?.lines.find((l) => l.lineNumber === line.lineNumber)?.unit ??
    lookups.productUnits.get(line.productId)
  );
}

export function compareReceipts(a: ReceiptDoc, b: ReceiptDoc): number {
  return a.receivedAt < b.receivedAt ? -1 : a.receivedAt > b.receivedAt ? 1 : a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
}

export function receiptCsv(receipts: readonly ReceiptDoc[], lookups: ReceiptLookups): string {
  const rows = [...receipts].sort(compareReceipts).flatMap((receipt) =>
    [...receipt.lines]
      .sort((a, b) => a.lineNumber - b.lineNumber)
      .map((line) => [
        lookups.purchaseOrders.get(receipt.purchaseOrderId)?.number ?? receipt.purchaseOrderId,
        receipt.id,
        lookups.warehouseCodes.get(receipt.warehouseId) ?? receipt.warehouseId,
        integerCell(line.lineNumber),
        lookups.productNumbers.get(line.productId) ?? line.productId,
        documentQuantityCell(line.quantity),
        receiptLineUnit(receipt, line, lookups),
        receipt.receivedAt,
        receipt.status,
        receipt.error ? `${receipt.error.code}: ${receipt.error.message}` : null,
      ]),
  );
  return toCsv(RECEIPT_CSV_HEADER, rows);
}
