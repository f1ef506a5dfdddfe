/**
 * The .xls (BIFF8) reader against SheetJS on random workbooks (the same as the .xlsx reader's,
 * test/support/workbook-differential.ts) written by SheetJS as BIFF8, with and without a shared
 * string table. Both readers read the same bytes; intended differences: error values are their
 * text, dates in a 1904 workbook are days of the 1900 system (see xls-reader.ts). LibreOffice's
 * files are in formats/tabular/read-rows.libreoffice.test.ts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { bookArb, differences, modelTexts, ourReading, sheetJsReading, writeWithSheetJs } from '../../test/support/workbook-differential';

/** Random workbooks per writer and run. */
const RUNS = 200;

let dir: string;
let n = 0;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xls-diff-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test.each([
  ['with a shared string table (LABELSST)', true],
  ['without one (LABEL)', false],
])('workbooks written by SheetJS as BIFF8 %s are read cell for cell as SheetJS reads them', async (_, bookSST) => {
  await fc.assert(
    fc.asyncProperty(bookArb({ errors: true }), async (book) => {
      const bytes = writeWithSheetJs(book, bookSST, 'biff8');
      expect(differences(await ourReading(bytes, path.join(dir, `${++n}.xls`)), sheetJsReading(bytes, 'xls'), { texts: modelTexts(book), format: 'xls' })).toEqual([]);
    }),
    { numRuns: RUNS },
  );
}, 60_000);
