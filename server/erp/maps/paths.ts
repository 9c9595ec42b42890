/**
 * Reading ERP field paths. `address.full_address` reads a field of a related
 * record. Adapters may deliver the related record nested under `address`, or,
 * as Tryton's `read` does for dotted field names, under `address.` while
 * `address` keeps the id; both are understood.
 */
import { ErpDate, ErpDateTime, ErpDecimal } from '../values.js';
import type { ErpFields, ErpValue } from './types.js';

/** A plain record (not a list, not one of the ERP value classes). */
export function isRecord(value: unknown): value is ErpFields {
  return (
    value !== null &&
    typeof value === 'object' &&
    !Array.isArray(value) &&
    !(value instanceof ErpDecimal || value instanceof ErpDate || value instanceof ErpDateTime)
  );
}

export function readPath(record: Readonly<ErpFields>, path: string): ErpValue | undefined {
  const segments = path.split('.');
  let current: ErpValue | undefined = record;
  for (const [i, segment] of segments.entries()) {
    // An empty relation (Tryton: null many-to-one) makes its fields empty too, not absent.
    if (current === null) return null;
    if (!isRecord(current)) return undefined;
    const last = i === segments.length - 1;
    const nested: ErpValue | undefined = current[`${segment}.`];
    current = !last && isRecord(nested) ? nested : current[segment];
  }
  return current;
}

/** The sub-records of a one-to-many field: nested records under `lines` or Tryton's `lines.`. */
export function readChildren(record: Readonly<ErpFields>, field: string): ErpFields[] | undefined {
  for (const candidate of [record[`${field}.`], record[field]]) {
    if (Array.isArray(candidate) && candidate.every(isRecord)) return candidate as ErpFields[];
  }
  return undefined;
}

export function isDotted(path: string): boolean {
  return path.includes('.');
}
