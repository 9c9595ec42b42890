/**
 * stock.location of type warehouse: Tryton 6.0 requires its input, output
 * and storage locations (stock/location.py: required when type is
 * warehouse; storage locations without a parent or inside the warehouse).
 * A warehouse made in Fieldstock gets three storage locations with codes
 * derived from ours (`<CODE>-IN`, `<CODE>-OUT`, `<CODE>-STORAGE`), each
 * created once by its code; Tryton then makes them children of the
 * warehouse (Location._set_warehouse_parent). It also gets Tryton's Lost and
 * Found (the first location of that type), where our adjustments and counts
 * go. Other location types need nothing.
 */
import type { ErpValues } from '../../../values.js';
import { createOnce } from '../references.js';
import type { PrepareCreate } from './types.js';

export const WAREHOUSE_ZONES = [
  { field: 'input_location', suffix: 'IN', label: 'input' },
  { field: 'output_location', suffix: 'OUT', label: 'output' },
  { field: 'storage_location', suffix: 'STORAGE', label: 'storage' },
] as const;

export const prepareWarehouse: PrepareCreate = async (ctx, values): Promise<ErpValues> => {
  if (values.type !== 'warehouse') return values;
  const zones: Record<string, number> = {};
  for (const zone of WAREHOUSE_ZONES) {
    if (values[zone.field] !== undefined) continue;
    const code = `${ctx.reference}-${zone.suffix}`;
    // Named from the code: the warehouse's own name may be what Tryton refuses (blank), and the zones should still be reusable.
    const { id } = await createOnce(ctx.rpc, ctx.lock, 'stock.location', code, { name: `${ctx.reference} ${zone.label}`, type: 'storage' });
    zones[zone.field] = id;
  }
  // Optional in Tryton, but stock changes we send move from and to it (journals/lookup.ts refuses a warehouse without one).
  if (values.lost_found_location === undefined) {
    const [lostFound] = (await ctx.rpc.model('stock.location', 'search', [[['type', '=', 'lost_found']], 0, 1, [['id', 'ASC']]])) as number[];
    if (typeof lostFound === 'number') zones.lost_found_location = lostFound;
  }
  if (Object.keys(zones).length === 0) return values;
  return { ...values, ...zones };
};
