import type { PurchaseOrder, Receipt } from '../../shared/collections.js';
import { addUnits, formatUnits, parseQuantity, subtractUnits, toQuantity, units, type Units } from '../../shared/decimal.js';
import type { SessionUser } from '../../shared/wire.js';
import { inScope } from '../replication/scope.js';
import { normalizeOccurredAt, reject, type Rejection } from './rejection.js';
import type { LedgerState, LineEffect } from './state.js';

const RECEIVABLE = new Set(['open', 'partially-received']);

export interface EvaluatedReceipt {
  effects: LineEffect[];
  occurredAt: string;
  /** Per PO line number: the quantity this receipt adds. */
  received: Map<number, Units>;
}

/** Over-receipt tolerance in percent of the ordered quantity (0: never more than ordered). */
export interface ReceiptPolicy {
  overReceiptTolerancePercent: number;
}

export function evaluateReceipt(
  receipt: Receipt,
  user: SessionUser,
  state: LedgerState,
  policy: ReceiptPolicy,
  now: number,
): EvaluatedReceipt | Rejection {
  const po = state.purchaseOrders.get(receipt.purchaseOrderId);
  if (!po) return reject('unknown-purchase-order', `Purchase order ${receipt.purchaseOrderId} does not exist.`);
  const warehouse = state.warehouses.get(receipt.warehouseId);
  if (!warehouse) return reject('unknown-warehouse', `Warehouse ${receipt.warehouseId} does not exist.`);
  if (!inScope(user, receipt.warehouseId)) return reject('warehouse-not-in-scope', `Warehouse ${warehouse.code} is not in your warehouses.`);
  if (po.warehouseId !== receipt.warehouseId) {
    return reject('warehouse-mismatch', `Purchase order ${po.number} is delivered to another warehouse than ${warehouse.code}.`);
  }
  if (!RECEIVABLE.has(po.status)) return reject('po-not-open', `Purchase order ${po.number} is ${po.status}; only open orders can be received.`);
  const time = normalizeOccurredAt(receipt.receivedAt, now);
  if ('code' in time) return time;

  const received = new Map<number, Units>();
  for (const line of receipt.lines) {
    const poLine = po.lines.find((l) => l.lineNumber === line.lineNumber);
    if (!poLine) return reject('unknown-po-line', `Purchase order ${po.number} has no line ${line.lineNumber}.`);
    if (poLine.productId !== line.productId) {
      return reject('unknown-po-line', `Line ${line.lineNumber} of ${po.number} is for another product.`);
    }
    if (!state.products.has(line.productId)) return reject('unknown-product', `Product ${line.productId} does not exist.`);
    const parsed = parseQuantity(line.quantity);
    if (!parsed.ok) return reject(parsed.code, `Line ${line.lineNumber}: ${parsed.message}`);
    if (parsed.units <= 0) return reject('invalid-quantity', `Line ${line.lineNumber}: a received quantity must be positive.`);
    received.set(line.lineNumber, addUnits(received.get(line.lineNumber) ?? (0 as Units), parsed.units));
  }
  for (const [lineNumber, quantity] of received) {
    const poLine = po.lines.find((l) => l.lineNumber === lineNumber);
    if (!poLine) continue;
    const ordered = units(poLine.quantityOrdered);
    const total = addUnits(units(poLine.quantityReceived), quantity);
    // BigInt: ordered × (100 + percent) can pass 2^53 for large quantities.
    const allowed = (BigInt(ordered) * BigInt(100 + policy.overReceiptTolerancePercent)) / 100n;
    if (BigInt(total) > allowed) {
      return reject(
        'over-receipt',
        `Line ${lineNumber} of ${po.number}: receiving ${formatUnits(quantity)} makes ${formatUnits(total)} of ${formatUnits(ordered)} ordered, more than the tolerance allows.`,
      );
    }
  }
  const effects: LineEffect[] = [...received].map(([lineNumber, quantity]) => {
    const poLine = po.lines.find((l) => l.lineNumber === lineNumber);
    const productId = poLine?.productId ?? '';
    // Like any inventory transaction: goods received at or before the latest count are inside the counted level.
    const lastCountAt = state.level(receipt.warehouseId, productId).lastCountAt;
    const superseded = lastCountAt !== null && time.iso <= lastCountAt;
    return { warehouseId: receipt.warehouseId, productId, requested: quantity, applied: superseded ? (0 as Units) : quantity };
  });
  return { effects, occurredAt: time.iso, received };
}

/** Raises on hand, lowers on order, and advances the PO's received quantities and status. */
export function applyReceipt(state: LedgerState, po: PurchaseOrder, evaluated: EvaluatedReceipt): void {
  for (const e of evaluated.effects) {
    const level = state.level(e.warehouseId, e.productId);
    level.onHand = addUnits(level.onHand, e.applied);
    // On order falls by what arrived, even when a count already holds it on hand.
    const remaining = subtractUnits(level.onOrder, e.requested);
    level.onOrder = (remaining < 0 ? 0 : remaining) as Units;
    level.dirty = true;
  }
  const lines = po.lines.map((l) => {
    const add = evaluated.received.get(l.lineNumber);
    if (!add) return l;
    return { ...l, quantityReceived: toQuantity(addUnits(units(l.quantityReceived), add)) };
  });
  const complete = lines.every((l) => units(l.quantityReceived) >= units(l.quantityOrdered));
  state.purchaseOrders.set(po.id, { ...po, lines, status: complete ? 'received' : 'partially-received' });
  state.dirtyPurchaseOrders.add(po.id);
}

