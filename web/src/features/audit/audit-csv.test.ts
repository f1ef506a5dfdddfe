import * as XLSX from '@e965/xlsx';
import fc from 'fast-check';
import { csvOf } from './audit-csv';

/** The cells a spreadsheet shows of a CSV the screens export, read by SheetJS as text. */
function cellsOf(csv: string): string[][] {
  const sheet = XLSX.read(csv, { type: 'string', raw: true, dense: true }).Sheets.Sheet1!;
  return XLSX.utils.sheet_to_json<string[]>(sheet, { header: 1, raw: false, defval: '', blankrows: true });
}

const vietnamese = fc.string({ unit: fc.constantFrom(...'aăâbcdđeêghiklmnoôơpqrstuưvxyàằầèềìòồờùừỳáắấéếíóốớúứýảẳẩẻểỉỏổởủửỷãẵẫẽễĩõỗỡũữỹạặậẹệịọộợụựỵ ,;"\'\n\t=+-@0123456789'.split('')), maxLength: 40 });

test('a CSV export starts with a byte order mark, ends its lines with CRLF, and every cell reads back as written, Vietnamese exactly', () => {
  fc.assert(
    fc.property(fc.array(fc.array(vietnamese, { minLength: 3, maxLength: 3 }), { minLength: 1, maxLength: 8 }), (rows) => {
      const csv = csvOf(['Sự kiện', 'Người thực hiện', 'Nội dung'], rows);
      expect(csv.startsWith('\uFEFFSự kiện,Người thực hiện,Nội dung\r\n')).toBe(true);
      expect(csv.endsWith('\r\n')).toBe(true);
      const read = cellsOf(csv.slice(1));
      expect(read[0]).toEqual(['Sự kiện', 'Người thực hiện', 'Nội dung']);
      // A cell a spreadsheet would run as a formula is written after an apostrophe; the rest as they are.
      const shown = rows.map((r) => r.map((c) => (/^[=+\-@\t\r]/.test(c) ? `'${c}` : c)));
      // Empty cells at a row's end, and rows of them at the sheet's end, are nothing a spreadsheet shows apart.
      const blank = (r: string[]) => r.every((c) => c === '');
      const trimmed = (t: string[][]) => {
        const out = t.map((r) => [...r, ...Array<string>(3 - r.length).fill('')]);
        while (out.length > 0 && blank(out.at(-1)!)) out.pop();
        return out;
      };
      expect(trimmed(read.slice(1))).toEqual(trimmed(shown));
    }),
    { numRuns: 150 },
  );
});

test('numbers, empty values and missing ones are written as a spreadsheet shows them', () => {
  const csv = csvOf(['a', 'b', 'c', 'd'], [[1024, null, undefined, '=HYPERLINK("x")']]);
  expect(csv).toBe('\uFEFFa,b,c,d\r\n1024,,,"\'=HYPERLINK(""x"")"\r\n');
});
