/**
 * Writes of a field of a related record: a map may write `relation.field`
 * (ship-via's name is the carrier's `party.name`), which Tryton's `write`
 * does not take. The values are split: the record's own fields are written
 * as they are, and each relation's fields are written to the record the
 * relation points at, which must be a many-to-one (fields_get says which
 * model). Used by TrytonConnector.update; creates make related records in
 * their own module (carrier.ts).
 */
import { ErpError } from '../../../errors.js';
import type { ErpValue, ErpValues } from '../../../values.js';
import type { TrytonRpc } from '../rpc.js';

export interface SplitValues {
  own: ErpValues;
  /** Fields to write per relation of the record (`party` → { name }). */
  related: ReadonlyMap<string, ErpValues>;
}

export function splitRelated(values: ErpValues): SplitValues {
  const own: Record<string, ErpValue> = {};
  const related = new Map<string, Record<string, ErpValue>>();
  for (const [path, value] of Object.entries(values)) {
    const dot = path.indexOf('.');
    if (dot < 0) {
      own[path] = value;
      continue;
    }
    const relation = path.slice(0, dot);
    const field = path.slice(dot + 1);
    if (relation === '' || field === '' || field.includes('.')) throw new ErpError('erp-config', `"${path}" cannot be written: only a field of a directly related record (relation.field) can`);
    const fields = related.get(relation) ?? {};
    fields[field] = value;
    related.set(relation, fields);
  }
  return { own, related };
}

/** Writes each relation's fields to the related record of `model` `id`. */
export async function writeRelated(rpc: TrytonRpc, model: string, id: number, related: ReadonlyMap<string, ErpValues>): Promise<void> {
  if (related.size === 0) return;
  const relations = [...related.keys()];
  const described = await rpc.model(model, 'fields_get', [relations]);
  const [row] = (await rpc.model(model, 'read', [[id], relations])) as ErpValues[];
  if (!row) throw new ErpError('erp-user-error', `Tryton ${model} ${id} no longer exists`);
  for (const [relation, fields] of related) {
    const info = isObject(described) ? described[relation] : undefined;
    const target = isObject(info) && info.type === 'many2one' && typeof info.relation === 'string' ? info.relation : undefined;
    if (!target) throw new ErpError('erp-config', `${model}.${relation} is not a many-to-one field of Tryton, so ${Object.keys(fields).map((f) => `${relation}.${f}`).join(', ')} cannot be written`);
    const relatedId = row[relation];
    if (typeof relatedId !== 'number') throw new ErpError('erp-user-error', `Tryton ${model} ${id} has no ${relation} to write ${Object.keys(fields).join(', ')} to`);
    await rpc.model(target, 'write', [[relatedId], fields]);
  }
}

function isObject(value: ErpValue | undefined): value is Readonly<Record<string, ErpValue>> {
  return value !== null && value !== undefined && typeof value === 'object' && !Array.isArray(value);
}
