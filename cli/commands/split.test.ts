/**
 * `hotich split` offline, as a coordinator runs it: a package it cannot split is refused with
 * the code and Vietnamese message the province run's receive step gives, before any output.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateExport } from '../gen/generate';
import { writeZip } from '../../formats/zip/zip-writer';
import { cliEnv, runCli } from '../../test/support/cli-process';

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-split-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const split = (input: string, out: string) => runCli(['split', '--province', '01', '--input', input, '--out', out], cliEnv({ LOG_LEVEL: 'silent' }));

test.each([
  ['a zip that is not one', 'hong.zip', Buffer.from('PK\u0003\u0004 không phải tệp nén', 'utf8'), 'Lỗi RECEIVE_FILE_CORRUPT: Tệp "hong.zip" bị hỏng hoặc không phải tệp .zip đọc được'],
  ['an empty file', 'rong.csv', Buffer.alloc(0), 'Lỗi RECEIVE_PACKAGE_EMPTY: Tệp "rong.csv" rỗng (0 byte)'],
  ['a CSV not in UTF-8', 'cu.csv', Buffer.from('Mã ĐVHC nơi đăng ký,Họ và tên\r\n00004,Nguyễn Văn An\r\n', 'latin1'), 'Lỗi RECEIVE_CSV_NOT_UTF8: Tệp "cu.csv" không được mã hoá UTF-8'],
  ['a zip holding no table', 'anh.zip', writeZip([{ name: 'trang-1.pdf', data: Buffer.from('%PDF-1.4') }]), 'Lỗi RECEIVE_PACKAGE_NO_TABLES: Tệp nén "anh.zip" không chứa tệp .xlsx, .xls hoặc .csv nào.'],
])('%s is refused with its code and message, and nothing is written', async (_what, name, bytes, message) => {
  const input = path.join(dir, name);
  fs.writeFileSync(input, bytes);
  const out = path.join(dir, `out-${name}`);
  const r = await split(input, out);
  expect(r.stderr).toContain(message);
  expect(r.code).toBe(2);
  expect(fs.existsSync(out)).toBe(false);
}, 60_000);

test('a file that is not there is named', async () => {
  const r = await split(path.join(dir, 'khong-co.csv'), path.join(dir, 'out-missing'));
  expect(r.stderr).toContain(`Lỗi SPLIT_INPUT_MISSING: Không tìm thấy tệp đầu vào "${path.join(dir, 'khong-co.csv')}".`);
  expect(r.code).toBe(2);
}, 60_000);

test('a good package is checked, then split', async () => {
  const gen = await generateExport({ provinceCode: '01', records: 300, seed: 5, out: path.join(dir, 'gen'), format: 'csv' });
  const zip = path.join(dir, 'goi.zip');
  fs.writeFileSync(zip, writeZip(gen.files.map((f) => ({ name: path.basename(f), data: fs.readFileSync(path.join(dir, 'gen', f)), deflate: true }))));
  const r = await split(zip, path.join(dir, 'out-good'));
  expect(r.stderr).toBe('Kiểm tra gói goi.zip…\n');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/Đã tách 300 dòng: \d+ dòng vào \d+ cơ quan đăng ký/);
  expect(fs.existsSync(path.join(dir, 'out-good', 'manifest.json'))).toBe(true);
}, 60_000);
