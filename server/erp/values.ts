/**
 * ERP-neutral field values. Every adapter decodes its wire format into these
 * and encodes them back, so maps and the sync engine never see an ERP's own
 * typed objects (Tryton's `{"__class__": "Decimal"}`, Odoo's strings, ...).
 *
 * Decimals, dates and datetimes are classes (not tagged objects) so a record
 * field that happens to be called `kind` or `text` can never be mistaken for
 * one: `instanceof` is unambiguous.
 */
import { parseQuantity, formatUnits, type ParseResult, type Units } from '../../shared/decimal.js';

export type ErpValue = null | boolean | number | string | ErpDecimal | ErpDate | ErpDateTime | readonly ErpValue[] | { readonly [field: string]: ErpValue };

export type ErpValues = Readonly<Record<string, ErpValue>>;

const DECIMAL_TEXT = /^([+-])?(\d*)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * An exact decimal, kept as canonical text (no exponent, no leading zeros, no
 * trailing fraction zeros, never "-0"): "5.00" and "5E+0" are both "5".
 * Converting to our scaled Units is explicit and refuses to round.
 */
export class ErpDecimal {
  readonly text: string;

  private constructor(text: string) {
    this.text = text;
  }

  /** Parses decimal text as an ERP sends it (Python's str(Decimal) may use an exponent); throws RangeError on anything else. */
  static parse(raw: string): ErpDecimal {
    const match = DECIMAL_TEXT.exec(raw.trim());
    const [, sign = '', whole = '', fraction = '', exponentText = '0'] = match ?? [];
    if (!match || whole + fraction === '') throw new RangeError(`"${raw}" is not a decimal number`);
    const exponent = Number(exponentText);
    // Exponents beyond this are no quantity or price; refusing them keeps the string work bounded.
    if (!Number.isSafeInteger(exponent) || Math.abs(exponent) > 64) throw new RangeError(`"${raw}" is out of range`);
    // Shift the decimal point by moving digits, never through a float.
    let digits = whole + fraction;
    let point = whole.length + exponent;
    if (point < 0) {
      digits = '0'.repeat(-point) + digits;
      point = 0;
    } else if (point > digits.length) {
      digits = digits + '0'.repeat(point - digits.length);
    }
    const intPart = digits.slice(0, point).replace(/^0+/, '') || '0';
    const fracPart = digits.slice(point).replace(/0+$/, '');
    const magnitude = fracPart ? `${intPart}.${fracPart}` : intPart;
    return new ErpDecimal(sign === '-' && magnitude !== '0' ? `-${magnitude}` : magnitude);
  }

  static fromUnits(value: Units): ErpDecimal {
    return new ErpDecimal(formatUnits(value));
  }

  /** Our scaled integer; an error result (never a rounding) when the ERP value has more than 4 decimal places or is too large. */
  toUnits(): ParseResult {
    return parseQuantity(this.text);
  }

  toString(): string {
    return this.text;
  }

  toJSON(): string {
    return this.text;
  }
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** A calendar date without time zone, as "YYYY-MM-DD". */
export class ErpDate {
  readonly iso: string;

  constructor(iso: string) {
    const match = DATE.exec(iso);
    if (!match || !validDate(Number(match[1]), Number(match[2]), Number(match[3]))) throw new RangeError(`"${iso}" is not a date (YYYY-MM-DD)`);
    this.iso = iso;
  }

  static of(year: number, month: number, day: number): ErpDate {
    return new ErpDate(`${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}`);
  }

  get year(): number {
    return Number(this.iso.slice(0, 4));
  }
  get month(): number {
    return Number(this.iso.slice(5, 7));
  }
  get day(): number {
    return Number(this.iso.slice(8, 10));
  }

  toString(): string {
    return this.iso;
  }

  toJSON(): string {
    return this.iso;
  }
}

const DATETIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?Z$/;

/**
 * A UTC instant with microsecond precision, as "YYYY-MM-DDTHH:MM:SS.ffffffZ".
 * Microseconds matter: ERP change timestamps (Tryton's write_date) carry them,
 * and a cursor rounded to milliseconds could skip a change. The fixed width
 * makes string order the time order.
 */
export class ErpDateTime {
  readonly iso: string;

  constructor(iso: string) {
    const match = DATETIME.exec(iso);
    if (!match) throw new RangeError(`"${iso}" is not a UTC datetime (YYYY-MM-DDTHH:MM:SS[.ffffff]Z)`);
    const [, y, mo, d, h, mi, s, f = ''] = match.map((part) => part ?? '');
    if (!validDate(Number(y), Number(mo), Number(d)) || Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) throw new RangeError(`"${iso}" is not a valid datetime`);
    this.iso = `${y}-${mo}-${d}T${h}:${mi}:${s}.${f.padEnd(6, '0')}Z`;
  }

  static of(parts: { year: number; month: number; day: number; hour: number; minute: number; second: number; microsecond: number }): ErpDateTime {
    const { year, month, day, hour, minute, second, microsecond } = parts;
    return new ErpDateTime(`${pad(year, 4)}-${pad(month, 2)}-${pad(day, 2)}T${pad(hour, 2)}:${pad(minute, 2)}:${pad(second, 2)}.${pad(microsecond, 6)}Z`);
  }

  static fromDate(date: Date): ErpDateTime {
    if (Number.isNaN(date.getTime())) throw new RangeError('invalid Date');
    return new ErpDateTime(date.toISOString());
  }

  get parts(): { year: number; month: number; day: number; hour: number; minute: number; second: number; microsecond: number } {
    const n = (from: number, to: number): number => Number(this.iso.slice(from, to));
    return { year: n(0, 4), month: n(5, 7), day: n(8, 10), hour: n(11, 13), minute: n(14, 16), second: n(17, 19), microsecond: n(20, 26) };
  }

  /** The instant in milliseconds, rounded down (earlier is the safe side for change cursors). */
  toDate(): Date {
    return new Date(`${this.iso.slice(0, 23)}Z`);
  }

  /** This instant minus `ms` milliseconds (the sub-millisecond part is dropped, again towards earlier). */
  minusMs(ms: number): ErpDateTime {
    return ErpDateTime.fromDate(new Date(this.toDate().getTime() - ms));
  }

  toString(): string {
    return this.iso;
  }

  toJSON(): string {
    return this.iso;
  }
}

function pad(value: number, width: number): string {
  if (!Number.isInteger(value) || value < 0) throw new RangeError(`${value} is not a date or time part`);
  return String(value).padStart(width, '0');
}

function validDate(year: number, month: number, day: number): boolean {
  if (year < 1 || month < 1 || month > 12 || day < 1) return false;
  const days = new Date(Date.UTC(2000, month, 0)).getUTCDate();
  const leapFeb = month === 2 && day === 29;
  return leapFeb ? year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) : day <= days;
}
