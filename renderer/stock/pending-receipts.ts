/**
 * Receipts this device made and the server has not posted yet, as lines in
 * the product's base unit. A receipt line's quantity is in its PO line's
 * (purchase) unit; the stock list is in base units, so each line converts
 * with the same shared rule the server posts with. A line the device cannot
 * convert (its PO, product or unit conversion has not synced) is kept and
 * marked, never guessed.
 */
import type { DeepReadonly } from 'rxdb';
import type { Product, PurchaseOrder, Receipt, ReferenceData } from '../../shared/collections.js';
import { parseQuantity, type Units } from '../../shared/decimal.js';
import { toBaseUnits, unitFactor } from '../../shared/ledger/units.js';

export interface PendingReceiptLine {
  receiptId: string;
  warehouseId: string;
  productId: string;
  occurredAt: string;
  /** In the product's base unit; null when it could not be converted. */
  base: Units | null;
  /** As entered, in the purchase unit. */
  quantity: number;
  /** The PO line's unit, when known. */
  unit: string | null;
}

export interface ReceiptSources {
  products: ReadonlyMap<string, DeepReadonly<Product>>;
  purchaseOrders: ReadonlyMap<string, DeepReadonly<PurchaseOrder>>;
  sharedUnits: readonly DeepReadonly<ReferenceData>[];
}

export function pendingReceiptLines(receipts: readonly DeepReadonly<Receipt>[], sources: ReceiptSources): PendingReceiptLine[] {
  const lines: PendingReceiptLine[] = [];
  for (const receipt of receipts) {
    if (receipt.status !== 'pending') continue;
    const order = sources.purchaseOrders.get(receipt.purchaseOrderId);
    for (const line of receipt.lines) {
      const unit = order?.lines.find((l) => l.lineNumber === line.lineNumber)?.unit ?? null;
      lines.push({
        receiptId: receipt.id,
        warehouseId: receipt.warehouseId,
        productId: line.productId,
        occurredAt: receipt.receivedAt,
        base: toBase(line.quantity, unit, sources.products.get(line.productId), sources.sharedUnits),
        quantity: line.quantity,
        unit,
      });
    }
  }
  return lines;
}

function toBase(quantity: number, unit: string | null, product: DeepReadonly<Product> | undefined, sharedUnits: readonly DeepReadonly<ReferenceData>[]): Units | null {
  if (!unit || !product) return null;
  const parsed = parseQuantity(quantity);
  if (!parsed.ok) return null;
  const factor = unitFactor(product, unit, sharedUnits);
  if (!factor.ok) return null;
  try {
    return toBaseUnits(parsed.units, factor.factor);
  } catch {
    // Beyond the largest quantity: the server rejects it too; show it unconverted rather than wrong.
    return null;
  }
}
