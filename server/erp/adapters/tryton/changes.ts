/**
 * Incremental reads of a Tryton model by its change stamps.
 *
 * Tryton stamps `create_date` and `write_date` (naive UTC, transaction start
 * time, microseconds). A sweep reads every record created or written at or
 * after `since - overlap`, in id order, one page at a time (`afterId`), and
 * remembers the newest stamp it saw; when a page comes back short the sweep
 * is over and the next one starts from that stamp. The overlap re-reads
 * records stamped before the cursor but committed after it (long
 * transactions) and records changed while a sweep was passing them.
 *
 * Tryton stamps only the record that was written, so for some models the
 * stamps of related records count too (RELATED_STAMPS): the domain selects
 * a record when they are in the window, and its `changedAt` is the newest of
 * its own and its related stamps. `version` (`_timestamp`, the optimistic
 * lock) stays the record's own.
 */
import type { ChangePage, ChangeQuery, ErpFilter, ErpRecord } from '../../connector.js';
import { ErpError } from '../../errors.js';
import { ErpDateTime, type ErpValue, type ErpValues } from '../../values.js';
import type { TrytonRpc } from './rpc.js';

interface Cursor {
  /** Start of the current sweep (null: from the beginning). */
  since: string | null;
  /** Newest change stamp seen so far in this sweep. */
  newest: string | null;
  /** Last id returned in this sweep. */
  afterId: number;
}

const OWN_STAMPS = ['create_date', 'write_date'] as const;
const STAMPS = [...OWN_STAMPS, '_timestamp'] as const;
const ALL_RECORDS = { active_test: false } as const;

/**
 * Relations whose records' stamps count as a change of the record itself, per
 * model. Tryton stamps `write_date` on the edited record only, and the maps
 * read fields that live on these related records: a product's name, type and
 * unit are its template's (a rename writes product.template, not
 * product.product), and a purchase's lines are purchase.line records (a line
 * edited on its own leaves purchase.purchase as it was), and a carrier's code
 * and name are its party's (ship-via). Without them the
 * change feed would miss such edits until an initial run compared everything.
 * Deleting a related record directly leaves no stamp anywhere; reconciliation
 * does not see it either (the record itself still exists).
 */
export const RELATED_STAMPS: Readonly<Record<string, readonly string[]>> = {
  'product.product': ['template'],
  'purchase.purchase': ['lines'],
  carrier: ['party'],
};

/** What to read of `model` for `fields`: those, the record's stamps, and its related records' stamps. */
export function readFields(model: string, fields: readonly string[]): string[] {
  const related = (RELATED_STAMPS[model] ?? []).flatMap((relation) => OWN_STAMPS.map((stamp) => `${relation}.${stamp}`));
  return [...new Set([...fields, ...STAMPS, ...related])];
}

/** Records created or written at or after `from`, or whose related records were (Tryton domains follow dotted paths; on a one-to-many, any line). */
function changedSince(model: string, from: ErpDateTime): ErpValue[] {
  const prefixes = ['', ...(RELATED_STAMPS[model] ?? []).map((relation) => `${relation}.`)];
  return ['OR', ...prefixes.flatMap((prefix) => OWN_STAMPS.map((stamp): ErpValue => [[`${prefix}${stamp}`, '>=', from]]))];
}

export async function readChanges(rpc: TrytonRpc, model: string, query: ChangeQuery): Promise<ChangePage> {
  if (!Number.isInteger(query.limit) || query.limit < 1) throw new RangeError('readChanges: limit must be a positive integer');
  if (!Number.isFinite(query.overlapMs) || query.overlapMs < 0) throw new RangeError('readChanges: overlapMs must be >= 0');
  const cursor = parseCursor(query.cursor);
  const domain: ErpValue[] = [...filterDomain(query.filter), ['id', '>', cursor.afterId]];
  if (cursor.since !== null) {
    const from = new ErpDateTime(cursor.since).minusMs(query.overlapMs);
    domain.push(changedSince(model, from));
  }
  const rows = await rpc.model(model, 'search_read', [domain, 0, query.limit, [['id', 'ASC']], readFields(model, query.fields)], ALL_RECORDS);
  const records = asRows(model, rows).map((row) => toRecord(model, row, query.fields));

  let newest = cursor.newest;
  for (const r of records) if (newest === null || r.changedAt > newest) newest = r.changedAt;
  const last = records.at(-1);
  const caughtUp = records.length < query.limit;
  const next: Cursor = caughtUp ? { since: newest ?? cursor.since, newest: null, afterId: 0 } : { since: cursor.since, newest, afterId: last ? Number(last.erpId) : cursor.afterId };
  return { records, cursor: JSON.stringify(next), caughtUp };
}

export function filterDomain(filter: ErpFilter | undefined): ErpValue[] {
  return (filter ?? []).map(([field, operator, value]) => [field, operator, value]);
}

export function asRows(model: string, rows: ErpValue): ErpValues[] {
  if (!Array.isArray(rows) || !rows.every((r) => r !== null && typeof r === 'object' && !Array.isArray(r) && typeof (r as ErpValues).id === 'number')) {
    throw new ErpError('erp-protocol', `Tryton answered a read of ${model} with something other than records`);
  }
  return rows as ErpValues[];
}

export function toRecord(model: string, row: ErpValues, fields: readonly string[]): ErpRecord {
  const own = stampOf(row);
  if (own === undefined || typeof row._timestamp !== 'string') {
    throw new ErpError('erp-protocol', `Tryton ${model} ${String(row.id)} came without its change stamps`);
  }
  let changedAt = own;
  for (const relation of RELATED_STAMPS[model] ?? []) {
    const related = row[`${relation}.`];
    for (const item of Array.isArray(related) ? related : [related]) {
      const stamp = isRow(item) ? stampOf(item) : undefined;
      if (stamp !== undefined && stamp > changedAt) changedAt = stamp;
    }
  }
  const values: Record<string, ErpValue> = {};
  for (const field of fields) {
    if (field in row) values[field] = row[field] ?? null;
    // Tryton answers a dotted field (`party.name`, `lines.product`) under `party.` with the related
    // record(s) nested; keep that as is (the maps' paths read it). An empty relation comes back as
    // `party.: null`: record the relation itself as empty too, so its fields read as empty, not unread.
    const dot = field.indexOf('.');
    if (dot <= 0) continue;
    const relation = field.slice(0, dot);
    const nested = `${relation}.`;
    if (!(nested in row) || nested in values) continue;
    values[nested] = withoutUnasked(row[nested] ?? null, relation, fields);
    if (values[nested] === null && !(relation in values)) values[relation] = null;
  }
  return { erpId: String(row.id), version: row._timestamp, changedAt, values };
}

/** The record's own change stamp (ISO), if it has one. */
function stampOf(row: ErpValues): string | undefined {
  const stamp = row.write_date ?? row.create_date;
  return stamp instanceof ErpDateTime ? stamp.iso : undefined;
}

/** A nested record as Tryton answers it (a plain object), not a typed value (ErpDateTime, ErpDecimal) or a list. */
function isRow(value: ErpValue | undefined): value is ErpValues {
  return value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;
}

/** A nested relation without the stamps read only for RELATED_STAMPS, so a record's values hold what the map asked for. */
function withoutUnasked(nested: ErpValue, relation: string, fields: readonly string[]): ErpValue {
  const extra = OWN_STAMPS.filter((stamp) => !fields.includes(`${relation}.${stamp}`));
  const strip = (item: ErpValue): ErpValue => (isRow(item) ? Object.fromEntries(Object.entries(item).filter(([k]) => !(extra as readonly string[]).includes(k))) : item);
  return Array.isArray(nested) ? nested.map(strip) : strip(nested);
}

function parseCursor(raw: string | null): Cursor {
  if (raw === null || raw === '') return { since: null, newest: null, afterId: 0 };
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch {
    parsed = undefined;
  }
  const c = parsed as Partial<Cursor> | undefined;
  const stamp = (v: unknown): v is string | null => v === null || (typeof v === 'string' && isDateTime(v));
  if (!c || !stamp(c.since) || !stamp(c.newest) || !Number.isSafeInteger(c.afterId) || (c.afterId ?? -1) < 0) {
    throw new RangeError(`readChanges: "${raw.slice(0, 100)}" is not a cursor this adapter made`);
  }
  return { since: c.since, newest: c.newest, afterId: c.afterId as number };
}

function isDateTime(value: string): boolean {
  try {
    return new ErpDateTime(value).iso === value;
  } catch {
    return false;
  }
}
