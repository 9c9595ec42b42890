/**
 * Strict validation of one map file's parsed YAML into an EntityMap. Every
 * problem is collected (never only the first) with the path inside the file,
 * so an administrator can fix a whole file in one go. Checks that span files
 * (duplicate maps, references to other maps) live in load.ts.
 */
import { isCollectionName, type CollectionName } from '../../../shared/collections.js';
import { DIRECTIONS, type Direction } from '../../../shared/erp/direction.js';
import { collectionFields, localValueProblem, primaryKeyField } from './schema-fields.js';
import { isDotted } from './paths.js';
import { pipelineProblem } from './transforms.js';
import {
  CONFLICT_POLICIES,
  TRANSFORM_NAMES,
  type ChildMap,
  type ConflictPolicy,
  type EntityMap,
  type FieldFilter,
  type FieldMap,
  type FilterOperator,
  type JsonRecord,
  type LocalFieldInfo,
  type MapBody,
  type Scalar,
  type TransformName,
  type TransformSpec,
  type ValueMap,
  type ValuePair,
} from './types.js';

export type PathSegment = string | number;

/** Collects problems of one file; `lineOf` finds the line of a path in the YAML source. */
export class Problems {
  readonly list: { path: PathSegment[]; message: string }[] = [];

  add(path: PathSegment[], message: string): void {
    this.list.push({ path, message });
  }
}

// Where each field map stands in its file's list (invalid entries are dropped, so list positions shift).
const fieldIndex = new WeakMap<FieldMap, number>();

export function formatPath(path: readonly PathSegment[]): string {
  return path.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
}

type Plain = Record<string, unknown>;

function isPlain(value: unknown): value is Plain {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function isScalar(value: unknown): value is Scalar {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}

/** A mapping with only the allowed keys and all the required ones. */
function mapping(p: Problems, value: unknown, path: PathSegment[], allowed: readonly string[], required: readonly string[]): Plain | undefined {
  if (!isPlain(value)) {
    p.add(path, `expected a mapping with ${allowed.join(', ')}, got ${describe(value)}`);
    return undefined;
  }
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) p.add([...path, key], `unknown key "${key}" (allowed here: ${allowed.join(', ')})`);
  }
  for (const key of required) {
    if (value[key] === undefined) p.add(path, `missing required key "${key}"`);
  }
  return value;
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object') return 'a mapping';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function text(p: Problems, value: unknown, path: PathSegment[]): string | undefined {
  if (typeof value === 'string' && value.trim() !== '') return value;
  if (value !== undefined) p.add(path, `expected non-empty text, got ${describe(value)}`);
  return undefined;
}

function list(p: Problems, value: unknown, path: PathSegment[]): unknown[] {
  if (value === undefined) return [];
  if (Array.isArray(value)) return value;
  p.add(path, `expected a list, got ${describe(value)}`);
  return [];
}

function oneOf<T extends string>(p: Problems, value: unknown, path: PathSegment[], options: readonly T[]): T | undefined {
  if (typeof value === 'string' && (options as readonly string[]).includes(value)) return value as T;
  if (value !== undefined) p.add(path, `${describe(value)} is not one of ${options.join(', ')}`);
  return undefined;
}

const ENTITY_KEYS = ['collection', 'model', 'enabled', 'direction', 'conflict', 'description', 'key', 'fields', 'filter', 'create', 'children'];
const CHILD_KEYS = ['local', 'erp', 'model', 'key', 'fields', 'filter', 'create', 'children'];
const FIELD_KEYS = ['local', 'erp', 'direction', 'transforms', 'values', 'ref'];

/** Validates one file's parsed YAML. Returns the map when its collection is known (even with problems, for cross-file checks). */
export function validateMap(raw: unknown, name: string, file: string, p: Problems): EntityMap | undefined {
  const top = mapping(p, raw, [], ENTITY_KEYS, ['collection', 'model', 'key', 'fields']);
  if (!top) return undefined;
  let collection: CollectionName | undefined;
  const collectionName = text(p, top.collection, ['collection']);
  if (collectionName !== undefined) {
    if (isCollectionName(collectionName)) collection = collectionName;
    else p.add(['collection'], `unknown collection "${collectionName}"`);
  }
  let enabled = true;
  if (top.enabled !== undefined) {
    if (typeof top.enabled === 'boolean') enabled = top.enabled;
    else p.add(['enabled'], `expected true or false, got ${describe(top.enabled)}`);
  }
  const conflict: ConflictPolicy = oneOf(p, top.conflict, ['conflict'], CONFLICT_POLICIES) ?? 'erp-wins';
  const direction: Direction = oneOf(p, top.direction, ['direction'], DIRECTIONS) ?? 'both';
  if (top.description !== undefined) text(p, top.description, ['description']);
  if (!collection) {
    // Without the collection there is no schema to check fields against; still report the shape.
    validateBody(p, top, [], undefined, undefined);
    return undefined;
  }
  const body = validateBody(p, top, [], collectionFields(collection), primaryKeyField(collection));
  if (direction !== 'both') checkAgainstMapDirection(p, body, [], direction);
  return { name, file, collection, enabled, direction, conflict, ...body };
}

function validateBody(
  p: Problems,
  raw: Plain,
  path: PathSegment[],
  infos: ReadonlyMap<string, LocalFieldInfo> | undefined,
  primaryKey: string | undefined,
): MapBody {
  const model = text(p, raw.model, [...path, 'model']) ?? '';
  const fields = list(p, raw.fields, [...path, 'fields'])
    .map((entry, i) => {
      const field = validateField(p, entry, [...path, 'fields', i], infos);
      if (field) fieldIndex.set(field, i);
      return field;
    })
    .filter((f): f is FieldMap => f !== undefined);
  checkDuplicates(p, fields, path);
  const key = validateKey(p, raw.key, [...path, 'key'], fields, infos);
  const filter = {
    local: validateFilters(p, raw.filter, path, 'local', infos),
    erp: validateFilters(p, raw.filter, path, 'erp', undefined),
  };
  const create = validateCreate(p, raw.create, [...path, 'create'], infos);
  const children = list(p, raw.children, [...path, 'children'])
    .map((entry, i) => validateChild(p, entry, [...path, 'children', i], infos))
    .filter((c): c is ChildMap => c !== undefined);
  const body: MapBody = { model, key, fields, filter, create, children };
  if (infos) checkFromErpCompleteness(p, body, path, infos, primaryKey);
  return body;
}

function validateChild(p: Problems, raw: unknown, path: PathSegment[], parent: ReadonlyMap<string, LocalFieldInfo> | undefined): ChildMap | undefined {
  const entry = mapping(p, raw, path, CHILD_KEYS, ['local', 'erp', 'model', 'key', 'fields']);
  if (!entry) return undefined;
  const local = text(p, entry.local, [...path, 'local']);
  const erp = text(p, entry.erp, [...path, 'erp']);
  let items: ReadonlyMap<string, LocalFieldInfo> | undefined;
  if (local !== undefined && parent) {
    const info = parent.get(local);
    if (!info) p.add([...path, 'local'], `"${local}" is not a field of this collection (fields: ${[...parent.keys()].join(', ')})`);
    else if (!info.items) p.add([...path, 'local'], `"${local}" is not a list of sub-records, so it cannot have a nested map`);
    else items = info.items;
  }
  if (erp !== undefined && isDotted(erp)) p.add([...path, 'erp'], `"${erp}" must name a one-to-many field of the ERP record, without dots`);
  const body = validateBody(p, entry, path, items, undefined);
  return local !== undefined && erp !== undefined ? { local, erp, ...body } : undefined;
}

function validateField(p: Problems, raw: unknown, path: PathSegment[], infos: ReadonlyMap<string, LocalFieldInfo> | undefined): FieldMap | undefined {
  const entry = mapping(p, raw, path, FIELD_KEYS, ['local', 'erp', 'direction']);
  if (!entry) return undefined;
  const local = text(p, entry.local, [...path, 'local']);
  const erp = text(p, entry.erp, [...path, 'erp']);
  const direction = oneOf(p, entry.direction, [...path, 'direction'], DIRECTIONS);
  let info: LocalFieldInfo | undefined;
  if (local !== undefined && infos) {
    info = infos.get(local);
    if (!info) p.add([...path, 'local'], `"${local}" is not a field of this collection (fields: ${[...infos.keys()].join(', ')})`);
    else if (info.type === 'array' || info.type === 'object') {
      p.add([...path, 'local'], `"${local}" is a list or object; map its sub-records under children`);
      info = undefined;
    }
  }
  if (erp !== undefined && direction && direction !== 'from-erp') {
    // One relation deep (`party.name`) is written to the related record by the adapter (Tryton: connector.update, the carrier create); deeper paths are read only.
    if (erp.split('.').length > 2) p.add([...path, 'erp'], `"${erp}" is a field of a record two or more relations away and can only be read: use direction from-erp (a field of a directly related record, relation.field, can be written)`);
    if (erp === 'id' && direction === 'to-erp') p.add([...path, 'erp'], 'the ERP record id is assigned by the ERP and never written: use direction from-erp or both');
  }
  const transforms = list(p, entry.transforms, [...path, 'transforms'])
    .map((t, i) => validateTransform(p, t, [...path, 'transforms', i]))
    .filter((t): t is TransformSpec => t !== undefined);
  if (info && transforms.length > 0) {
    const problem = pipelineProblem(transforms, info);
    if (problem) p.add([...path, 'transforms', problem.index], problem.message);
  }
  let values: ValueMap | undefined;
  if (entry.values !== undefined) values = validateValues(p, entry.values, [...path, 'values'], info, direction);
  if (values && transforms.length > 0) p.add([...path, 'values'], 'use either values or transforms on a field, not both');
  let ref: string | undefined;
  if (entry.ref !== undefined) {
    ref = text(p, entry.ref, [...path, 'ref']);
    if (values || transforms.length > 0) p.add([...path, 'ref'], 'a reference field takes no values or transforms: it is translated through the referenced map');
    if (info && info.type !== 'string') p.add([...path, 'ref'], `a reference needs a local id field, but ${info.name} is ${info.type}`);
  }
  if (local === undefined || erp === undefined || !direction || !info) return undefined;
  const field: FieldMap = { local, erp, direction, transforms, info };
  if (values) field.values = values;
  if (ref !== undefined) field.ref = ref;
  return field;
}

const PARAMLESS: readonly TransformName[] = ['trim', 'upper', 'lower', 'date', 'datetime', 'boolean', 'decimal'];

function validateTransform(p: Problems, raw: unknown, path: PathSegment[]): TransformSpec | undefined {
  const known = `known transforms: ${TRANSFORM_NAMES.join(', ')}`;
  if (typeof raw === 'string') {
    if ((PARAMLESS as readonly string[]).includes(raw)) {
      return raw === 'decimal' ? { name: 'decimal', as: 'text' } : ({ name: raw } as TransformSpec);
    }
    if ((TRANSFORM_NAMES as readonly string[]).includes(raw)) p.add(path, `transform "${raw}" needs a value, e.g. { ${raw}: ... }`);
    else p.add(path, `unknown transform "${raw}" (${known})`);
    return undefined;
  }
  if (!isPlain(raw) || Object.keys(raw).length !== 1) {
    p.add(path, `expected a transform name or a mapping with one transform, got ${describe(raw)} (${known})`);
    return undefined;
  }
  const [name, arg] = Object.entries(raw)[0]!;
  switch (name) {
    case 'prefix':
    case 'suffix':
      if (typeof arg === 'string' && arg !== '') return { name, text: arg };
      p.add([...path, name], `${name} needs non-empty text, got ${describe(arg)}`);
      return undefined;
    case 'default': {
      if (isScalar(arg)) return { name, local: arg, erp: arg };
      const sides = mapping(p, arg, [...path, name], ['local', 'erp'], []);
      if (!sides) return undefined;
      const spec: TransformSpec = { name: 'default' };
      for (const side of ['local', 'erp'] as const) {
        if (sides[side] === undefined) continue;
        if (isScalar(sides[side])) spec[side] = sides[side];
        else p.add([...path, name, side], `expected a single value, got ${describe(sides[side])}`);
      }
      return spec;
    }
    case 'decimal': {
      const opts = mapping(p, arg, [...path, name], ['places', 'as'], []);
      if (!opts) return undefined;
      const spec: TransformSpec = { name: 'decimal', as: oneOf(p, opts.as, [...path, name, 'as'], ['text', 'number'] as const) ?? 'text' };
      if (opts.places !== undefined) {
        if (Number.isInteger(opts.places) && (opts.places as number) >= 0 && (opts.places as number) <= 12) spec.places = opts.places as number;
        else p.add([...path, name, 'places'], `places must be a whole number from 0 to 12, got ${describe(opts.places)}`);
      }
      return spec;
    }
    default:
      if ((PARAMLESS as readonly string[]).includes(name)) p.add([...path, name], `transform "${name}" takes no value: write it as a plain name`);
      else p.add([...path, name], `unknown transform "${name}" (${known})`);
      return undefined;
  }
}

function validateValues(p: Problems, raw: unknown, path: PathSegment[], info: LocalFieldInfo | undefined, direction: Direction | undefined): ValueMap | undefined {
  const entry = mapping(p, raw, path, ['pairs', 'default'], ['pairs']);
  if (!entry) return undefined;
  const pairs: ValuePair[] = [];
  for (const [i, pairRaw] of list(p, entry.pairs, [...path, 'pairs']).entries()) {
    const pair = mapping(p, pairRaw, [...path, 'pairs', i], ['local', 'erp'], ['local', 'erp']);
    if (!pair || pair.local === undefined || pair.erp === undefined) continue;
    if (!isScalar(pair.local) || !isScalar(pair.erp)) {
      p.add([...path, 'pairs', i], 'local and erp must be single values');
      continue;
    }
    if (info) {
      const problem = localValueProblem(info, pair.local);
      if (problem) p.add([...path, 'pairs', i, 'local'], `${problem} (field ${info.name})`);
    }
    pairs.push({ local: pair.local, erp: pair.erp });
  }
  const map: ValueMap = { pairs };
  if (entry.default !== undefined) {
    const def = mapping(p, entry.default, [...path, 'default'], ['local', 'erp'], []);
    if (def) {
      map.default = {};
      for (const side of ['local', 'erp'] as const) {
        if (def[side] === undefined) continue;
        if (!isScalar(def[side])) p.add([...path, 'default', side], `expected a single value, got ${describe(def[side])}`);
        else map.default[side] = def[side];
      }
      if (info && map.default.local !== undefined) {
        const problem = localValueProblem(info, map.default.local);
        if (problem) p.add([...path, 'default', 'local'], `${problem} (field ${info.name})`);
      }
    }
  }
  if (info && !info.enum && direction) {
    // On a free-form field an unlisted value has nowhere to go without a default.
    const needs: ('local' | 'erp')[] = direction === 'both' ? ['local', 'erp'] : direction === 'from-erp' ? ['local'] : ['erp'];
    const missing = needs.filter((side) => map.default?.[side] === undefined);
    if (missing.length > 0) {
      p.add(path, `${info.name} is not an enum, so its value map needs a default (${missing.map((s) => `default.${s}`).join(' and ')}) for values not listed`);
    }
  }
  if (direction === 'both') {
    for (const side of ['local', 'erp'] as const) {
      const seen = new Set<Scalar>();
      for (const [i, pair] of pairs.entries()) {
        if (seen.has(pair[side])) p.add([...path, 'pairs', i, side], `${JSON.stringify(pair[side])} is listed twice; a both-ways value map must pair each value once so it reads back the same`);
        seen.add(pair[side]);
      }
    }
  }
  return map;
}

function checkDuplicates(p: Problems, fields: readonly FieldMap[], path: PathSegment[]): void {
  const locals = new Map<string, number>();
  const erpWrites = new Map<string, number>();
  for (const f of fields) {
    const i = fieldIndex.get(f)!;
    const before = locals.get(f.local);
    if (before !== undefined) p.add([...path, 'fields', i, 'local'], `"${f.local}" is already mapped at fields[${before}]; map each local field once`);
    else locals.set(f.local, i);
    if (f.direction !== 'from-erp') {
      const prior = erpWrites.get(f.erp);
      if (prior !== undefined) p.add([...path, 'fields', i, 'erp'], `ERP field "${f.erp}" is already written by fields[${prior}]; only one field may write it`);
      else erpWrites.set(f.erp, i);
    }
  }
}

function validateKey(
  p: Problems,
  raw: unknown,
  path: PathSegment[],
  fields: readonly FieldMap[],
  infos: ReadonlyMap<string, LocalFieldInfo> | undefined,
): string[] {
  const names = typeof raw === 'string' ? [raw] : list(p, raw, path);
  if (raw !== undefined && names.length === 0) p.add(path, 'the integration key needs at least one field');
  const key: string[] = [];
  names.forEach((name, i) => {
    const at = typeof raw === 'string' ? path : [...path, i];
    if (typeof name !== 'string' || name === '') {
      p.add(at, `expected a local field name, got ${describe(name)}`);
      return;
    }
    if (key.includes(name)) p.add(at, `"${name}" is listed twice in the key`);
    key.push(name);
    if (infos && !infos.has(name)) {
      p.add(at, `key field "${name}" is not a field of this collection`);
      return;
    }
    const field = fields.find((f) => f.local === name);
    if (!field) {
      if (infos) p.add(at, `key field "${name}" has no entry in fields; map it there with direction both`);
    } else if (field.direction !== 'both') {
      p.add(at, `key field "${name}" is mapped ${field.direction} only; a key must be mapped both ways (direction: both) so records can be matched from either side`);
    }
  });
  return key;
}

const OPERATORS: readonly FilterOperator[] = ['equals', 'in', 'notIn'];

function validateFilters(p: Problems, raw: unknown, parent: PathSegment[], side: 'local' | 'erp', infos: ReadonlyMap<string, LocalFieldInfo> | undefined): FieldFilter[] {
  if (raw === undefined) return [];
  const filter = side === 'local' ? mapping(p, raw, [...parent, 'filter'], ['local', 'erp'], []) : isPlain(raw) ? raw : undefined;
  if (!filter) return [];
  const path = [...parent, 'filter', side];
  const result: FieldFilter[] = [];
  for (const [i, entryRaw] of list(p, filter[side], path).entries()) {
    const at = [...path, i];
    const entry = mapping(p, entryRaw, at, ['field', ...OPERATORS], ['field']);
    if (!entry) continue;
    const field = text(p, entry.field, [...at, 'field']);
    const ops = OPERATORS.filter((op) => entry[op] !== undefined);
    if (ops.length !== 1) {
      p.add(at, `give exactly one of ${OPERATORS.join(', ')}`);
      continue;
    }
    const op = ops[0]!;
    const arg = entry[op];
    const values = op === 'equals' ? [arg] : Array.isArray(arg) ? arg : undefined;
    if (!values || values.length === 0 || !values.every(isScalar)) {
      p.add([...at, op], op === 'equals' ? 'expected a single value' : 'expected a non-empty list of single values');
      continue;
    }
    let info: LocalFieldInfo | undefined;
    if (field !== undefined && infos) {
      info = infos.get(field);
      if (!info) p.add([...at, 'field'], `"${field}" is not a field of this collection`);
    }
    if (info) {
      values.forEach((v, j) => {
        // null stands for "missing", which only an optional field can be.
        const problem = v === null && !info.required ? undefined : localValueProblem(info, v);
        if (problem) p.add(op === 'equals' ? [...at, op] : [...at, op, j], `${problem} (field ${info.name})`);
      });
    }
    if (field !== undefined) result.push({ field, op, values });
  }
  return result;
}

function validateCreate(p: Problems, raw: unknown, path: PathSegment[], infos: ReadonlyMap<string, LocalFieldInfo> | undefined): MapBody['create'] {
  const create = { local: {} as JsonRecord, erp: {} as JsonRecord };
  if (raw === undefined) return create;
  const entry = mapping(p, raw, path, ['local', 'erp'], []);
  if (!entry) return create;
  for (const side of ['local', 'erp'] as const) {
    if (entry[side] === undefined) continue;
    if (!isPlain(entry[side])) {
      p.add([...path, side], `expected a mapping of field: value, got ${describe(entry[side])}`);
      continue;
    }
    for (const [field, value] of Object.entries(entry[side])) {
      const info = side === 'local' ? infos?.get(field) : undefined;
      if (side === 'local' && infos && !info) {
        p.add([...path, side, field], `"${field}" is not a field of this collection`);
        continue;
      }
      // A list field (barcodes) may start as a list of single values, typically empty.
      const isList = Array.isArray(value) && value.every(isScalar);
      if (!isScalar(value) && !(isList && (side === 'erp' || info?.type === 'array'))) {
        p.add([...path, side, field], `expected a single value${info?.type === 'array' ? ' or a list of them' : ''}, got ${describe(value)}`);
        continue;
      }
      if (info && !isList) {
        const problem = localValueProblem(info, value);
        if (problem) p.add([...path, side, field], problem);
      } else if (info && isList && info.type !== 'array') p.add([...path, side, field], `${field} is not a list field`);
      create[side][field] = value as JsonRecord[string];
    }
  }
  return create;
}

/**
 * A map that reads records from the ERP must be able to create complete local
 * records: every required field mapped from the ERP or given in create.local,
 * and the result must pass the map's own local filter.
 */
function checkFromErpCompleteness(p: Problems, body: MapBody, path: PathSegment[], infos: ReadonlyMap<string, LocalFieldInfo>, primaryKey: string | undefined): void {
  const fromErp = new Set(body.fields.filter((f) => f.direction !== 'to-erp').map((f) => f.local));
  if (fromErp.size === 0) return;
  const provided = new Set([...fromErp, ...Object.keys(body.create.local), ...body.children.map((c) => c.local)]);
  const missing = [...infos.values()].filter((info) => info.required && info.name !== primaryKey && !provided.has(info.name)).map((info) => info.name);
  if (missing.length > 0) {
    const list = missing.map((m) => `"${m}"`).join(', ');
    p.add(path.length ? path : ['fields'], `required field${missing.length > 1 ? 's' : ''} ${list} get${missing.length > 1 ? '' : 's'} no value when a record comes from the ERP: map ${missing.length > 1 ? 'them' : 'it'} from the ERP or give ${missing.length > 1 ? 'them' : 'it'} in create.local`);
  }
  body.filter.local.forEach((filter, i) => {
    if (fromErp.has(filter.field)) return;
    const at = [...path, 'filter', 'local', i];
    const value = body.create.local[filter.field];
    if (value === undefined) p.add(at, `records created from the ERP have no "${filter.field}" and would not pass this filter: set it in create.local`);
    else if (!filterPasses(filter, value as Scalar)) p.add(at, `create.local sets ${filter.field} to ${JSON.stringify(value)}, which this filter rejects`);
  });
}

export function filterPasses(filter: FieldFilter, value: unknown): boolean {
  const hit = filter.values.some((v) => v === value || (v === null && value === undefined));
  return filter.op === 'notIn' ? !hit : hit;
}

/** A map that flows one way has no field flowing the other way (key fields are `both` and only read). */
function checkAgainstMapDirection(p: Problems, body: MapBody, path: PathSegment[], direction: 'to-erp' | 'from-erp'): void {
  body.fields.forEach((f) => {
    if (f.direction !== 'both' && f.direction !== direction) {
      p.add([...path, 'fields', fieldIndex.get(f)!, 'direction'], `the map's direction is ${direction}, so no field can flow ${f.direction}`);
    }
  });
  body.children.forEach((c, i) => checkAgainstMapDirection(p, c, [...path, 'children', i], direction));
}
