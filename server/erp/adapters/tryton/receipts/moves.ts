/**
 * Which of a purchase's incoming moves a receipt takes. Per received line:
 * the line's open moves (draft or assigned, in no shipment, into the
 * warehouse's input location), oldest first, until the received quantity is
 * covered. A move holding more than is left to take is written down to it
 * and a copy holding the rest is made, so the rest stays open for the next
 * receipt.
 *
 * Written down first, copied second (two Tryton transactions): a delivery
 * interrupted between them leaves a move of exactly the received quantity,
 * which the retry takes whole; the missing rest is recreated by Tryton's
 * own purchase processing when the shipment is received (a line's moves
 * never sum to less than the line). The other order would over-order.
 *
 * Received beyond the open moves (an over-receipt the ledger accepted within
 * its tolerance, shared/ledger/tolerance.ts): the last move taken is written
 * up by the excess, as a Tryton user records receiving more than ordered
 * (the incoming move's quantity edited in the shipment; a purchase's moves
 * are draft until received, and Tryton refuses a new quantity on an assigned
 * one with its own message). Tryton 6.0's purchase processing takes that as
 * received: the line's moves sum to more than the line, so none is
 * recreated; the line counts as done and the purchase as received, with no
 * exception. The write-up is not made here but
 * handed back as an action for the shipment's create (deliver.ts), so it
 * happens in the one call that makes the shipment carrying our reference: a
 * retry that finds the shipment finds the excess in it and adds nothing.
 * Only the excess the ledger put beyond the ordered quantity may be added
 * (the payload's `beyondOrdered`); a line with nothing open at all (received
 * or cancelled in Tryton) is refused as before, for an admin to settle.
 */
import { formatUnits, parseQuantity, toQuantity, type Units } from '../../../../../shared/decimal.js';
import { ErpError } from '../../../errors.js';
import type { ErpValue } from '../../../values.js';
import type { TrytonRpc } from '../rpc.js';

export const MOVE_MODEL = 'stock.move';

interface OpenMove {
  id: number;
  quantity: Units;
  uom: number;
}

/** What a receipt takes: the moves to add to its shipment, and the quantities to write on some of them in the same call. */
export interface TakenMoves {
  moves: number[];
  /** Moves written up by an excess: the new quantity, in the move's unit. */
  writeUps: { id: number; quantity: Units }[];
}

interface PurchaseLine {
  id: number;
  unit: number;
}

type Row = Record<string, ErpValue>;

function rowsOf(value: ErpValue, what: string): Row[] {
  if (!Array.isArray(value) || !value.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r))) throw new ErpError('erp-protocol', `Tryton answered ${what} with something other than records`);
  return value as Row[];
}

function idOf(value: ErpValue | undefined, what: string): number {
  if (typeof value !== 'number') throw new ErpError('erp-protocol', `Tryton answered ${what} without an id`);
  return value;
}

function quantityOf(value: ErpValue | undefined, what: string): Units {
  const parsed = parseQuantity(value);
  if (!parsed.ok) throw new ErpError('erp-protocol', `Tryton answered ${what} with a quantity Fieldstock cannot hold exactly (${String(value)})`);
  return parsed.units;
}

/** The purchase's lines we received, with their units; a line not of this purchase is refused for good. */
async function readLines(rpc: TrytonRpc, purchaseId: number, lineIds: readonly number[]): Promise<Map<number, PurchaseLine>> {
  const rows = rowsOf(await rpc.model('purchase.line', 'search_read', [[['id', 'in', [...lineIds]], ['purchase', '=', purchaseId]], 0, null, null, ['unit']]), 'purchase.line.search_read');
  const lines = new Map(rows.map((r) => [idOf(r.id, 'purchase.line'), { id: idOf(r.id, 'purchase.line'), unit: idOf(r.unit, 'purchase.line.unit') }]));
  const missing = lineIds.filter((id) => !lines.has(id));
  if (missing.length > 0) throw new ErpError('erp-user-error', `Tryton purchase ${purchaseId} has no line ${missing.join(', ')} (deleted in Tryton?); the receipt cannot be recorded there.`);
  return lines;
}

/** `quantity` of `from` in `to`: Tryton's product.uom factors (reference units per unit). */
async function convert(rpc: TrytonRpc, quantity: Units, from: number, to: number): Promise<Units> {
  if (from === to) return quantity;
  const rows = rowsOf(await rpc.model('product.uom', 'search_read', [[['id', 'in', [from, to]]], 0, null, null, ['factor']]), 'product.uom.search_read');
  const factor = (id: number) => rows.find((r) => r.id === id)?.factor;
  const a = factor(from);
  const b = factor(to);
  if (typeof a !== 'number' || typeof b !== 'number' || b === 0) throw new ErpError('erp-protocol', `Tryton answered units ${from} and ${to} without factors`);
  return quantityOf(Math.round((toQuantity(quantity) * a) / b * 10_000) / 10_000, 'a converted quantity');
}

async function openMoves(rpc: TrytonRpc, lineId: number, inputLocation: number): Promise<OpenMove[]> {
  const domain = [
    ['origin', '=', `purchase.line,${lineId}`],
    ['state', 'in', ['draft', 'assigned']],
    ['shipment', '=', null],
    ['to_location', '=', inputLocation],
  ];
  const rows = rowsOf(await rpc.model(MOVE_MODEL, 'search_read', [domain, 0, null, [['id', 'ASC']], ['quantity', 'uom']]), 'stock.move.search_read');
  return rows.map((r) => ({ id: idOf(r.id, 'stock.move'), quantity: quantityOf(r.quantity, `stock.move ${String(r.id)}`), uom: idOf(r.uom, 'stock.move.uom') }));
}

/**
 * Moves holding exactly the received quantities, split where needed, and
 * the write-up of a line's last move by what was received beyond its open
 * moves when the ledger accepted that much beyond the ordered quantity. A
 * line with no open moves, or with less open than was received and not
 * over-received by the difference here (received in Tryton too), is refused
 * with the numbers, for an admin to settle in Tryton.
 */
export async function takeMoves(
  rpc: TrytonRpc,
  purchaseId: number,
  inputLocation: number,
  received: ReadonlyMap<number, Units>,
  beyondOrdered: ReadonlyMap<number, Units> = new Map(),
): Promise<TakenMoves> {
  const lines = await readLines(rpc, purchaseId, [...received.keys()]);
  const taken: TakenMoves = { moves: [], writeUps: [] };
  for (const [lineId, quantity] of received) {
    const line = lines.get(lineId) as PurchaseLine;
    const moves = await openMoves(rpc, lineId, inputLocation);
    const openTotal = moves.reduce((sum, m) => sum + m.quantity, 0);
    let left = quantity;
    for (const move of moves) {
      if (left <= 0) break;
      const wanted = await convert(rpc, left, line.unit, move.uom);
      if (move.quantity <= wanted) {
        taken.moves.push(move.id);
        left = (left - (await convert(rpc, move.quantity, move.uom, line.unit))) as Units;
        continue;
      }
      await rpc.model(MOVE_MODEL, 'write', [[move.id], { quantity: toQuantity(wanted) }]);
      await rpc.model(MOVE_MODEL, 'copy', [[move.id], { quantity: toQuantity((move.quantity - wanted) as Units) }]);
      taken.moves.push(move.id);
      left = 0 as Units;
    }
    if (left <= 0) continue;
    const last = moves[moves.length - 1];
    const allowed = beyondOrdered.get(lineId) ?? (0 as Units);
    if (!last || left > allowed) {
      const beyond = allowed > 0 ? ` (${formatUnits(allowed)} of it beyond the ordered quantity, within Fieldstock's over-receipt tolerance)` : '';
      throw new ErpError(
        'erp-user-error',
        `Tryton purchase ${purchaseId} line ${lineId} has ${formatUnits(openTotal as Units)} open to receive, less than the ${formatUnits(quantity)} received in Fieldstock${beyond}; receive the rest in Tryton or correct the receipt.`,
      );
    }
    taken.writeUps.push({ id: last.id, quantity: (last.quantity + (await convert(rpc, left, line.unit, last.uom))) as Units });
  }
  return taken;
}
