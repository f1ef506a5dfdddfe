/**
 * The .xls (BIFF8) reader against SheetJS on random workbooks (the same as the .xlsx reader's,
 * test/support/workbook-differential.ts): written by SheetJS as BIFF8, with and without a shared
 * string table, and by LibreOffice Calc (SheetJS's .xlsx saved as .xls, the whole batch by one
 * headless run). Both readers read the same bytes; intended differences: error values are
 * their text, dates in a 1904 workbook are days of the 1900 system (see xls-reader.ts).
 */
import { execFileSync } from 'node:child_process';
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

test('workbooks saved as .xls by LibreOffice Calc are read cell for cell as SheetJS reads them', async () => {
  const seed = Date.now() ^ (Math.random() * 0x7fffffff);
  const books = fc.sample(bookArb({ errors: false }), { numRuns: RUNS, seed });
  const input = path.join(dir, 'in');
  fs.mkdirSync(input);
  const files = books.map((book, i) => {
    const file = path.join(input, `${i}.xlsx`);
    fs.writeFileSync(file, writeWithSheetJs(book, i % 2 === 0));
    return file;
  });
  // A profile of its own, so that a LibreOffice already open elsewhere does not take the work.
  execFileSync('soffice', [`-env:UserInstallation=file://${path.join(dir, 'profile')}`, '--headless', '--convert-to', 'xls', '--outdir', path.join(dir, 'out'), ...files], { stdio: 'pipe', timeout: 300_000 });
  for (const [i, book] of books.entries()) {
    const bytes = fs.readFileSync(path.join(dir, 'out', `${i}.xls`));
    const found = differences(await ourReading(bytes, path.join(dir, 'ours', `${i}.xls`)), sheetJsReading(bytes, 'xls'), { format: 'xls' });
    if (found.length) throw new Error(`sample ${i} of seed ${seed}: ${JSON.stringify(book)}\n${JSON.stringify(found, null, 2)}`);
  }
}, 240_000);
