/**
 * Tryton's JSON-RPC typed values (trytond/protocols/jsonrpc.py) to and from
 * ERP-neutral values:
 *
 *   Decimal   {"__class__":"Decimal","decimal":"5.00"}         <-> ErpDecimal (exact text; Units on request)
 *   date      {"__class__":"date","year","month","day"}        <-> ErpDate
 *   datetime  {"__class__":"datetime",...,"microsecond"}       <-> ErpDateTime (UTC; Tryton stores naive UTC)
 *
 * Other classes (time, timedelta, bytes) pass through as plain objects:
 * nothing we sync uses them, and passing them through keeps a read-modify-write
 * lossless.
 */
import type { ParseResult, Units } from '../../../../shared/decimal.js';
import { ErpDate, ErpDateTime, ErpDecimal, type ErpValue } from '../../values.js';

export interface TrytonDecimal {
  __class__: 'Decimal';
  decimal: string;
}

/** Units (scaled by 10^4) as a Tryton Decimal, digit for digit: no float is involved. */
export function unitsToTryton(value: Units): TrytonDecimal {
  return { __class__: 'Decimal', decimal: ErpDecimal.fromUnits(value).text };
}

/** A Tryton Decimal as Units; an error result (never a rounding) past 4 decimal places, and for anything not a Decimal. */
export function trytonToUnits(wire: unknown): ParseResult {
  const decoded = isClass(wire, 'Decimal') ? decimal(wire) : undefined;
  if (!decoded) return { ok: false, code: 'invalid-quantity', message: 'not a Tryton Decimal' };
  return decoded.toUnits();
}

/** ERP-neutral value (deeply) to what Tryton's JSON decoder reads. */
export function encodeValue(value: ErpValue): unknown {
  if (value instanceof ErpDecimal) return { __class__: 'Decimal', decimal: value.text };
  if (value instanceof ErpDate) return { __class__: 'date', year: value.year, month: value.month, day: value.day };
  if (value instanceof ErpDateTime) return { __class__: 'datetime', ...value.parts };
  if (Array.isArray(value)) return value.map((v: ErpValue) => encodeValue(v));
  if (value !== null && typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [key, v] of Object.entries(value)) out[key] = encodeValue(v as ErpValue);
    return out;
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw new RangeError(`${value} cannot be sent to Tryton`);
  return value;
}

/**
 * Tryton's JSON (deeply) to ERP-neutral values. Throws RangeError on a typed
 * value that does not parse (a protocol error, reported as such by the client).
 */
export function decodeValue(wire: unknown): ErpValue {
  if (wire === null || typeof wire === 'boolean' || typeof wire === 'string') return wire;
  if (typeof wire === 'number') return wire;
  if (Array.isArray(wire)) return wire.map((w: unknown) => decodeValue(w));
  if (typeof wire === 'object') {
    if (isClass(wire, 'Decimal')) {
      const d = decimal(wire);
      if (!d) throw new RangeError('malformed Decimal');
      return d;
    }
    if (isClass(wire, 'date')) return ErpDate.of(num(wire, 'year'), num(wire, 'month'), num(wire, 'day'));
    if (isClass(wire, 'datetime')) {
      return ErpDateTime.of({
        year: num(wire, 'year'),
        month: num(wire, 'month'),
        day: num(wire, 'day'),
        hour: num(wire, 'hour'),
        minute: num(wire, 'minute'),
        second: num(wire, 'second'),
        microsecond: num(wire, 'microsecond', 0),
      });
    }
    const out: Record<string, ErpValue> = {};
    for (const [key, v] of Object.entries(wire)) out[key] = decodeValue(v);
    return out;
  }
  throw new RangeError(`unexpected ${typeof wire} in a Tryton answer`);
}

function isClass(wire: unknown, name: string): wire is Record<string, unknown> {
  return typeof wire === 'object' && wire !== null && (wire as { __class__?: unknown }).__class__ === name;
}

function decimal(wire: Record<string, unknown>): ErpDecimal | undefined {
  if (typeof wire.decimal !== 'string') return undefined;
  try {
    return ErpDecimal.parse(wire.decimal);
  } catch {
    return undefined;
  }
}

function num(wire: Record<string, unknown>, key: string, fallback?: number): number {
  const value = wire[key] ?? fallback;
  if (typeof value !== 'number' || !Number.isInteger(value)) throw new RangeError(`malformed ${String(wire.__class__)}: ${key}`);
  return value;
}
