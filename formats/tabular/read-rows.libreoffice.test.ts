/**
 * The .xlsx and .xls readers against SheetJS on random workbooks saved by LibreOffice Calc:
 * each is written by SheetJS (test/support/workbook-differential.ts), opened and saved again by
 * LibreOffice headless as .xlsx and as .xls, and both readers read LibreOffice's bytes
 * (intended differences: see that file). LibreOffice takes seconds to start, and more to set up
 * a profile: the whole batch is converted by one run per format, both runs on one profile, and
 * a failure names the sample and the seed that drew the batch instead of being shrunk.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { bookArb, differences, ourReading, sheetJsReading, writeWithSheetJs, type ModelBook } from '../../test/support/workbook-differential';

/** Random workbooks per run, each saved in both formats. */
const RUNS = 200;

let dir: string;
let books: ModelBook[];
const seed = Date.now() ^ (Math.random() * 0x7fffffff);

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'read-rows-lo-'));
  books = fc.sample(bookArb({ errors: false }), { numRuns: RUNS, seed });
  fs.mkdirSync(path.join(dir, 'in'));
  const files = books.map((book, i) => {
    const file = path.join(dir, 'in', `${i}.xlsx`);
    fs.writeFileSync(file, writeWithSheetJs(book, i % 2 === 0));
    return file;
  });
  // A profile of its own, so that a LibreOffice already open elsewhere does not take the work.
  for (const format of ['xlsx', 'xls']) {
    execFileSync('soffice', [`-env:UserInstallation=file://${path.join(dir, 'profile')}`, '--headless', '--convert-to', format, '--outdir', path.join(dir, format), ...files], { stdio: 'pipe', timeout: 300_000 });
  }
}, 300_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test.each(['xlsx', 'xls'] as const)('workbooks saved as .%s by LibreOffice Calc are read cell for cell as SheetJS reads them', async (format) => {
  for (const [i, book] of books.entries()) {
    const bytes = fs.readFileSync(path.join(dir, format, `${i}.${format}`));
    const found = differences(await ourReading(bytes, path.join(dir, 'ours', `${i}.${format}`)), sheetJsReading(bytes, format), { format });
    if (found.length) throw new Error(`sample ${i} of seed ${seed}: ${JSON.stringify(book)}\n${JSON.stringify(found, null, 2)}`);
  }
}, 60_000);
