import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import { readRowBatches } from '../tabular/read-rows';
import { createStreamingXlsxWriter } from './streaming-xlsx-writer';

/** Characters where the writer's own UTF-8 and XML escaping could go wrong. */
const PIECES = ['a', ' ', '\t', '\n', '\r', '\r\n', '\u000b', '\u0001', '\u0000', '&', '<', '>', '"', "'", '_x0041_', '_x00', '_', 'ệ', 'Đ', '\u00a0', '\u3000', '\ufeff', '\ufffe', '\uffff', '\ud83d', '\ude00', '\ud800', '\u0300', '€'];

test('text cells read back exactly as written, CR, control characters and texts like _x0041_ included; a lone surrogate becomes U+FFFD', async () => {
  let seed = 7;
  const next = () => (seed = (seed * 1103515245 + 12345) % 2147483648);
  const values = Array.from({ length: 3000 }, () => Array.from({ length: 1 + (next() % 12) }, () => PIECES[next() % PIECES.length]).join(''));
  values.push('ệ'.repeat(32_767), '"'.repeat(20_000));
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xlsx-write-'));
  try {
    const file = path.join(dir, 'w.xlsx');
    const writer = createStreamingXlsxWriter(file);
    writer.addSheet('S');
    for (const v of values) writer.addRow([v]);
    await writer.close();
    const expected = values.map((v) => Buffer.from(v, 'utf8').toString('utf8'));
    const ours: string[] = [];
    for await (const batch of readRowBatches(file)) for (const r of batch) ours.push(String(r.cells[0] ?? ''));
    expect(ours).toEqual(expected);
    // SheetJS reads the same, but for making CR LF into LF (see test/support/workbook-differential.ts).
    const back = XLSX.utils.sheet_to_json<string[]>(XLSX.readFile(file).Sheets.S!, { header: 1, raw: true, defval: '' }).map((r) => r[0] ?? '');
    expect(back).toEqual(expected.map((v) => v.replace(/\r\n/g, '\n')));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});

test('sheet names are made valid and unique, and a full sheet goes on in the next one under the same head', async () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xlsx-write-'));
  try {
    const file = path.join(dir, 'w.xlsx');
    const writer = createStreamingXlsxWriter(file, { rowsPerSheet: 5 });
    const head = [['Tiêu đề'], ['Mã lý do', 'Dòng gốc']];
    expect(writer.addSheet('Ngoại lệ: KS/KT', head)).toBe('Ngoại lệ_ KS_KT');
    for (let i = 1; i <= 7; i++) writer.addRow(['UNIT_MISSING', i]);
    // Excel tells sheet names apart ignoring case; the full sheet's continuations took (2) and (3).
    expect(writer.addSheet('ngoại lệ: ks/kt')).toBe('ngoại lệ_ ks_kt (4)');
    writer.addRow(['x']);
    expect(writer.addSheet("'Sổ đăng ký khai sinh năm 1995 - quyển 01'")).toBe('Sổ đăng ký khai sinh năm 1995 -');
    expect(writer.addSheet('Sổ đăng ký khai sinh năm 1995 - quyển 02')).toBe('Sổ đăng ký khai sinh năm 19 (2)');
    await writer.close();
    const wb = XLSX.readFile(file);
    expect(wb.SheetNames).toEqual(['Ngoại lệ_ KS_KT', 'Ngoại lệ_ KS_KT (2)', 'Ngoại lệ_ KS_KT (3)', 'ngoại lệ_ ks_kt (4)', 'Sổ đăng ký khai sinh năm 1995 -', 'Sổ đăng ký khai sinh năm 19 (2)']);
    const rows = (n: string) => XLSX.utils.sheet_to_json<unknown[]>(wb.Sheets[n]!, { header: 1, raw: true });
    expect(rows('Ngoại lệ_ KS_KT')).toEqual([...head, ['UNIT_MISSING', 1], ['UNIT_MISSING', 2], ['UNIT_MISSING', 3]]);
    expect(rows('Ngoại lệ_ KS_KT (2)')).toEqual([...head, ['UNIT_MISSING', 4], ['UNIT_MISSING', 5], ['UNIT_MISSING', 6]]);
    expect(rows('Ngoại lệ_ KS_KT (3)')).toEqual([...head, ['UNIT_MISSING', 7]]);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
});
