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

const STAMPS = ['create_date', 'write_date', '_timestamp'] as const;
const ALL_RECORDS = { active_test: false } as const;

export async function readChanges(rpc: TrytonRpc, model: string, query: ChangeQuery): Promise<ChangePage> {
  if (!Number.isInteger(query.limit) || query.limit < 1) throw new RangeError('readChanges: limit must be a positive integer');
  if (!Number.isFinite(query.overlapMs) || query.overlapMs < 0) throw new RangeError('readChanges: overlapMs must be >= 0');
  const cursor = parseCursor(query.cursor);
  const domain: ErpValue[] = [...filterDomain(query.filter), ['id', '>', cursor.afterId]];
  if (cursor.since !== null) {
    const from = new ErpDateTime(cursor.since).minusMs(query.overlapMs);
    domain.push(['OR', [['create_date', '>=', from]], [['write_date', '>=', from]]]);
  }
  const rows = await rpc.model(model, 'search_read', [domain, 0, query.limit, [['id', 'ASC']], [...new Set([...query.fields, ...STAMPS])]], ALL_RECORDS);
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
  const stamp = row.write_date ?? row.create_date;
  if (!(stamp instanceof ErpDateTime) || typeof row._timestamp !== 'string') {
    throw new ErpError('erp-protocol', `Tryton ${model} ${String(row.id)} came without its change stamps`);
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
    if (!(nested in row)) continue;
    values[nested] = row[nested] ?? null;
    if (values[nested] === null && !(relation in values)) values[relation] = null;
  }
  return { erpId: String(row.id), version: row._timestamp, changedAt: stamp.iso, values };
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
