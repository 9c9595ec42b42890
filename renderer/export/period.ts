/**
 * The period an export covers, from the form's two local dates (yyyy-mm-dd,
 * as <input type="date"> gives them). Either end may be left open. The end
 * date is included: the period runs to the start of the following day.
 */
import type { ErrorBody } from '../../shared/errors.js';

export interface Period {
  /** Inclusive, in milliseconds; -Infinity when open. */
  start: number;
  /** Exclusive, in milliseconds; Infinity when open. */
  end: number;
  /** The dates as entered, for the file name ('' when open). */
  from: string;
  to: string;
}

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** Local midnight of a yyyy-mm-dd date, or null when it is not a real date. */
function localMidnight(text: string, dayOffset = 0): number | null {
  const match = DATE.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(year, month - 1, day + dayOffset);
  // new Date(2025, 1, 31) is 3 March: a date that rolled over was not a real one.
  const check = new Date(year, month - 1, day);
  if (check.getFullYear() !== year || check.getMonth() !== month - 1 || check.getDate() !== day) return null;
  return date.getTime();
}

export function parsePeriod(from: string, to: string): { ok: true; period: Period } | { ok: false; error: ErrorBody } {
  const start = from.trim() === '' ? -Infinity : localMidnight(from.trim());
  if (start === null) return { ok: false, error: { code: 'invalid-request', message: `"${from}" is not a date.` } };
  const end = to.trim() === '' ? Infinity : localMidnight(to.trim(), 1);
  if (end === null) return { ok: false, error: { code: 'invalid-request', message: `"${to}" is not a date.` } };
  if (start >= end) return { ok: false, error: { code: 'invalid-request', message: 'The period ends before it starts.' } };
  return { ok: true, period: { start, end, from: from.trim(), to: to.trim() } };
}

/** Whether an ISO timestamp falls in the period; a timestamp that does not parse falls in an open period only. */
export function inPeriod(iso: string | undefined, period: Period): boolean {
  const time = iso === undefined ? NaN : Date.parse(iso);
  if (!Number.isFinite(time)) return period.start === -Infinity && period.end === Infinity;
  return time >= period.start && time < period.end;
}

/** yyyy-mm-dd of a local date, for the form's defaults. */
export function localDateText(date: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())}`;
}
