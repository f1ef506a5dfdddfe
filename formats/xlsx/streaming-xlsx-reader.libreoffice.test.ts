/**
 * The .xlsx reader against SheetJS on random workbooks written by LibreOffice Calc: each is
 * written by SheetJS, opened and saved again as .xlsx by LibreOffice headless, and both readers
 * read LibreOffice's bytes (intended differences: test/support/workbook-differential.ts).
 * LibreOffice takes seconds to start, so the whole batch is converted by one run of it, and a
 * failure names the sample and the seed that drew the batch instead of being shrunk.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { bookArb, differences, ourReading, sheetJsReading, writeWithSheetJs } from '../../test/support/workbook-differential';

/** Random workbooks per run. */
const RUNS = 200;

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xlsx-lo-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('workbooks saved by LibreOffice Calc are read cell for cell as SheetJS reads them', async () => {
  const seed = Date.now() ^ (Math.random() * 0x7fffffff);
  const books = fc.sample(bookArb({ errors: false }), { numRuns: RUNS, seed });
  const input = path.join(dir, 'in');
  const output = path.join(dir, 'out');
  fs.mkdirSync(input);
  const files = books.map((book, i) => {
    const file = path.join(input, `${i}.xlsx`);
    fs.writeFileSync(file, writeWithSheetJs(book, i % 2 === 0));
    return file;
  });
  // A profile of its own, so that a LibreOffice already open elsewhere does not take the work.
  execFileSync('soffice', [`-env:UserInstallation=file://${path.join(dir, 'profile')}`, '--headless', '--convert-to', 'xlsx', '--outdir', output, ...files], { stdio: 'pipe', timeout: 300_000 });
  for (const [i, book] of books.entries()) {
    const bytes = fs.readFileSync(path.join(output, `${i}.xlsx`));
    const found = differences(await ourReading(bytes, path.join(dir, 'ours', `${i}.xlsx`)), sheetJsReading(bytes));
    if (found.length) throw new Error(`sample ${i} of seed ${seed}: ${JSON.stringify(book)}\n${JSON.stringify(found, null, 2)}`);
  }
}, 240_000);
