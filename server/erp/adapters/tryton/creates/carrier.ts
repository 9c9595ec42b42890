/**
 * carrier (ship-via): Tryton 6.0 requires a party and a carrier product of
 * type service (carrier/carrier.py). The map writes our code and name as
 * `party.code` and `party.name`; this module turns them into the carrier's
 * party: created once by its code (party codes are unique in Tryton), or the
 * existing party with that code, renamed to our name if it differs. All
 * carriers made by Fieldstock share one service product, "Carrier service"
 * (product code FIELDSTOCK-CARRIER, unique in Tryton), made on first use.
 */
import { ErpError } from '../../../errors.js';
import { ErpDecimal, type ErpValue, type ErpValues } from '../../../values.js';
import { createOnce } from '../references.js';
import type { TrytonRpc } from '../rpc.js';
import type { CreateContext, PrepareCreate } from './types.js';

export const CARRIER_PRODUCT_CODE = 'FIELDSTOCK-CARRIER';
const CARRIER_PRODUCT_NAME = 'Carrier service';
const ALL_RECORDS = { active_test: false } as const;

export const prepareCarrier: PrepareCreate = async (ctx, values): Promise<ErpValues> => {
  const { 'party.code': code, 'party.name': name, ...rest } = values;
  const unknown = Object.keys(rest).filter((field) => field.includes('.'));
  if (unknown.length > 0) throw new ErpError('erp-config', `a Tryton carrier is created with its party's code and name only; ${unknown.join(', ')} cannot be written on create`);
  if (code !== undefined && code !== ctx.reference) throw new ErpError('erp-config', `the carrier's party code "${String(code)}" is not its reference "${ctx.reference}"`);
  const partyName = typeof name === 'string' && name.trim() !== '' ? name : ctx.reference;
  const party = await createOnce(ctx.rpc, ctx.lock, 'party.party', ctx.reference, { name: partyName });
  if (!party.created) await renameParty(ctx.rpc, party.id, partyName);
  return { ...rest, party: party.id, carrier_product: await carrierProduct(ctx) };
};

async function renameParty(rpc: TrytonRpc, id: number, name: string): Promise<void> {
  const [row] = asRows(await rpc.model('party.party', 'read', [[id], ['name']]));
  if (row?.name !== name) await rpc.model('party.party', 'write', [[id], { name }]);
}

/** The shared service product, made once (its code is unique: a racing create elsewhere fails and we use the winner's). */
async function carrierProduct(ctx: CreateContext): Promise<number> {
  return ctx.lock.run(`product.product\u0000${CARRIER_PRODUCT_CODE}`, async () => {
    const found = await findCarrierProduct(ctx.rpc);
    if (found !== undefined) return found;
    const unit = ids(await ctx.rpc.model('product.uom', 'search', [[['symbol', '=', 'u']], 0, 1, [['id', 'ASC']]]))[0];
    if (unit === undefined) throw new ErpError('erp-user-error', 'Tryton has no unit with symbol "u" for the carrier service product');
    try {
      await ctx.rpc.model('product.template', 'create', [
        [
          {
            name: CARRIER_PRODUCT_NAME,
            code: CARRIER_PRODUCT_CODE,
            type: 'service',
            default_uom: unit,
            list_price: ErpDecimal.parse('0'),
            products: [['create', [{ cost_price: ErpDecimal.parse('0') }]]],
          },
        ],
      ]);
    } catch (error) {
      const winner = await findCarrierProduct(ctx.rpc).catch(() => undefined);
      if (winner !== undefined) return winner;
      throw error;
    }
    const made = await findCarrierProduct(ctx.rpc);
    if (made === undefined) throw new ErpError('erp-protocol', `Tryton created the carrier service product but cannot find ${CARRIER_PRODUCT_CODE}`);
    return made;
  });
}

async function findCarrierProduct(rpc: TrytonRpc): Promise<number | undefined> {
  return ids(await rpc.model('product.product', 'search', [[['code', '=', CARRIER_PRODUCT_CODE], ['type', '=', 'service']], 0, 1, [['id', 'ASC']]], ALL_RECORDS))[0];
}

function ids(value: ErpValue): number[] {
  if (!Array.isArray(value) || !value.every((id): id is number => typeof id === 'number')) throw new ErpError('erp-protocol', 'Tryton answered a search with something other than ids');
  return value;
}

function asRows(value: ErpValue): ErpValues[] {
  if (!Array.isArray(value)) throw new ErpError('erp-protocol', 'Tryton answered a read with something other than records');
  return value as ErpValues[];
}
