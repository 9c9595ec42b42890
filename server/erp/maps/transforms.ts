/**
 * The closed set of built-in transforms. A field's transforms are listed in the
 * local → ERP order; reading from the ERP runs them backwards, each undone.
 * Every transform lets a blank value (missing, null, empty text) through,
 * except `default`, whose job is to fill it.
 */
import type { ErrorCode } from '../../../shared/errors.js';
import { parseQuantity, toQuantity, type ParseResult } from '../../../shared/decimal.js';
import { ErpDate, ErpDateTime, ErpDecimal } from '../values.js';
import type { ErpValue, LocalFieldInfo, TransformSpec } from './types.js';

/** One step's result: local values on the way in, ErpValues (ErpDecimal, ErpDate, ...) on the way out. */
export type Step = { ok: true; value: ErpValue | undefined } | { ok: false; code: ErrorCode; message: string };

export function isBlank(value: unknown): value is undefined | null | '' {
  return value === undefined || value === null || value === '';
}

const ok = (value: ErpValue | undefined): Step => ({ ok: true, value });
const fail = (message: string, code: ErrorCode = 'invalid-document'): Step => ({ ok: false, code, message });

type Way = 'to-erp' | 'from-erp';

function text(value: unknown, fn: (s: string) => string, what: string): Step {
  return typeof value === 'string' ? ok(fn(value)) : fail(`${what} needs text, got ${JSON.stringify(value)}`);
}

/** Plain Tryton wire objects (`{ "__class__": "Decimal", ... }`) are understood too, for adapters that do not decode them. */
function typed(value: unknown, cls: string): Record<string, unknown> | undefined {
  return value !== null && typeof value === 'object' && !Array.isArray(value) && (value as { __class__?: unknown }).__class__ === cls ? (value as Record<string, unknown>) : undefined;
}

function parseDecimal(value: unknown): ParseResult {
  if (value instanceof ErpDecimal) return value.toUnits();
  const source = typed(value, 'Decimal')?.decimal ?? value;
  if (typeof source === 'string') {
    // ERPs may print exponents ("5E+1"): ErpDecimal reads them exactly, by moving digits.
    try {
      return ErpDecimal.parse(source).toUnits();
    } catch {
      return { ok: false, code: 'invalid-quantity', message: `${JSON.stringify(source)} is not a decimal number` };
    }
  }
  if (typeof source === 'number') return parseQuantity(source);
  return { ok: false, code: 'invalid-quantity', message: `${JSON.stringify(value)} is not a decimal number` };
}

function decimal(spec: Extract<TransformSpec, { name: 'decimal' }>, way: Way, value: unknown): Step {
  // Scaled integers, never float arithmetic: 0.1 stays 0.1 and "0.30" reads back as 0.3.
  const parsed = parseDecimal(value);
  if (!parsed.ok) return fail(parsed.message, parsed.code);
  const exact = ErpDecimal.fromUnits(parsed.units);
  const decimals = exact.text.split('.')[1]?.length ?? 0;
  if (spec.places !== undefined && decimals > spec.places) {
    return fail(`${exact.text} has more than ${spec.places} decimal places, which the ERP field does not keep`, 'precision-exceeded');
  }
  if (way === 'from-erp' || spec.as === 'number') return ok(toQuantity(parsed.units));
  return ok(exact);
}

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
// ISO 8601 or Tryton's own text form ("2025-01-31 10:20:30.123456"); no zone means UTC (Tryton's are naive UTC).
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

function validDate(year: number, month: number, day: number): boolean {
  const d = new Date(Date.UTC(year, month - 1, day));
  return d.getUTCFullYear() === year && d.getUTCMonth() === month - 1 && d.getUTCDate() === day;
}

function parseTimestamp(value: unknown): Date | undefined {
  if (value instanceof ErpDateTime) return value.toDate();
  if (value instanceof ErpDate) return new Date(`${value.iso}T00:00:00.000Z`);
  const t = typed(value, 'datetime') ?? typed(value, 'date');
  if (t) {
    const n = (k: string) => (typeof t[k] === 'number' ? (t[k] as number) : 0);
    const ms = Math.floor(n('microsecond') / 1000);
    const d = new Date(Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'), ms));
    return validDate(n('year'), n('month'), n('day')) ? d : undefined;
  }
  if (typeof value !== 'string') return undefined;
  const date = ISO_DATE.exec(value);
  if (date) return validDate(+date[1]!, +date[2]!, +date[3]!) ? new Date(`${value}T00:00:00.000Z`) : undefined;
  const m = DATE_TIME.exec(value);
  if (!m || !validDate(+m[1]!, +m[2]!, +m[3]!)) return undefined;
  const ms = (m[7] ?? '').padEnd(3, '0').slice(0, 3);
  const zone = m[8] ?? 'Z';
  const iso = `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6] ?? '00'}.${ms}${zone.length === 5 ? `${zone.slice(0, 3)}:${zone.slice(3)}` : zone}`;
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? undefined : d;
}

function date(way: Way, value: unknown): Step {
  const d = parseTimestamp(value);
  if (!d) return fail(`${JSON.stringify(value)} is not a date`);
  // A date carries no time of day: to the ERP the UTC calendar day, back as midnight UTC.
  const day = ErpDate.of(d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate());
  return ok(way === 'to-erp' ? day : `${day.iso}T00:00:00.000Z`);
}

function datetime(way: Way, value: unknown): Step {
  const d = parseTimestamp(value);
  if (!d) return fail(`${JSON.stringify(value)} is not a date and time`);
  // Local timestamps are ISO text with milliseconds; an ERP's microseconds are dropped on the way in.
  return ok(way === 'to-erp' ? ErpDateTime.fromDate(d) : d.toISOString());
}

const TRUE = new Set(['true', '1', 'yes', 'y', 't']);
const FALSE = new Set(['false', '0', 'no', 'n', 'f']);

function boolean(value: unknown): Step {
  if (typeof value === 'boolean') return ok(value);
  if (value === 1 || value === 0) return ok(value === 1);
  if (typeof value === 'string') {
    const v = value.trim().toLowerCase();
    if (TRUE.has(v)) return ok(true);
    if (FALSE.has(v)) return ok(false);
  }
  return fail(`${JSON.stringify(value)} is not true or false`);
}

/** Runs one transform in one direction. */
export function applyTransform(spec: TransformSpec, way: Way, value: unknown): Step {
  if (spec.name === 'default') {
    const fill = way === 'to-erp' ? spec.erp : spec.local;
    return ok(isBlank(value) && fill !== undefined ? fill : (value as ErpValue | undefined));
  }
  if (isBlank(value)) return ok(value);
  switch (spec.name) {
    case 'trim':
      return text(value, (s) => s.trim(), 'trim');
    case 'upper':
      return text(value, (s) => s.toUpperCase(), 'upper');
    case 'lower':
      return text(value, (s) => s.toLowerCase(), 'lower');
    case 'prefix':
      return text(value, (s) => (way === 'to-erp' ? spec.text + s : s.startsWith(spec.text) ? s.slice(spec.text.length) : s), 'prefix');
    case 'suffix':
      return text(value, (s) => (way === 'to-erp' ? s + spec.text : s.endsWith(spec.text) ? s.slice(0, s.length - spec.text.length) : s), 'suffix');
    case 'decimal':
      return decimal(spec, way, value);
    case 'date':
      return date(way, value);
    case 'datetime':
      return datetime(way, value);
    case 'boolean':
      return boolean(value);
  }
}

/** Runs a field's transforms: in order to the ERP, backwards from it. */
export function applyTransforms(specs: readonly TransformSpec[], way: Way, value: unknown): Step {
  const ordered = way === 'to-erp' ? specs : [...specs].reverse();
  let current: Step = ok(value as ErpValue | undefined);
  for (const spec of ordered) {
    if (!current.ok) return current;
    current = applyTransform(spec, way, current.value);
  }
  return current;
}

type Kind = 'text' | 'number' | 'boolean' | 'timestamp' | 'other';

function kindOf(info: LocalFieldInfo): Kind {
  if (info.type === 'string') return info.format === 'date-time' ? 'timestamp' : 'text';
  if (info.type === 'number' || info.type === 'integer') return 'number';
  if (info.type === 'boolean') return 'boolean';
  return 'other';
}

/**
 * Whether a field's transforms fit its local type, followed step by step from
 * the local side (`decimal` turns a number into text, so a `suffix` may follow).
 */
export function pipelineProblem(specs: readonly TransformSpec[], info: LocalFieldInfo): { index: number; message: string } | undefined {
  let kind: Kind = kindOf(info);
  for (const [index, spec] of specs.entries()) {
    const needs = (wanted: Kind[], what: string) =>
      wanted.includes(kind) ? undefined : { index, message: `${spec.name} works on ${what}, but ${info.name} is ${describe(kind)}` };
    let problem: { index: number; message: string } | undefined;
    switch (spec.name) {
      case 'trim':
      case 'upper':
      case 'lower':
      case 'prefix':
      case 'suffix':
        problem = needs(['text'], 'text');
        break;
      case 'decimal':
        problem = needs(['number'], 'numbers');
        kind = spec.as === 'number' ? 'number' : 'text';
        break;
      case 'date':
      case 'datetime':
        problem = needs(['timestamp'], 'date-time fields');
        kind = 'text';
        break;
      case 'boolean':
        problem = needs(['boolean'], 'true/false fields');
        break;
      case 'default':
        break;
    }
    if (problem) return problem;
  }
  return undefined;
}

function describe(kind: Kind): string {
  return { text: 'text', number: 'a number', boolean: 'true/false', timestamp: 'a date-time', other: 'a list or object' }[kind];
}
