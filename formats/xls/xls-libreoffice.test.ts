/**
 * Our BIFF8 files open in LibreOffice Calc, not only in SheetJS: LibreOffice headless converts a
 * written sheet to UTF-8 CSV and every cell comes back with its exact text (Vietnamese in NFC,
 * leading zeros, formula-like text, texts spanning CONTINUE records, a shared-string table
 * larger than one record).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Papa from 'papaparse';
import { displayValue } from '../../domain/profiles/cell-values';
import { fieldsOf } from '../../domain/registers/register-types';
import { generateProvinceExport } from '../../domain/synthetic/province-export';
import { writeXls, type XlsCell } from './xls-sheet-writer';

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'xls-lo-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('LibreOffice Calc reads every cell of a written .xls with its exact text', () => {
  const fields = fieldsOf('KS');
  const generated = [...generateProvinceExport({ provinceCode: '01', records: 6000, seed: 3 })].filter((r) => r.type === 'KS');
  const rows: XlsCell[][] = generated.map((r) => fields.map((f) => displayValue(f, r.values[f.key])));
  const special: XlsCell[][] = [
    ['Nguyễn Thị Ánh Tuyết', '00001', '=SUM(A1:A2)', '+84 912 345 678', 'ÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬĐÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ'],
    ['Ghi chú dài: '.concat('Đăng ký khai sinh quá hạn tại Ủy ban nhân dân xã. '.repeat(300)), 'àáảãạăằắẳẵặâầấẩẫậđèéẻẽẹêềếểễệìíỉĩịòóỏõọôồốổỗộơờớởỡợùúủũụưừứửữựỳýỷỹỵ', '@x', '-3', 'Họ 𡨸 Nôm'],
  ];
  const all = [...special, ...rows];
  const width = Math.max(...all.map((r) => r.length));
  const header = Array.from({ length: width }, (_, i) => fields[i]?.labelVi ?? `Cột ${i + 1}`);
  const file = path.join(dir, 'KS - Sổ đăng ký khai sinh.xls');
  fs.writeFileSync(file, writeXls('KS', header, all));

  // 76 = UTF-8; a profile of its own, so a LibreOffice already open elsewhere does not interfere.
  execFileSync('soffice', [`-env:UserInstallation=file://${path.join(dir, 'profile')}`, '--headless', '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1', '--outdir', dir, file], { stdio: 'pipe', timeout: 120_000 });
  const csv = fs.readFileSync(path.join(dir, 'KS - Sổ đăng ký khai sinh.csv'), 'utf8');
  const back = Papa.parse<string[]>(csv, { skipEmptyLines: false }).data.filter((r) => r.length > 1 || r[0] !== '');
  const want = [header, ...all].map((r) => Array.from({ length: width }, (_, i) => (r[i] === null || r[i] === undefined ? '' : String(r[i]))));
  expect(back).toHaveLength(want.length);
  const mismatches = want.flatMap((r, i) => r.flatMap((cell, j) => (back[i]![j] === cell ? [] : [{ row: i + 1, column: j + 1, want: cell, got: back[i]![j] }])));
  expect(mismatches).toEqual([]);
  expect(generated.length).toBeGreaterThan(3000);
}, 180_000);
