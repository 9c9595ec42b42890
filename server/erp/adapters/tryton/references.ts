/**
 * Idempotent creates in Tryton through our own external reference.
 *
 * Tryton has no idempotency key, and each RPC call is its own transaction, so
 * a create whose answer was lost (timeout, crash) must be recognizable later.
 * We store our reference in a searchable char field of the record itself, in
 * the same call that creates it — never in a second call, which could fail
 * after the first succeeded. Per model (Tryton 6.0 fields):
 *
 *   party.party              code       unique in Tryton (the party code)
 *   stock.location           code       the warehouse/location code = our integration key
 *   purchase.purchase        reference  ("supplier reference"; POs are made in Tryton, we only create them in tests)
 *   stock.shipment.in        reference  (the receipt's id: "which Fieldstock receipt made this shipment")
 *   stock.shipment.internal  reference  (transfers)
 *   stock.lot                number     (the serial number = our key; not unique in 6.0, so createOnce's look-again applies)
 *   product.category         name       (asset categories; no code field in 6.0)
 *   account.invoice.payment_term name   (payment terms; no code field in 6.0)
 *   carrier                  party.code (ship-via: searched through the carrier's party, which
 *                                        the carrier create makes with our code: creates/carrier.ts)
 *
 * stock.move and stock.inventory have no free char field: records of those are
 * created inside a referenced document (moves in a shipment) or tracked by the
 * link table of the sync engine; createOnce refuses them with `erp-no-reference`.
 * product.product is left out on purpose: its `code` is computed (template
 * prefix + suffix_code), and products flow from the ERP, never to it.
 */
import { ErpError } from '../../errors.js';
import type { ErpValue, ErpValues } from '../../values.js';
import type { TrytonRpc } from './rpc.js';

export const REFERENCE_FIELDS: Readonly<Record<string, string>> = {
  'party.party': 'code',
  'stock.location': 'code',
  'purchase.purchase': 'reference',
  'stock.shipment.in': 'reference',
  'stock.shipment.internal': 'reference',
  'stock.lot': 'number',
  // No code in 6.0 (product/category.py, account_invoice/payment_term.py): the name is our code, as in the maps.
  'product.category': 'name',
  'account.invoice.payment_term': 'name',
  // A carrier is its party (and a service product): our code is the party's code, unique in Tryton (party/party.py).
  carrier: 'party.code',
};

/** Inactive records count too: a reference must never be reused by a second record. */
const ALL_RECORDS = { active_test: false } as const;

export function referenceField(model: string): string {
  const field = REFERENCE_FIELDS[model];
  if (!field) {
    throw new ErpError(
      'erp-no-reference',
      `Tryton model ${model} has no field for Fieldstock's reference, so creates there cannot be made idempotent (models with one: ${Object.keys(REFERENCE_FIELDS).join(', ')})`,
    );
  }
  return field;
}

/** Ids of the records carrying `reference`, oldest first. */
export async function idsByReference(rpc: TrytonRpc, model: string, reference: string, limit: number | null = null): Promise<number[]> {
  const field = referenceField(model);
  const ids = await rpc.model(model, 'search', [[[field, '=', reference]], 0, limit, [['id', 'ASC']]], ALL_RECORDS);
  if (!Array.isArray(ids) || !ids.every((id): id is number => typeof id === 'number')) {
    throw new ErpError('erp-protocol', `Tryton answered model.${model}.search with something other than ids`);
  }
  return ids;
}

export async function findByReference(rpc: TrytonRpc, model: string, reference: string): Promise<number | undefined> {
  return (await idsByReference(rpc, model, reference, 1))[0];
}

/**
 * Creates the record unless one with our reference exists.
 *
 * Concurrent calls in this process are serialized per (model, reference) by
 * `lock`. Another process can still race between our search and create: if
 * the reference field is unique the losing create fails and we return the
 * winner; otherwise we look again after creating and, if two exist, keep the
 * oldest and delete ours, so both racers end up with the same id.
 */
export async function createOnce(
  rpc: TrytonRpc,
  lock: KeyedLock,
  model: string,
  reference: string,
  values: ErpValues,
  /** Makes the create call's values (creating the records it needs first); runs under the lock, only when no record has our reference. */
  prepare?: (values: ErpValues) => Promise<ErpValues>,
): Promise<{ id: number; created: boolean }> {
  const field = referenceField(model);
  const given: ErpValue | undefined = values[field];
  if (given !== undefined && given !== reference) {
    throw new ErpError('erp-config', `createOnce(${model}): field ${field} holds Fieldstock's reference "${reference}" and cannot also be set to another value`);
  }
  return lock.run(`${model}\u0000${reference}`, async () => {
    const existing = await findByReference(rpc, model, reference);
    if (existing !== undefined) return { id: existing, created: false };

    let ours: number;
    try {
      const prepared = prepare ? await prepare(values) : values;
      // A reference on a related record (carrier: party.code) is put there by `prepare`; Tryton creates take no dotted fields.
      const created = await rpc.model(model, 'create', [[field.includes('.') ? prepared : { ...prepared, [field]: reference }]]);
      const id = Array.isArray(created) ? created[0] : undefined;
      if (typeof id !== 'number') throw new ErpError('erp-protocol', `Tryton answered model.${model}.create without an id`);
      ours = id;
    } catch (error) {
      // A unique reference field refuses the second of two racing creates: the other one won.
      const winner = await findByReference(rpc, model, reference).catch(() => undefined);
      if (winner !== undefined) return { id: winner, created: false };
      throw error;
    }

    const all = await idsByReference(rpc, model, reference);
    const oldest = all[0] ?? ours;
    if (oldest === ours) return { id: ours, created: true };
    try {
      await rpc.model(model, 'delete', [[ours]]);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new ErpError('erp-duplicate-reference', `Tryton ${model} ${oldest} and ${ours} both carry reference "${reference}" and ${ours} could not be deleted: ${reason}`, { cause: error });
    }
    return { id: oldest, created: false };
  });
}

/** Runs tasks with the same key one after another (tasks with different keys run concurrently). */
export class KeyedLock {
  readonly #tails = new Map<string, Promise<unknown>>();

  async run<T>(key: string, task: () => Promise<T>): Promise<T> {
    const previous = this.#tails.get(key) ?? Promise.resolve();
    const current = previous.then(task, task);
    const tail = current.catch(() => undefined);
    this.#tails.set(key, tail);
    try {
      return await current;
    } finally {
      if (this.#tails.get(key) === tail) this.#tails.delete(key);
    }
  }
}
