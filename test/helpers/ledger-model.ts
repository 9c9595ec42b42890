/**
 * A reference model of the ledger, written from docs/api.md and independent of
 * server/ledger/: what each document the server commits should become (posted
 * or rejected, with which code), what it moves, and what on hand and purchase
 * orders must then hold.
 *
 * Outcomes are decided in commit order (the order the server processes
 * documents), because a receipt's fate depends on what the PO received
 * before it. Levels are NOT replayed in commit order: they are computed from
 * the set of posted documents with count semantics, ordered by occurredAt —
 * the latest count plus every movement dated after it — so the arrival order
 * must not matter for them.
 */
import type { InventoryTransaction } from '../../shared/collections.js';
import type { Units } from '../../shared/decimal.js';
import type { ReceiptDoc, TransactionDoc } from './ledger-fixtures.js';
import { levelKey, unitsOf } from './ledger-audit.js';

/** What one posted document does to one (warehouse, product) level. */
export interface Leg {
  key: string;
  warehouseId: string;
  /** Base units: the delta of a movement, or the counted quantity of a count. */
  quantity: Units;
  /** occurredAt / receivedAt as UTC ISO text (the server's normalization). */
  at: string;
  count: boolean;
}

export type Status = 'posted' | 'rejected';

export interface Outcome {
  id: string;
  collection: 'inventoryTransactions' | 'receipts';
  status: Status;
  code?: string;
  legs: Leg[];
  /** Receipts: purchase units added per PO line number. */
  received?: Map<number, Units>;
}

export interface ModelPoLine {
  lineNumber: number;
  productId: string;
  unit: string;
  ordered: Units;
  received: Units;
  /** Base units per purchase unit, scaled (2.5 → 25000). */
  factor: Units;
  /** The most the line may receive in total (tolerance applied), purchase units. */
  limit: Units;
}

export interface ModelPo {
  id: string;
  warehouseId: string;
  status: string;
  lines: ModelPoLine[];
}

const SCALE = 10_000n;

/** q purchase units × factor, rounded half away from zero to 4 decimals (docs/api.md "Units of measure"). */
export function convertToBase(quantity: Units, factor: Units): Units {
  const exact = BigInt(quantity) * BigInt(factor);
  const magnitude = exact < 0n ? -exact : exact;
  const rounded = (magnitude + SCALE / 2n) / SCALE;
  return Number(exact < 0n ? -rounded : rounded) as Units;
}

/** ordered × (100 + percent) / 100, rounded down to 4 decimals; `percent` has at most 4 decimals. */
export function limitFor(ordered: Units, percent: number): Units {
  const pct = BigInt(Math.round(percent * 10_000));
  return Number((BigInt(ordered) * (100n * SCALE + pct)) / (100n * SCALE)) as Units;
}

const iso = (value: string): string => new Date(Date.parse(value)).toISOString();

export class LedgerModel {
  /** Committed documents in commit order. */
  readonly outcomes = new Map<string, Outcome>();
  readonly purchaseOrders = new Map<string, ModelPo>();

  constructor(
    private readonly knownProducts: ReadonlySet<string>,
    /** Warehouses with allowNegativeStock: false. */
    private readonly strictWarehouses: ReadonlySet<string> = new Set(),
  ) {}

  addPurchaseOrder(po: ModelPo): void {
    this.purchaseOrders.set(po.id, { ...po, lines: po.lines.map((l) => ({ ...l })) });
  }

  /** The server processed `doc` now (first time it saw the id). Returns the predicted outcome. */
  commitTransaction(doc: TransactionDoc): Outcome {
    const existing = this.outcomes.get(doc.id);
    if (existing) return existing;
    const outcome = this.evaluateTransaction(doc);
    this.outcomes.set(doc.id, outcome);
    return outcome;
  }

  commitReceipt(doc: ReceiptDoc): Outcome {
    const existing = this.outcomes.get(doc.id);
    if (existing) return existing;
    const outcome = this.evaluateReceipt(doc);
    this.outcomes.set(doc.id, outcome);
    return outcome;
  }

  private evaluateTransaction(doc: TransactionDoc): Outcome {
    const base = { id: doc.id, collection: 'inventoryTransactions' as const };
    if (!this.knownProducts.has(doc.productId)) return { ...base, status: 'rejected', code: 'unknown-product', legs: [] };
    const q = unitsOf(doc.quantity);
    if (doc.type === 'count' && q < 0) return { ...base, status: 'rejected', code: 'invalid-quantity', legs: [] };
    const at = iso(doc.occurredAt);
    const leg = (warehouseId: string, quantity: number, count = false): Leg => ({ key: levelKey(warehouseId, doc.productId), warehouseId, quantity: quantity as Units, at, count });
    const legsByType: Record<InventoryTransaction['type'], () => Leg[]> = {
      adjustment: () => [leg(doc.warehouseId, q)],
      consumption: () => [leg(doc.warehouseId, -q)],
      transfer: () => [leg(doc.warehouseId, -q), leg(doc.toWarehouseId as string, q)],
      count: () => [leg(doc.warehouseId, q, true)],
    };
    const legs = legsByType[doc.type]();
    // Stock policy, against the level as it stands when the server processes the document. A movement
    // dated at or before the latest count moves nothing, so it cannot take stock below zero. Counts are
    // never refused for stock (what the server does today: a count is a fact about the shelf).
    for (const l of legs) {
      if (l.count || !this.strictWarehouses.has(l.warehouseId)) continue;
      const applied = this.supersededBy(l) ? 0 : l.quantity;
      if (applied < 0 && this.level(l.key) + applied < 0) return { ...base, status: 'rejected', code: 'insufficient-stock', legs: [] };
    }
    return { ...base, status: 'posted', legs };
  }

  /** True when a committed count on the leg's level is dated at or after it. */
  private supersededBy(leg: Leg): boolean {
    for (const o of this.outcomes.values()) for (const l of o.legs) if (l.count && l.key === leg.key && l.at >= leg.at) return true;
    return false;
  }

  private evaluateReceipt(doc: ReceiptDoc): Outcome {
    const base = { id: doc.id, collection: 'receipts' as const };
    const po = this.purchaseOrders.get(doc.purchaseOrderId);
    if (!po) return { ...base, status: 'rejected', code: 'unknown-purchase-order', legs: [] };
    if (po.status !== 'open' && po.status !== 'partially-received') return { ...base, status: 'rejected', code: 'po-not-open', legs: [] };
    const adding = new Map<number, Units>();
    for (const l of doc.lines) {
      const poLine = po.lines.find((p) => p.lineNumber === l.lineNumber);
      if (!poLine || poLine.productId !== l.productId) return { ...base, status: 'rejected', code: 'unknown-po-line', legs: [] };
      if (l.unit !== undefined && l.unit !== poLine.unit) return { ...base, status: 'rejected', code: 'unit-mismatch', legs: [] };
      adding.set(l.lineNumber, ((adding.get(l.lineNumber) ?? 0) + unitsOf(l.quantity)) as Units);
    }
    for (const [lineNumber, q] of adding) {
      const poLine = po.lines.find((p) => p.lineNumber === lineNumber) as ModelPoLine;
      if (poLine.received + q > poLine.limit) return { ...base, status: 'rejected', code: 'over-receipt', legs: [] };
    }
    const at = iso(doc.receivedAt);
    const legs: Leg[] = [];
    for (const [lineNumber, q] of adding) {
      const poLine = po.lines.find((p) => p.lineNumber === lineNumber) as ModelPoLine;
      const after = (poLine.received + q) as Units;
      // The base quantity is the difference of the converted running totals.
      const delta = convertToBase(after, poLine.factor) - convertToBase(poLine.received, poLine.factor);
      legs.push({ key: levelKey(po.warehouseId, poLine.productId), warehouseId: po.warehouseId, quantity: delta as Units, at, count: false });
      poLine.received = after;
    }
    po.status = po.lines.every((l) => l.received >= l.ordered) ? 'received' : 'partially-received';
    return { ...base, status: 'posted', legs, received: adding };
  }

  /** Expected on hand of one level: the latest count (by occurredAt) plus every movement dated after it. */
  level(key: string): Units {
    let latestCount: Leg | undefined;
    const legs = [...this.outcomes.values()].flatMap((o) => o.legs.filter((l) => l.key === key));
    // Strictly later only: of two counts at the same instant the first committed wins.
    for (const l of legs) if (l.count && (!latestCount || l.at > latestCount.at)) latestCount = l;
    let total = latestCount ? latestCount.quantity : 0;
    for (const l of legs) if (!l.count && (!latestCount || l.at > latestCount.at)) total += l.quantity;
    return total as Units;
  }

  /**
   * Legs (movements and counts) committed after a count on their level dated
   * at or after them: the late arrivals the count semantics is about.
   */
  lateBehindCount(): number {
    const seen: Leg[] = [];
    let late = 0;
    for (const o of this.outcomes.values()) {
      for (const l of o.legs) {
        if (seen.some((c) => c.count && c.key === l.key && c.at >= l.at)) late += 1;
        seen.push(l);
      }
    }
    return late;
  }

  /** Requested base quantities per posted source id, sorted (what its journal lines must carry). */
  requested(id: string): Units[] {
    return (this.outcomes.get(id)?.legs ?? []).map((l) => l.quantity).sort((a, b) => a - b);
  }
}
