/**
 * Posting in Tryton: each internal shipment walks draft → waiting → assigned
 * → done through its own buttons (`wait`, `assign_force`, `done`), each call
 * its own Tryton transaction. The state is read before every step, so a
 * posting interrupted half-way resumes where Tryton stands and a shipment
 * already done is left alone: posting again is harmless.
 *
 * `assign_force`, not `assign_try`: the stock has already moved in the field
 * (our ledger posted it), so Tryton is told, not asked; Tryton allows
 * negative stock by design, as our warehouses may.
 */
import type { SinkError } from '../../../../ledger/aggregation/sink.js';
import { ErpError, isErpError } from '../../../errors.js';
import type { TrytonRpc } from '../rpc.js';
import { SHIPMENT_MODEL } from './ids.js';

const NEXT_STEP: Readonly<Record<string, string>> = {
  request: 'draft',
  draft: 'wait',
  waiting: 'assign_force',
  assigned: 'done',
  shipped: 'done',
};
/** Enough for the longest walk (request → draft → waiting → assigned → done). */
const MAX_STEPS = 5;

/** Brings each shipment to `done`; the refusals Tryton gave, by shipment (transport failures throw). */
export async function completeShipments(rpc: TrytonRpc, shipmentIds: readonly number[]): Promise<Map<number, SinkError>> {
  const refused = new Map<number, SinkError>();
  for (const id of [...new Set(shipmentIds)]) {
    try {
      await complete(rpc, id);
    } catch (error) {
      if (isErpError(error, 'erp-user-error') || isErpError(error, 'erp-user-warning')) {
        refused.set(id, error.toSinkError());
      } else if (error instanceof Refusal) {
        refused.set(id, { code: error.code, message: error.message });
      } else {
        throw error;
      }
    }
  }
  return refused;
}

class Refusal extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

async function complete(rpc: TrytonRpc, id: number): Promise<void> {
  for (let step = 0; step < MAX_STEPS; step += 1) {
    const state = await stateOf(rpc, id);
    if (state === 'done') return;
    if (state === 'cancelled') throw new Refusal('erp-cancelled', `Tryton shipment ${id} was cancelled in Tryton, so it cannot be done; deliver the line again to make a new one.`);
    const method = state === undefined ? undefined : NEXT_STEP[state];
    if (!method) throw new Refusal('erp-not-found', state === undefined ? `Tryton shipment ${id} no longer exists.` : `Tryton shipment ${id} is in state "${state}", which this connector cannot finish.`);
    await rpc.model(SHIPMENT_MODEL, method, [[id]]);
  }
  throw new ErpError('erp-protocol', `Tryton shipment ${id} did not reach done after ${MAX_STEPS} steps`);
}

async function stateOf(rpc: TrytonRpc, id: number): Promise<string | undefined> {
  const rows = await rpc.model(SHIPMENT_MODEL, 'search_read', [[['id', '=', id]], 0, 1, null, ['state']]);
  const row = Array.isArray(rows) ? rows[0] : undefined;
  if (row === undefined) return undefined;
  const state = row !== null && typeof row === 'object' && !Array.isArray(row) ? (row as { state?: unknown }).state : undefined;
  if (typeof state !== 'string') throw new ErpError('erp-protocol', `Tryton answered the state of shipment ${id} with something other than text`);
  return state;
}
