/**
 * One field's value across the border: a reference through the lookup, a value
 * map, or the transform pipeline (a field has at most one of these; the loader
 * checks that).
 */
import { isRecord } from './paths.js';
import { applyTransforms, isBlank, type Step } from './transforms.js';
import type { ErpValue, FieldMap, RefLookup, ValueMap } from './types.js';

type Way = 'to-erp' | 'from-erp';

export function mapValue(values: ValueMap, way: Way, value: unknown): Step {
  const from = way === 'to-erp' ? 'local' : 'erp';
  const to = way === 'to-erp' ? 'erp' : 'local';
  if (!isBlank(value)) {
    const pair = values.pairs.find((p) => p[from] === value);
    if (pair) return { ok: true, value: pair[to] };
  }
  const fallback = values.default?.[to];
  if (fallback !== undefined) return { ok: true, value: fallback };
  if (isBlank(value)) return { ok: true, value };
  return {
    ok: false,
    code: 'invalid-document',
    message: `${JSON.stringify(value)} has no ${to === 'erp' ? 'ERP' : 'local'} value in the value map; add it to values.pairs or set values.default.${to}`,
  };
}

function refStep(field: FieldMap & { ref: string }, way: Way, value: unknown, lookup: RefLookup | undefined): Step {
  if (isBlank(value)) return { ok: true, value: way === 'from-erp' ? undefined : value };
  // Tryton reads a many-to-one as its id; an adapter may deliver the related record instead: use its id.
  const erpRef = (way === 'from-erp' && isRecord(value) && 'id' in value ? value.id : value) as ErpValue;
  if (!lookup) return { ok: false, code: 'invalid-document', message: `${field.local} refers to ${field.ref} records, but no reference lookup was given` };
  const result = way === 'to-erp' ? lookup.toErp(field.ref, String(value)) : lookup.toLocal(field.ref, erpRef);
  if (result !== undefined) return { ok: true, value: result };
  const what =
    way === 'to-erp'
      ? `local ${field.ref} record ${JSON.stringify(value)} has no linked ERP record yet`
      : `ERP ${field.ref} record ${JSON.stringify(erpRef)} is not linked to a Fieldstock record yet`;
  const code = field.ref === 'warehouses' ? 'unknown-warehouse' : field.ref === 'products' ? 'unknown-product' : 'invalid-document';
  return { ok: false, code, message: what };
}

export function convertField(field: FieldMap, way: Way, value: unknown, lookup: RefLookup | undefined): Step {
  if (field.ref !== undefined) return refStep(field as FieldMap & { ref: string }, way, value, lookup);
  if (field.values) return mapValue(field.values, way, value);
  return applyTransforms(field.transforms, way, value);
}
