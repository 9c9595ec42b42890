import type { PurchaseOrder, Receipt } from '../../shared/collections.js';
import { addUnits, parseQuantity, subtractUnits, toQuantity, units, type Units } from '../../shared/decimal.js';
import { overReceiptProblem, tolerancePercent } from '../../shared/ledger/tolerance.js';
import { receivedBaseDelta, toBaseUnits, unitFactor } from '../../shared/ledger/units.js';
import type { SessionUser } from '../../shared/wire.js';
import { inScope } from '../replication/scope.js';
import type { ReceiptReferences } from './receipt-references.js';
import { normalizeOccurredAt, reject, type Rejection } from './rejection.js';
import type { LedgerState, LineEffect } from './state.js';

const RECEIVABLE = new Set(['open', 'partially-received']);

export interface EvaluatedReceipt {
  /** In base units: what on hand gains. */
  effects: LineEffect[];
  occurredAt: string;
  /** Per PO line number: the quantity this receipt adds, in the line's purchase unit. */
  received: Map<number, Units>;
  /** Per effect (same index): how much on order falls, in base units — what the line still expected, never more. */
  onOrderDrops: Units[];
}

/** The default over-receipt tolerance in percent of the ordered quantity, for products and vendors that set none. */
export interface ReceiptPolicy {
  overReceiptTolerancePercent: number;
}

/**
 * Checks a receipt against its purchase order and computes what it moves.
 * Quantities are in each PO line's purchase unit; on hand moves in the
 * product's base unit, converted from the line's running total so partial
 * receipts never lose or double a rounded fraction.
 */
export function evaluateReceipt(
  receipt: Receipt,
  user: SessionUser,
  state: LedgerState,
  refs: ReceiptReferences,
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
    if (line.unit !== undefined && line.unit !== poLine.unit) {
      return reject('unit-mismatch', `Line ${line.lineNumber} of ${po.number} is received in ${poLine.unit}, not ${line.unit}.`);
    }
    if (!state.products.has(line.productId)) return reject('unknown-product', `Product ${line.productId} does not exist.`);
    const parsed = parseQuantity(line.quantity);
    if (!parsed.ok) return reject(parsed.code, `Line ${line.lineNumber}: ${parsed.message}`);
    if (parsed.units <= 0) return reject('invalid-quantity', `Line ${line.lineNumber}: a received quantity must be positive.`);
    received.set(line.lineNumber, addUnits(received.get(line.lineNumber) ?? (0 as Units), parsed.units));
  }

  const vendor = po.vendorCode === undefined ? undefined : refs.vendors.get(po.vendorCode);
  const effects: LineEffect[] = [];
  const onOrderDrops: Units[] = [];
  for (const [lineNumber, quantity] of received) {
    const poLine = po.lines.find((l) => l.lineNumber === lineNumber);
    const product = poLine && state.products.get(poLine.productId);
    if (!poLine || !product) continue; // checked above
    const receivedBefore = units(poLine.quantityReceived);
    const tooMuch = overReceiptProblem({
      poNumber: po.number,
      lineNumber,
      unit: poLine.unit,
      ordered: units(poLine.quantityOrdered),
      receivedBefore,
      adding: quantity,
      percent: tolerancePercent(product, vendor, policy.overReceiptTolerancePercent),
    });
    if (tooMuch) return tooMuch;
    const factor = unitFactor(product, poLine.unit, refs.units);
    if (!factor.ok) return factor.problem;
    let base: Units;
    try {
      base = receivedBaseDelta(receivedBefore, quantity, factor.factor);
    } catch (error) {
      return reject('invalid-quantity', `Line ${lineNumber}: ${(error as Error).message}.`);
    }
    // Like any inventory transaction: goods received at or before the latest count are inside the counted level.
    const lastCountAt = state.level(receipt.warehouseId, product.id).lastCountAt;
    const superseded = lastCountAt !== null && time.iso <= lastCountAt;
    effects.push({ warehouseId: receipt.warehouseId, productId: product.id, requested: base, applied: superseded ? (0 as Units) : base });
    // On order holds what receivable lines still expect (server/ledger/on-order.ts): an over-receipt takes
    // only this line's remainder off it, never what another order of the same product still expects.
    const ordered = units(poLine.quantityOrdered);
    const expected = (received: Units): Units => (received >= ordered ? 0 : toBaseUnits(subtractUnits(ordered, received), factor.factor)) as Units;
    onOrderDrops.push(subtractUnits(expected(receivedBefore), expected(addUnits(receivedBefore, quantity))));
  }
  return { effects, occurredAt: time.iso, received, onOrderDrops };
}

/** Raises on hand, lowers on order, and advances the PO's received quantities and status. */
export function applyReceipt(state: LedgerState, po: PurchaseOrder, evaluated: EvaluatedReceipt): void {
  for (const [i, e] of evaluated.effects.entries()) {
    const level = state.level(e.warehouseId, e.productId);
    level.onHand = addUnits(level.onHand, e.applied);
    // On order falls by what the line expected and got, even when a count already holds it on hand.
    const remaining = subtractUnits(level.onOrder, evaluated.onOrderDrops[i] ?? (0 as Units));
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
