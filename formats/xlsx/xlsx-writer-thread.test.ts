import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createStreamingXlsxWriter, type XlsxRow } from './streaming-xlsx-writer';
import { createXlsxWriterThread } from './xlsx-writer-thread';

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xlsx-thread-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

/** Sheets and rows as the split writes them: heads, Vietnamese text, numbers, empty cells, a sheet past its row limit. */
function* work(): Generator<{ sheet: string; head: XlsxRow[] } | XlsxRow> {
  const texts = ['Nguyễn Thị Ánh', 'Đơn vị đã sáp nhập', 'a & b <c>', ' khoảng trắng ', '\u0001điều khiển', '😀', ''];
  yield { sheet: 'Ngoại lệ: KS', head: [['Mã lý do', 'Lý do', 'Dòng gốc']] };
  for (let i = 0; i < 2600; i++) yield ['UNIT_UNKNOWN', texts[i % texts.length]!, i, i % 5 === 0 ? null : texts[(i * 3) % texts.length]!];
  yield { sheet: 'ngoại lệ: ks', head: [] };
  for (let i = 0; i < 40; i++) yield [i / 7, undefined, 'KT'];
}

test('the thread writes the same bytes as the writer here, however the rows are handed over', async () => {
  const here = createStreamingXlsxWriter(path.join(dir, 'here.xlsx'), { rowsPerSheet: 1000 });
  const there = createXlsxWriterThread(path.join(dir, 'there.xlsx'), { rowsPerSheet: 1000 });
  let n = 0;
  for (const op of work()) {
    for (const w of [here, there]) {
      if ('sheet' in op) w.addSheet(op.sheet, op.head);
      else w.addRow(op);
    }
    // Drains at uneven intervals, so batches end anywhere.
    if (++n % 377 === 0) await Promise.all([here.drain(), there.drain()]);
  }
  await Promise.all([here.close(), there.close()]);
  const bytes = fs.readFileSync(path.join(dir, 'there.xlsx'));
  expect(bytes.length).toBeGreaterThan(10_000);
  expect(bytes.equals(fs.readFileSync(path.join(dir, 'here.xlsx')))).toBe(true);
});

test('a failure in the thread comes back to the caller, and the thread ends', async () => {
  const writer = createXlsxWriterThread(path.join(dir, 'missing', 'x.xlsx'));
  writer.addSheet('S');
  writer.addRow(['a']);
  await expect(writer.close()).rejects.toThrow(/ENOENT/);
  await writer.destroy();
});

test('a writer given up on ends its thread without a file being finished', async () => {
  const file = path.join(dir, 'x.xlsx');
  const writer = createXlsxWriterThread(file);
  writer.addSheet('S');
  for (let i = 0; i < 3000; i++) writer.addRow(['dòng', i]);
  await writer.drain();
  await writer.destroy();
  // A finished workbook ends with the zip's end of central directory record; this one never got it
  // (under load the thread may not have written even the first bytes of the zip).
  const bytes = fs.readFileSync(file);
  expect(bytes.length < 22 ? 'too short to be a zip' : bytes.readUInt32LE(bytes.length - 22)).not.toBe(0x06054b50);
  await expect(writer.close()).rejects.toThrow(/ended without finishing/);
});
