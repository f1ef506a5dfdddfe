import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { readRowBatches } from './read-rows';

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'read-rows-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a CSV larger than several read chunks comes back row for row: quoted line breaks, commas and Vietnamese split across chunks', async () => {
  const rows: string[][] = [['Họ và tên', 'Ghi chú', 'Số']];
  for (let i = 0; i < 40_000; i++) {
    rows.push([`Nguyễn Thị Ánh ${i}`, i % 7 === 0 ? `dòng một\ndòng hai, "trích" ${'ễ'.repeat(i % 13)}` : `Phường Hồng Hà ${i}`, String(i).padStart(5, '0')]);
  }
  const text = `\uFEFF${Papa.unparse(rows, { newline: '\r\n' })}\r\n`;
  const file = path.join(dir, 'KS.csv');
  fs.writeFileSync(file, text);
  expect(fs.statSync(file).size).toBeGreaterThan(2 << 20);

  let batches = 0;
  const back: Array<Array<string | null>> = [];
  for await (const batch of readRowBatches(file)) {
    batches++;
    for (const r of batch) back.push(r.cells.map((c) => (c === null ? null : String(c))));
  }
  expect(batches).toBeGreaterThan(2);
  expect(back).toEqual(rows);
  const numbers: number[] = [];
  for await (const batch of readRowBatches(file)) for (const r of batch) numbers.push(r.row);
  expect(numbers).toEqual(rows.map((_, i) => i + 1));
}, 60_000);
