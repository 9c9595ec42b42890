import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { units, type Units } from '../../../shared/decimal.js';
import { documentQuantityCell, integerCell, quantityCell, toCsv, type CsvCell } from '../../../renderer/export/csv.js';

const BOM = '\uFEFF';

/** The data lines of a file without the byte order mark, split at CRLF. */
function lines(csv: string): string[] {
  expect(csv.startsWith(BOM)).toBe(true);
  expect(csv.endsWith('\r\n')).toBe(true);
  return csv.slice(1, -2).split('\r\n');
}

/** A small RFC 4180 reader, to prove what the writer writes reads back cell for cell. */
function parseCsv(csv: string): string[][] {
  const text = csv.startsWith(BOM) ? csv.slice(1) : csv;
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (c === '"') quoted = false;
      else cell += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(cell);
      cell = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else cell += c;
  }
  return rows;
}

describe('the CSV writer', () => {
  it('starts with a UTF-8 byte order mark and ends every line with CRLF', () => {
    const csv = toCsv(['Product', 'Quantity'], [['P-1', quantityCell(units(2))]]);
    expect(csv).toBe(`${BOM}Product,Quantity\r\nP-1,2\r\n`);
    // The BOM is the three bytes Excel looks for once the text is encoded as UTF-8.
    expect([...new TextEncoder().encode(csv).slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
  });

  it('quotes cells holding a comma, a quote, CR or LF, doubling quotes (RFC 4180)', () => {
    const csv = toCsv(['Note'], [['a,b'], ['say "hi"'], ['two\r\nlines'], ['one\nline'], ['plain']]);
    expect(lines(csv)).toEqual(['Note', '"a,b"', '"say ""hi"""', '"two', 'lines"', '"one\nline"', 'plain']);
    expect(parseCsv(csv)).toEqual([['Note'], ['a,b'], ['say "hi"'], ['two\r\nlines'], ['one\nline'], ['plain']]);
  });

  it.each([
    ['=HYPERLINK("http://evil.example","x")', `"'=HYPERLINK(""http://evil.example"",""x"")"`],
    ['+cmd|\' /C calc\'!A0', `'+cmd|' /C calc'!A0`],
    ['-2+3', `'-2+3`],
    ['@SUM(A1:A2)', `'@SUM(A1:A2)`],
    ['\t=1', `'\t=1`],
    ['\r=1', `"'\r=1"`],
    ['-5', `'-5`],
  ])('guards the text cell %j against formula injection', (text, written) => {
    expect(lines(toCsv(['Name'], [[text]]))[1]).toBe(written);
  });

  it('leaves harmless text alone, including a formula character later in the text', () => {
    expect(lines(toCsv(['Name'], [['Valve = 22 mm'], ['a-b'], ['ÅÄÖ ü 中文']]))).toEqual(['Name', 'Valve = 22 mm', 'a-b', 'ÅÄÖ ü 中文']);
  });

  it('keeps negative quantities as numbers: number cells are never prefixed', () => {
    const row: CsvCell[] = [quantityCell(units(-2)), quantityCell(units('-0.0001')), integerCell(-3)];
    expect(lines(toCsv(['a', 'b', 'c'], [row]))[1]).toBe('-2,-0.0001,-3');
  });

  it('writes quantities as exact decimals, never binary noise or exponent notation', () => {
    const row = [quantityCell((units(0.1) + units(0.2)) as Units), quantityCell(units('0.0001')), quantityCell(units('99999999999.5')), quantityCell(units(0))];
    expect(lines(toCsv(['a', 'b', 'c', 'd'], [row]))[1]).toBe('0.3,0.0001,99999999999.5,0');
  });

  it('shows a quantity a document holds even when it is not a valid one, without exponent notation', () => {
    expect(documentQuantityCell(1.5)).toEqual({ number: '1.5' });
    expect(documentQuantityCell(0.0000001)).toBe('0.0000001');
    expect(documentQuantityCell('-1e3')).toBe("-1e3");
    expect(lines(toCsv(['q'], [[documentQuantityCell('=1+1')]]))[1]).toBe("'=1+1");
    expect(documentQuantityCell(undefined)).toBeNull();
  });

  it('writes empty cells for null and undefined, and a non-integer line number as text', () => {
    expect(lines(toCsv(['a', 'b', 'c'], [[null, undefined, integerCell(1.5)]]))[1]).toBe(',,1.5');
    expect(integerCell(7)).toEqual({ number: '7' });
  });

  it('refuses a hand-made number cell that is not a decimal, and a row of the wrong width', () => {
    expect(() => toCsv(['a'], [[{ number: '=1+1' }]])).toThrow(RangeError);
    expect(() => toCsv(['a', 'b'], [['only one']])).toThrow(RangeError);
  });

  it('reads back every text cell as written, apart from the guard prefix (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.array(fc.string(), { minLength: 3, maxLength: 3 }), { maxLength: 8 }), (rows) => {
        const parsed = parseCsv(toCsv(['x', 'y', 'z'], rows));
        expect(parsed).toHaveLength(rows.length + 1);
        rows.forEach((row, r) =>
          row.forEach((cell, c) => {
            const read = parsed[r + 1]?.[c];
            expect(read === cell || read === `'${cell}`).toBe(true);
            expect(/^[=+\-@\t\r]/.test(read ?? '')).toBe(false);
          }),
        );
      }),
    );
  });
});
