/**
 * What a posted receipt queues for Tryton (outbox map `receipts`, operation
 * `receive`): enough to find the purchase's moves without reading our store
 * again at delivery, when the order may have changed since.
 */
import { parseQuantity, type Units } from '../../../../../shared/decimal.js';
import { ErpError } from '../../../errors.js';

export const RECEIPTS_MAP = 'receipts';
export const RECEIVE_OPERATION = 'receive';
/** The inbound map whose links say which Tryton purchase an order of ours is. */
export const PURCHASE_ORDERS_MAP = 'purchase-orders';

export interface ReceiptLinePayload {
  /** Our PO line number, which is the Tryton purchase.line id (config/erp-maps/tryton/purchase-orders.yaml). */
  lineNumber: number;
  /** What this receipt added, in the line's purchase unit, as exact decimal text. */
  quantity: string;
  /**
   * How much of `quantity` took the line beyond its ordered quantity here (an
   * over-receipt the ledger accepted within its tolerance), as exact decimal
   * text; absent when none did. The most Tryton is asked to receive beyond
   * the line's open moves (moves.ts), so goods Tryton received by hand are
   * never counted twice.
   */
  beyondOrdered?: string;
}

export interface ReceiptPayload {
  receiptId: string;
  purchaseOrderId: string;
  /** The Tryton purchase.purchase id, from the link table when the receipt posted. */
  purchaseErpId: number;
  lines: ReceiptLinePayload[];
}

/** The shipment's `reference`: finds the shipment a receipt made, so a repeated delivery makes no second one. */
export function shipmentReference(receiptId: string): string {
  return `fieldstock:receipt:${receiptId}`;
}

/** Reads a queued payload back; a malformed one can never succeed, so it is refused for good. */
export function parseReceiptPayload(value: unknown): ReceiptPayload & { quantities: Map<number, Units>; beyondOrdered: Map<number, Units> } {
  const bad = (why: string) => new ErpError('erp-protocol', `The queued receipt is malformed (${why}); it cannot be delivered to Tryton.`);
  if (value === null || typeof value !== 'object') throw bad('no payload');
  const p = value as Partial<ReceiptPayload>;
  if (typeof p.receiptId !== 'string' || typeof p.purchaseOrderId !== 'string') throw bad('no receipt or order id');
  if (typeof p.purchaseErpId !== 'number' || !Number.isSafeInteger(p.purchaseErpId) || p.purchaseErpId <= 0) throw bad('no Tryton purchase id');
  if (!Array.isArray(p.lines)) throw bad('no lines');
  const quantities = new Map<number, Units>();
  const beyondOrdered = new Map<number, Units>();
  for (const line of p.lines as Partial<ReceiptLinePayload>[]) {
    const parsed = parseQuantity(line.quantity);
    if (typeof line.lineNumber !== 'number' || !Number.isSafeInteger(line.lineNumber) || !parsed.ok || parsed.units <= 0) throw bad(`line ${String(line.lineNumber)}`);
    quantities.set(line.lineNumber, parsed.units);
    // Items queued before this field existed carry none: nothing beyond the open moves, as then.
    if (line.beyondOrdered === undefined) continue;
    const beyond = parseQuantity(line.beyondOrdered);
    if (!beyond.ok || beyond.units < 0 || beyond.units > parsed.units) throw bad(`line ${line.lineNumber} beyond ordered`);
    beyondOrdered.set(line.lineNumber, beyond.units);
  }
  return { receiptId: p.receiptId, purchaseOrderId: p.purchaseOrderId, purchaseErpId: p.purchaseErpId, lines: p.lines as ReceiptLinePayload[], quantities, beyondOrdered };
}
