/**
 * The lines of a purchase order as the receiving form shows them: what was
 * ordered, what is received already (counting this device's receipts that
 * have not been uploaded yet, so a second receipt made offline warns
 * correctly), what remains, and how the purchase unit converts to the
 * product's base unit. React-free, so the rules are tested on their own.
 */
import type { DeepReadonly } from 'rxdb';
import type { Product, PurchaseOrder, Receipt, ReferenceData } from '../../shared/collections.js';
import { addUnits, formatUnits, subtractUnits, units, ZERO_UNITS, type Units } from '../../shared/decimal.js';
import type { LedgerProblem } from '../../shared/ledger/problem.js';
import { tolerancePercent } from '../../shared/ledger/tolerance.js';
import { receivedBaseDelta, unitFactor } from '../../shared/ledger/units.js';

export interface ReceiveContext {
  order: DeepReadonly<PurchaseOrder>;
  products: ReadonlyMap<string, DeepReadonly<Product>>;
  /** referenceData of kind 'unit' (shared conversions such as a dozen). */
  sharedUnits: readonly DeepReadonly<ReferenceData>[];
  /** The order's vendor in referenceData (kind 'vendor'), where its tolerance lives. */
  vendor: DeepReadonly<ReferenceData> | undefined;
  /** Receipts for this order that the server has not answered yet. */
  pendingReceipts: readonly DeepReadonly<Receipt>[];
}

export interface ReceiveLine {
  lineNumber: number;
  productId: string;
  productNumber: string;
  productLabel: string;
  /** The purchase unit: every quantity of the line is in it. */
  unit: string;
  /** The product's stocking unit; null when the product is not on this device. */
  baseUnit: string | null;
  ordered: Units;
  /** Received according to the server (the PO as last synced). */
  received: Units;
  /** In receipts on this device that wait for upload. */
  pending: Units;
  /** Ordered minus received and pending; never below zero. */
  remaining: Units;
  /** Base units per purchase unit, or the reason it is unknown. */
  conversion: { ok: true; factor: Units } | { ok: false; problem: LedgerProblem };
  /** Over-receipt tolerance in percent: the product's, else the vendor's, else 0 (the server's default is not known here). */
  tolerancePercent: number;
}

export function receiveLines(context: ReceiveContext): ReceiveLine[] {
  const pendingByLine = new Map<number, Units>();
  for (const receipt of context.pendingReceipts) {
    if (receipt.status !== 'pending' || receipt.purchaseOrderId !== context.order.id) continue;
    for (const line of receipt.lines) {
      pendingByLine.set(line.lineNumber, addUnits(pendingByLine.get(line.lineNumber) ?? ZERO_UNITS, safeUnits(line.quantity)));
    }
  }
  return context.order.lines.map((line) => {
    const product = context.products.get(line.productId);
    const ordered = safeUnits(line.quantityOrdered);
    const received = safeUnits(line.quantityReceived);
    const pending = pendingByLine.get(line.lineNumber) ?? ZERO_UNITS;
    const left = subtractUnits(ordered, addUnits(received, pending));
    return {
      lineNumber: line.lineNumber,
      productId: line.productId,
      productNumber: product?.number ?? line.productId,
      productLabel: product ? `${product.number} — ${product.name}` : `Unknown product ${line.productId}`,
      unit: line.unit,
      baseUnit: product?.unit ?? null,
      ordered,
      received,
      pending,
      remaining: left > 0 ? left : ZERO_UNITS,
      conversion: product
        ? unitFactor(product, line.unit, context.sharedUnits)
        : { ok: false, problem: { code: 'unknown-product', message: `Product ${line.productId} of line ${line.lineNumber} is not on this device yet.` } },
      tolerancePercent: tolerancePercent(product, context.vendor),
    };
  });
}

/** Received so far including this device's pending receipts: what a new receipt adds to. */
export function receivedBefore(line: Pick<ReceiveLine, 'received' | 'pending'>): Units {
  return addUnits(line.received, line.pending);
}

/**
 * "2 BOX = 24 EA" when the purchase unit differs from the base unit. The base
 * quantity is the difference of the converted running totals, as the server
 * posts it, so fractional conversions show what on hand will really move by.
 */
export function baseEquivalent(line: ReceiveLine, adding: Units): string | null {
  if (!line.baseUnit || line.unit === line.baseUnit || !line.conversion.ok) return null;
  try {
    const base = receivedBaseDelta(receivedBefore(line), adding, line.conversion.factor);
    return `${formatUnits(adding)} ${line.unit} = ${formatUnits(base)} ${line.baseUnit}`;
  } catch {
    // Beyond the largest quantity: the field's own validation says so.
    return null;
  }
}

/** Synced quantities are the server's and valid; a malformed one counts as 0 rather than breaking the screen. */
function safeUnits(value: number): Units {
  try {
    return units(value);
  } catch {
    return ZERO_UNITS;
  }
}
