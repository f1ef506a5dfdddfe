import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readRowBatches, type SheetRow } from './read-rows';
import { readRowBatchesInThread, THREAD_BATCH_ROWS } from './read-rows-thread';
import fc from 'fast-check';
import { decodedText, packRows, unpackRows } from './packed-rows';

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'read-thread-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

async function all(batches: AsyncGenerator<SheetRow[]>): Promise<SheetRow[]> {
  const rows: SheetRow[] = [];
  for await (const b of batches) rows.push(...b);
  return rows;
}

test('packed rows come back the same: texts, numbers, booleans, empty cells and rows, sheets', () => {
  const rows: SheetRow[] = [
    { sheet: 'KS', row: 1, cells: ['Họ và tên', '', null, 12.5, true, false, 'Nguyễn Thị Ánh 👩', '\ud800 lẻ'] },
    { sheet: 'KS', row: 2, cells: [] },
    { sheet: 'KT', row: 1, cells: [null, 'x', 'a\u0000b', `${'Nguyễn Thị Ánh '.repeat(5)}👩`, `${'dài '.repeat(20)}\udc00`, `${'dài '.repeat(20)}\u0000`] },
  ];
  expect(unpackRows(packRows(rows))).toEqual(rows);
  expect(unpackRows(decodedText(packRows(rows)))).toEqual(rows);
});

test('any text comes back exactly, whatever its characters (lone surrogates, NUL, astral pairs)', () => {
  const text = fc.oneof(fc.string({ unit: 'binary', maxLength: 80 }), fc.string({ unit: fc.constantFrom('a', 'ệ', 'Đ', '\u0000', '\ud83d', '\ude00', '👩', '€'), maxLength: 80 }));
  fc.assert(
    fc.property(fc.array(fc.array(text, { maxLength: 6 }), { maxLength: 5 }), (cells) => {
      const rows: SheetRow[] = cells.map((c, i) => ({ sheet: 'S', row: i + 1, cells: c }));
      expect(unpackRows(packRows(rows))).toEqual(rows);
      expect(unpackRows(decodedText(packRows(rows)))).toEqual(rows);
    }),
    { numRuns: 500 },
  );
});

test('the thread reads what the reader reads, in larger batches', async () => {
  const lines = ['\uFEFFHọ và tên,Ghi chú'];
  for (let i = 0; i < THREAD_BATCH_ROWS * 2 + 17; i++) lines.push(`Nguyễn Văn ${i},"dòng một\ndòng hai, ""trích"""`);
  const file = path.join(dir, 'KS.csv');
  fs.writeFileSync(file, `${lines.join('\r\n')}\r\n`);
  expect(await all(readRowBatchesInThread(file))).toEqual(await all(readRowBatches(file)));
}, 30_000);

test("the reader's errors come back with their code; a consumer may stop early", async () => {
  const odd = path.join(dir, 'x.txt');
  fs.writeFileSync(odd, 'x');
  await expect(all(readRowBatchesInThread(odd))).rejects.toMatchObject({ code: 'INPUT_FORMAT_UNSUPPORTED', messageVi: expect.stringContaining('x.txt') });
  for await (const batch of readRowBatchesInThread(path.join(dir, 'KS.csv'))) {
    expect(batch.length).toBeGreaterThan(0);
    break;
  }
}, 30_000);
