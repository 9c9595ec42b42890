/**
 * The one CSV writer of the app (RFC 4180): comma-separated, CRLF line ends,
 * quoted where needed, with a UTF-8 byte order mark so Excel reads å, ö and ü
 * as they are instead of guessing a legacy code page.
 *
 * Text cells are guarded against spreadsheet formula injection: a product
 * name or a note starting with "=" would otherwise run as a formula when the
 * file is opened (OWASP "CSV injection"). Numbers are a separate kind of cell
 * so a negative quantity stays a number and is never prefixed.
 */
import { formatUnits, parseQuantity, type Units } from '../../shared/decimal.js';

/** A number cell: decimal text made by the helpers below, written as it is. */
export interface CsvNumber {
  readonly number: string;
}

/** Text (guarded), a number, or nothing (an empty cell). */
export type CsvCell = string | CsvNumber | null | undefined;

export const CSV_MIME_TYPE = 'text/csv';
const BOM = '\uFEFF';
const LINE_END = '\r\n';
const DECIMAL = /^-?\d+(\.\d+)?$/;
/** What a spreadsheet may read as the start of a formula (or, for tab and CR, hides one). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** A quantity as a number cell: exact decimal text, never exponent notation. */
export function quantityCell(value: Units): CsvNumber {
  return { number: formatUnits(value) };
}

/** A whole number (a line number) as a number cell; anything else a document may hold stays visible as text. */
export function integerCell(value: number): CsvCell {
  return Number.isSafeInteger(value) ? { number: String(value) } : String(value);
}

/**
 * A quantity read from a document that may not be valid (a rejected receipt
 * can carry anything the device sent): the exact decimal when it is one,
 * otherwise the raw value as text, so the export still shows what was there.
 */
export function documentQuantityCell(value: unknown): CsvCell {
  const parsed = parseQuantity(value);
  if (parsed.ok) return quantityCell(parsed.units);
  if (typeof value === 'number' && Number.isFinite(value)) {
    // Far too precise or too large for a quantity, but still a number: plain digits, no "1e-7".
    return value.toLocaleString('en-US', { useGrouping: false, maximumFractionDigits: 20 });
  }
  return value === undefined || value === null ? null : String(value);
}

function guardText(text: string): string {
  return FORMULA_START.test(text) ? `'${text}` : text;
}

function cellText(cell: CsvCell): string {
  if (cell === null || cell === undefined) return '';
  if (typeof cell === 'string') return guardText(cell);
  // Made by the helpers above; the check keeps a hand-built object from smuggling a formula in.
  if (!DECIMAL.test(cell.number)) throw new RangeError(`"${cell.number}" is not a decimal number`);
  return cell.number;
}

function quote(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/** The whole file: byte order mark, header, rows, each line ended with CRLF. */
export function toCsv(header: readonly string[], rows: Iterable<readonly CsvCell[]>): string {
  const lines = [header.map((name) => quote(guardText(name))).join(',')];
  for (const row of rows) {
    if (row.length !== header.length) throw new RangeError(`a row has ${row.length} cells, the header ${header.length}`);
    lines.push(row.map((cell) => quote(cellText(cell))).join(','));
  }
  return BOM + lines.join(LINE_END) + LINE_END;
}
