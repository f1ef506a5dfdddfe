/**
 * The .xlsx reader against SheetJS on random workbooks: written by SheetJS (its default writer
 * puts text in t="str" cells, with xml:space="preserve" on values with edge spaces; with
 * bookSST through the shared string table), by ExcelJS (shared strings, rich-text runs, errors
 * as formula results), and by hand for every form of cell those writers do not use. Both
 * readers read the same bytes; the intended differences are listed in
 * test/support/workbook-differential.ts. LibreOffice's files are in
 * formats/tabular/read-rows.libreoffice.test.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { bookArb, differences, handMade, modelTexts, ourReading, sheetJsReading, writeWithExcelJs, writeWithSheetJs } from '../../test/support/workbook-differential';

/** Random workbooks per writer and run. */
const RUNS = 200;

let dir: string;
let n = 0;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xlsx-diff-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const file = () => path.join(dir, `${++n}.xlsx`);

test.each([
  ['the default (text as t="str")', false],
  ['bookSST (text as shared strings)', true],
])('workbooks written by SheetJS, %s, are read cell for cell as SheetJS reads them', async (_, bookSST) => {
  await fc.assert(
    fc.asyncProperty(bookArb({ errors: true }), async (book) => {
      const bytes = writeWithSheetJs(book, bookSST);
      expect(differences(await ourReading(bytes, file()), sheetJsReading(bytes), { texts: modelTexts(book) })).toEqual([]);
    }),
    { numRuns: RUNS },
  );
}, 60_000);

test('workbooks written by ExcelJS are read cell for cell as SheetJS reads them', async () => {
  await fc.assert(
    fc.asyncProperty(bookArb({ errors: true }), async (book) => {
      const bytes = await writeWithExcelJs(book);
      // ExcelJS writes a CR as it is, which XML reads as LF: the model's texts are not what it wrote.
      expect(differences(await ourReading(bytes, file()), sheetJsReading(bytes))).toEqual([]);
    }),
    { numRuns: RUNS },
  );
}, 60_000);

test('workbooks written by hand in every form a cell may take are read cell for cell as SheetJS reads them', async () => {
  await fc.assert(
    fc.asyncProperty(bookArb({ errors: true }), fc.nat(), async (book, seed) => {
      const { bytes, isoCells } = handMade(book, seed);
      expect(differences(await ourReading(bytes, file()), sheetJsReading(bytes), { isoCells, texts: modelTexts(book) })).toEqual([]);
    }),
    { numRuns: RUNS },
  );
}, 60_000);
