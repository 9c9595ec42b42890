/**
 * What to create in Tryton for the lines of one ERP journal, given what
 * Tryton already holds for them. Pure, so it is tested without Tryton.
 *
 * Every line's quantity is the net change our ledger applied at one
 * warehouse for one product. What Tryton already holds for a line (the moves
 * of earlier attempts, found by reference: existing.ts) is subtracted first,
 * so a repeated delivery plans nothing for a line Tryton has, and only the
 * rest for a line it has in part. Then:
 *
 * - stock journals (adjustment, consumption, count): a positive rest moves
 *   from the warehouse's Lost and Found into its storage (`in`), a negative
 *   one out to Lost and Found (`out`);
 * - transfers: per product, what left the sending warehouse and arrived at
 *   the receiving one moves storage to storage (`transfer`), and the ends
 *   that do not match go through Lost and Found. They differ when a count at
 *   one end had already absorbed the transfer there (our ledger then applies
 *   0 at that end), or when the journal was split between the two ends.
 *
 * One shipment per role, so a journal becomes at most five Tryton shipments
 * whatever its number of lines.
 */
import { addUnits, negateUnits, subtractUnits, type Units } from '../../../../../shared/decimal.js';
import type { JournalKind } from './kinds.js';
import type { TrytonProduct, TrytonWarehouse } from './lookup.js';
import type { ShipmentRole } from './references.js';

export interface TargetLine {
  lineNumber: number;
  product: TrytonProduct;
  warehouse: TrytonWarehouse;
  /** `from`: a stock journal's warehouse or a transfer's sending one; `to`: a transfer's receiving warehouse. */
  end: 'from' | 'to';
  /** Our ERP line's quantity: the change at `warehouse`. */
  quantity: Units;
}

/** A Tryton move already carrying (part of) a line, with its effect on that line's warehouse. */
export interface CarriedPart {
  lineNumber: number;
  shipmentId: number;
  moveId: number;
  signed: Units;
}

export interface PlannedMove {
  productId: number;
  uomId: number;
  /** Always positive: the direction is from → to. */
  quantity: Units;
  from: number;
  to: number;
  /** Our lines this move carries: one, or both ends of a transfer. */
  lineNumbers: number[];
}

export interface PlannedShipment {
  role: ShipmentRole;
  from: number;
  to: number;
  moves: PlannedMove[];
  /** Our lines this shipment carries (a transfer move carries both ends). */
  lineNumbers: number[];
}

/** Each line's quantity minus what Tryton already holds for it. */
export function remainingByLine(lines: readonly TargetLine[], carried: readonly CarriedPart[]): Map<number, Units> {
  const remaining = new Map(lines.map((l) => [l.lineNumber, l.quantity]));
  for (const part of carried) {
    const current = remaining.get(part.lineNumber);
    if (current !== undefined) remaining.set(part.lineNumber, subtractUnits(current, part.signed));
  }
  return remaining;
}

export function planShipments(kind: JournalKind, lines: readonly TargetLine[], remaining: ReadonlyMap<number, Units>): PlannedShipment[] {
  const shipments = new Map<ShipmentRole, PlannedShipment>();
  const add = (role: ShipmentRole, from: number, to: number, move: PlannedMove) => {
    let shipment = shipments.get(role);
    if (!shipment) {
      shipment = { role, from, to, moves: [], lineNumbers: [] };
      shipments.set(role, shipment);
    }
    shipment.moves.push(move);
    shipment.lineNumbers.push(...move.lineNumbers);
  };
  /** A rest through Lost and Found at the line's own warehouse. */
  const viaLostFound = (line: TargetLine, rest: Units) => {
    if (rest === 0) return;
    const w = line.warehouse;
    const inbound = rest > 0;
    const role: ShipmentRole = line.end === 'from' ? (inbound ? 'in' : 'out') : inbound ? 'to-in' : 'to-out';
    const [from, to] = inbound ? [w.lostFoundId, w.storageId] : [w.storageId, w.lostFoundId];
    add(role, from, to, { productId: line.product.id, uomId: line.product.uomId, quantity: inbound ? rest : negateUnits(rest), from, to, lineNumbers: [line.lineNumber] });
  };
  const rest = (line: TargetLine): Units => remaining.get(line.lineNumber) ?? (0 as Units);

  if (kind === 'stock') {
    for (const line of lines) viaLostFound(line, rest(line));
  } else {
    const receiving = new Map<number, TargetLine>();
    for (const line of lines) if (line.end === 'to') receiving.set(line.product.id, line);
    const paired = new Set<number>();
    for (const sending of lines) {
      if (sending.end !== 'from') continue;
      const arriving = receiving.get(sending.product.id);
      const left = rest(sending);
      const arrived = arriving ? rest(arriving) : (0 as Units);
      // What both ends agree on moved between the warehouses; the ends' rests go through Lost and Found.
      const moved = Math.min(Math.max(-left, 0), Math.max(arrived, 0)) as Units;
      if (moved > 0 && arriving) {
        const from = sending.warehouse.storageId;
        const to = arriving.warehouse.storageId;
        add('transfer', from, to, { productId: sending.product.id, uomId: sending.product.uomId, quantity: moved, from, to, lineNumbers: [sending.lineNumber, arriving.lineNumber] });
      }
      viaLostFound(sending, addUnits(left, moved));
      if (arriving) {
        viaLostFound(arriving, subtractUnits(arrived, moved));
        paired.add(arriving.lineNumber);
      }
    }
    for (const line of lines) if (line.end === 'to' && !paired.has(line.lineNumber)) viaLostFound(line, rest(line));
  }
  return [...shipments.values()].map((s) => ({ ...s, lineNumbers: [...new Set(s.lineNumbers)].sort((a, b) => a - b) }));
}
