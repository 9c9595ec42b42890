/**
 * Delivers a posted receipt to Tryton: the purchase's open incoming moves
 * for the received lines (moves.ts) go into a `stock.shipment.in` carrying
 * our reference, which is then received and done, so Tryton's on hand at
 * the warehouse rises by what arrived and the purchase's rest stays open.
 *
 * Never twice: the shipment is looked up by its reference first, and when it
 * exists (an answer lost to a timeout, a crash before the outcome was
 * recorded) only the steps it still lacks are taken. The shipment and its
 * moves are made in one Tryton call, so no shipment exists without them,
 * and so is the write-up of a move by what was received beyond the open
 * moves (moves.ts): a shipment found by our reference already carries it.
 */
import { toQuantity } from '../../../../../shared/decimal.js';
import { ErpError } from '../../../errors.js';
import type { ErpValue } from '../../../values.js';
import { createOnce, findByReference, type KeyedLock } from '../references.js';
import type { TrytonRpc } from '../rpc.js';
import { takeMoves } from './moves.js';
import { parseReceiptPayload, shipmentReference } from './payload.js';

export const SHIPMENT_IN_MODEL = 'stock.shipment.in';

/** Each state's next button on the way to done (`receive` does the incoming moves, `done` the inventory moves). */
const NEXT_STEP: Readonly<Record<string, string>> = { draft: 'receive', received: 'done' };
const MAX_STEPS = 3;

type Row = Record<string, ErpValue>;

async function readOne(rpc: TrytonRpc, model: string, id: number, fields: string[]): Promise<Row | undefined> {
  const rows = await rpc.model(model, 'search_read', [[['id', '=', id]], 0, 1, null, fields]);
  const row = Array.isArray(rows) ? rows[0] : undefined;
  return row !== null && typeof row === 'object' && !Array.isArray(row) ? (row as Row) : undefined;
}

/** The purchase's supplier and warehouse (with its input location), which the shipment needs. */
async function purchaseTargets(rpc: TrytonRpc, purchaseId: number): Promise<{ supplier: number; warehouse: number; input: number }> {
  const purchase = await readOne(rpc, 'purchase.purchase', purchaseId, ['party', 'warehouse', 'state']);
  if (!purchase) throw new ErpError('erp-user-error', `Tryton purchase ${purchaseId} no longer exists; the receipt cannot be recorded there.`);
  const { party, warehouse } = purchase;
  if (typeof party !== 'number' || typeof warehouse !== 'number') throw new ErpError('erp-user-error', `Tryton purchase ${purchaseId} has no supplier or no warehouse.`);
  const location = await readOne(rpc, 'stock.location', warehouse, ['input_location']);
  const input = location?.input_location;
  if (typeof input !== 'number') throw new ErpError('erp-user-error', `Tryton warehouse ${warehouse} has no input location.`);
  return { supplier: party, warehouse, input };
}

async function complete(rpc: TrytonRpc, id: number): Promise<void> {
  for (let step = 0; step < MAX_STEPS; step += 1) {
    const state = (await readOne(rpc, SHIPMENT_IN_MODEL, id, ['state']))?.state;
    if (state === 'done') return;
    const method = typeof state === 'string' ? NEXT_STEP[state] : undefined;
    if (!method) {
      throw new ErpError('erp-user-error', state === undefined ? `Tryton shipment ${id} no longer exists.` : `Tryton shipment ${id} is ${String(state)} in Tryton, so this receipt cannot be done there.`);
    }
    await rpc.model(SHIPMENT_IN_MODEL, method, [[id]]);
  }
  throw new ErpError('erp-protocol', `Tryton shipment ${id} did not reach done after ${MAX_STEPS} steps`);
}

/** Delivers one queued receipt; returns the Tryton shipment id. Serialized per receipt in this process by `lock`. */
export async function deliverReceipt(rpc: TrytonRpc, lock: KeyedLock, payloadValue: unknown): Promise<number> {
  const payload = parseReceiptPayload(payloadValue);
  const reference = shipmentReference(payload.receiptId);
  return lock.run(`receipt\u0000${reference}`, async () => {
    let id = await findByReference(rpc, SHIPMENT_IN_MODEL, reference);
    if (id === undefined) {
      const targets = await purchaseTargets(rpc, payload.purchaseErpId);
      const taken = await takeMoves(rpc, payload.purchaseErpId, targets.input, payload.quantities, payload.beyondOrdered);
      ({ id } = await createOnce(rpc, lock, SHIPMENT_IN_MODEL, reference, {
        supplier: targets.supplier,
        warehouse: targets.warehouse,
        incoming_moves: [['add', taken.moves], ...taken.writeUps.map((w) => ['write', [w.id], { quantity: toQuantity(w.quantity) }])],
      }));
    }
    await complete(rpc, id);
    return id;
  });
}
