/**
 * The map engine: pure functions from a validated map and one record to the
 * other side's record, its integration key, whether it syncs at all, and how
 * it differs from its counterpart. No I/O: references go through the
 * RefLookup the caller passes (the live sync's link table).
 *
 * Directions are absolute: toErp never emits a `from-erp` field and fromErp
 * never emits a `to-erp` one, so a field the ERP owns is never written back.
 */
import type { Direction } from '../../../shared/erp/direction.js';
import { convertField } from './convert.js';
import type { Step } from './transforms.js';
import { ErpDate, ErpDateTime, ErpDecimal } from '../values.js';
import { isRecord, readChildren, readPath } from './paths.js';
import { filterPasses } from './validate.js';
import type {
  ConflictDecision,
  ConflictPolicy,
  EngineOptions,
  ErpFields,
  ErpValue,
  FieldDifference,
  FieldMap,
  JsonValue,
  LocalDoc,
  LocalFields,
  MapBody,
  MapResult,
  RecordProblem,
  Side,
} from './types.js';

const writesErp = (f: FieldMap) => f.direction !== 'from-erp';
const readsErp = (f: FieldMap) => f.direction !== 'to-erp';

function result<T>(value: T, problems: RecordProblem[]): MapResult<T> {
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value };
}

/** The ERP record for a local document: `both` and `to-erp` fields, and sub-records. */
export function toErp(map: MapBody, doc: LocalDoc, options: EngineOptions = {}): MapResult<ErpFields> {
  const problems: RecordProblem[] = [];
  const out: ErpFields = options.create ? { ...map.create.erp } : {};
  for (const field of map.fields) {
    // The ERP id identifies the record; the adapter writes to it, never into it.
    if (!writesErp(field) || field.erp === 'id') continue;
    const step = convertField(field, 'to-erp', doc[field.local], options.lookup);
    if (!step.ok) problems.push({ code: step.code, field: field.local, message: `${field.local}: ${step.message}` });
    else if (step.value !== undefined) out[field.erp] = step.value;
  }
  for (const child of map.children) {
    const items = doc[child.local];
    // Sub-records with no field to write (purchase order lines, all from-erp) are not sent at all.
    if (!Array.isArray(items) || !child.fields.some((f) => writesErp(f) && f.erp !== 'id')) continue;
    const mapped: ErpFields[] = [];
    items.forEach((item: unknown, i) => {
      if (!isRecord(item) || !matches(child, 'local', item)) return;
      const r = toErp(child, item, options);
      if (r.ok) mapped.push(r.value);
      else problems.push(...prefixed(r.problems, `${child.local}[${i}].`));
    });
    out[child.erp] = mapped;
  }
  return result(out, problems);
}

/** The local fields for an ERP record: `both` and `from-erp` fields, and sub-records. A cleared optional field is present as undefined. */
export function fromErp(map: MapBody, record: Readonly<ErpFields>, options: EngineOptions = {}): MapResult<LocalFields> {
  const problems: RecordProblem[] = [];
  const out: LocalFields = options.create ? { ...map.create.local } : {};
  for (const field of map.fields) {
    if (!readsErp(field)) continue;
    const raw = readPath(record, field.erp);
    // Absent means not read (a partial record): leave the local value alone. Null means empty.
    if (raw === undefined && !options.create) continue;
    const step = convertField(field, 'from-erp', raw, options.lookup);
    if (!step.ok) {
      problems.push({ code: step.code, field: field.local, message: `${field.local}: ${step.message}` });
      continue;
    }
    // Local documents have no nulls: a blank optional value clears the field.
    const value = step.value === null ? undefined : (step.value as JsonValue | undefined);
    if (value === undefined && field.info.required) {
      problems.push({ code: 'invalid-document', field: field.local, message: `${field.local} is required, but ERP field ${field.erp} is empty` });
      continue;
    }
    out[field.local] = value;
  }
  for (const child of map.children) {
    const items = readChildren(record, child.erp);
    if (!items) continue;
    const mapped: JsonValue[] = [];
    items.forEach((item, i) => {
      if (!matches(child, 'erp', item)) return;
      const r = fromErp(child, item, options);
      if (r.ok) mapped.push(withoutUndefined(r.value));
      else problems.push(...prefixed(r.problems, `${child.local}[${i}].`));
    });
    out[child.local] = mapped;
  }
  return result(out, problems);
}

/**
 * The integration key of a record on either side, in local terms, so the same
 * entity gives the same key from both systems. A reference part is the local
 * id of the referenced record (the ERP side is translated through the lookup).
 */
export function integrationKey(map: MapBody, side: Side, record: LocalDoc | Readonly<ErpFields>, options: EngineOptions = {}): MapResult<{ key: string; parts: ErpValue[] }> {
  const problems: RecordProblem[] = [];
  const parts: ErpValue[] = [];
  for (const name of map.key) {
    const field = map.fields.find((f) => f.local === name);
    if (!field) {
      problems.push({ code: 'invalid-document', field: name, message: `key field ${name} has no field map` });
      continue;
    }
    const step = side === 'local' ? normalizeLocal(field, record[name], options) : convertField(field, 'from-erp', readPath(record as ErpFields, field.erp), options.lookup);
    if (!step.ok) problems.push({ code: step.code, field: name, message: `${name}: ${step.message}` });
    else if (step.value === undefined || step.value === null || step.value === '') {
      problems.push({ code: 'invalid-document', field: name, message: `key field ${name} is empty on the ${side === 'local' ? 'Fieldstock' : 'ERP'} record (ERP field ${field.erp}), so it cannot be matched` });
    } else parts.push(step.value);
  }
  const key = parts.length === 1 ? String(parts[0]) : JSON.stringify(parts);
  return result({ key, parts }, problems);
}

/** A local value as it reads back from the ERP: `" wh-1 "` with trim and upper is `"WH-1"`. References stay local ids. */
function normalizeLocal(field: FieldMap, value: unknown, options: EngineOptions): Step {
  if (field.ref !== undefined) return { ok: true, value: value as ErpValue | undefined };
  const out = convertField(field, 'to-erp', value, options.lookup);
  return out.ok ? convertField(field, 'from-erp', out.value, options.lookup) : out;
}

/** Whether a record passes the map's filters for its side (all of them). */
export function matches(map: Pick<MapBody, 'filter'>, side: Side, record: LocalDoc | Readonly<ErpFields>): boolean {
  return map.filter[side].every((f) => filterPasses(f, side === 'local' ? record[f.field] : readPath(record as ErpFields, f.field)));
}

/**
 * The mapped fields on which a local document and its ERP record disagree,
 * compared in local terms (an ERP "5.00" equals a local 5). Empty means the
 * two are in sync: an incoming change is an echo of our own write.
 */
export function diff(map: MapBody, doc: LocalDoc, record: Readonly<ErpFields>, options: EngineOptions = {}): FieldDifference[] {
  const differences: FieldDifference[] = [];
  for (const field of map.fields) {
    const local = normalizeLocal(field, doc[field.local], options);
    const remote = convertField(field, 'from-erp', readPath(record, field.erp), options.lookup);
    const localValue = local.ok ? local.value : (doc[field.local] as ErpValue | undefined);
    const erpValue = remote.ok ? remote.value : readPath(record, field.erp);
    if (!sameValue(localValue, erpValue)) differences.push({ local: field.local, erp: field.erp, direction: field.direction, localValue, erpValue });
  }
  for (const child of map.children) {
    const localItems = (Array.isArray(doc[child.local]) ? (doc[child.local] as unknown[]) : [])
      .filter((item): item is ErpFields => isRecord(item) && matches(child, 'local', item))
      .map((item) => comparable(child, item, 'local', options));
    const erpItems = (readChildren(record, child.erp) ?? []).filter((item) => matches(child, 'erp', item)).map((item) => comparable(child, item, 'erp', options));
    if (!sameValue(sortByKey(localItems), sortByKey(erpItems))) {
      differences.push({ local: child.local, erp: child.erp, direction: 'both', localValue: localItems.map((i) => i.fields), erpValue: erpItems.map((i) => i.fields) });
    }
  }
  return differences;
}

function comparable(child: MapBody, item: Readonly<ErpFields>, side: Side, options: EngineOptions): { key: string; fields: ErpFields } {
  const fields: ErpFields = {};
  for (const field of child.fields) {
    const step = side === 'local' ? normalizeLocal(field, item[field.local], options) : convertField(field, 'from-erp', readPath(item, field.erp), options.lookup);
    const value = step.ok ? step.value : side === 'local' ? item[field.local] : readPath(item, field.erp);
    if (value !== undefined && value !== null) fields[field.local] = value;
  }
  const key = integrationKey(child, side, item, options);
  return { key: key.ok ? key.value.key : JSON.stringify(fields), fields };
}

function sortByKey(items: { key: string; fields: ErpFields }[]): ErpFields[] {
  return [...items].sort((a, b) => (a.key < b.key ? -1 : a.key > b.key ? 1 : 0)).map((i) => i.fields);
}

/**
 * The mapped fields that changed between two versions of a record on one side
 * and would flow out of it (local: to-erp and both; erp: from-erp and both).
 * None changed means nothing to sync, however much else changed.
 */
export function changedFields(map: MapBody, side: Side, before: LocalDoc | Readonly<ErpFields>, after: LocalDoc | Readonly<ErpFields>): string[] {
  const flows = side === 'local' ? writesErp : readsErp;
  const changed: string[] = [];
  for (const field of map.fields) {
    if (!flows(field)) continue;
    const read = (r: LocalDoc | Readonly<ErpFields>) => (side === 'local' ? r[field.local] : readPath(r as ErpFields, field.erp));
    if (!sameValue(read(before), read(after))) changed.push(field.local);
  }
  for (const child of map.children) {
    const read = (r: LocalDoc | Readonly<ErpFields>) => (side === 'local' ? r[child.local] : (readChildren(r as ErpFields, child.erp) ?? []));
    if (!sameValue(read(before), read(after))) changed.push(child.local);
  }
  return changed;
}

/** Settles a record changed on both sides since the last sync, by the map's policy; the reason goes to the log. */
export function resolveConflict(map: { conflict: ConflictPolicy }, changes: { appChangedAt?: string; erpChangedAt?: string }): ConflictDecision {
  if (map.conflict === 'erp-wins') return { winner: 'erp', reason: 'policy erp-wins: the ERP maintains this record' };
  if (map.conflict === 'app-wins') return { winner: 'app', reason: 'policy app-wins: Fieldstock maintains this record' };
  const app = changes.appChangedAt ? Date.parse(changes.appChangedAt) : Number.NaN;
  const erp = changes.erpChangedAt ? Date.parse(changes.erpChangedAt) : Number.NaN;
  if (Number.isNaN(app) && Number.isNaN(erp)) return { winner: 'erp', reason: 'policy newest-wins: neither change has a time, the ERP wins' };
  if (Number.isNaN(erp)) return { winner: 'app', reason: 'policy newest-wins: only the Fieldstock change has a time' };
  if (Number.isNaN(app)) return { winner: 'erp', reason: 'policy newest-wins: only the ERP change has a time' };
  // A tie goes to the ERP: its write_date has whole-second resolution on SQLite.
  return app > erp
    ? { winner: 'app', reason: `policy newest-wins: Fieldstock changed it at ${changes.appChangedAt}, after the ERP (${changes.erpChangedAt})` }
    : { winner: 'erp', reason: `policy newest-wins: the ERP changed it at ${changes.erpChangedAt}, not before Fieldstock (${changes.appChangedAt})` };
}

/** Which ways records of a map flow: the initial sync creates missing records only in these. */
export function mapDirections(map: { direction: Direction }): { toErp: boolean; fromErp: boolean } {
  return { toErp: map.direction !== 'from-erp', fromErp: map.direction !== 'to-erp' };
}

function prefixed(problems: RecordProblem[], prefix: string): RecordProblem[] {
  return problems.map((p) => ({ ...p, field: prefix + p.field, message: prefix + p.message }));
}

function withoutUndefined(value: LocalFields): JsonValue {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as JsonValue;
}

/** Deep equality of values on either side; ERP value classes compare by their text. */
export function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a instanceof ErpDecimal || a instanceof ErpDate || a instanceof ErpDateTime) return a.constructor === (b as object | null)?.constructor && String(a) === String(b);
  if ((a === undefined || a === null) && (b === undefined || b === null)) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameValue(v, b[i]));
  if (isRecord(a) && isRecord(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    return [...keys].every((k) => sameValue(a[k], b[k]));
  }
  return false;
}

/**
 * The ERP field paths an adapter must read for a map: mapped fields that flow
 * from the ERP or form the key, and the ERP filter's fields. Sub-record paths
 * are prefixed with the one-to-many field (`lines.product`).
 */
export function erpReadFields(map: MapBody): string[] {
  const paths = new Set<string>();
  for (const f of map.fields) if (readsErp(f) || map.key.includes(f.local)) paths.add(f.erp);
  for (const f of map.filter.erp) paths.add(f.field);
  for (const child of map.children) {
    paths.add(child.erp);
    for (const path of erpReadFields(child)) paths.add(`${child.erp}.${path}`);
  }
  return [...paths];
}
