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
  expect(r.stderr).toContain(`Lỗi CLI_INPUT_MISSING: Không tìm thấy tệp "${path.join(dir, 'khong-co.csv')}" (đường dẫn sai, hoặc đó là một thư mục).`);
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

describe('a CSV of one register type whose name and columns do not say it', () => {
  const rows = [
    'Mã ĐVHC nơi đăng ký,Năm đăng ký,Quyển số,Số đăng ký,Ngày đăng ký,Họ và tên,Giới tính',
    '00004,2009,01,1,10/03/2009,Nguyễn Văn An,Nam',
    '00004,2009,01,2,11/03/2009,Trần Thị Bình,Nữ',
  ];
  const input = () => {
    const file = path.join(dir, 'du-lieu-xuat.csv');
    fs.writeFileSync(file, `\uFEFF${rows.join('\r\n')}\r\n`);
    return file;
  };

  test('is split as the type given on the command line', async () => {
    const out = path.join(dir, 'out-given');
    const r = await runCli(['split', '--province', '01', '--input', input(), '--out', out, '--register-type', 'ks'], cliEnv({ LOG_LEVEL: 'silent' }));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Đã tách 2 dòng: 2 dòng vào 1 cơ quan đăng ký, 0 dòng ngoại lệ.\n14 ô có dữ liệu được đọc, 14 ô được giữ: 14 trong các tệp đã tách, 0 trong tệp ngoại lệ.\n');
    const manifest = JSON.parse(fs.readFileSync(path.join(out, 'manifest.json'), 'utf8')) as { registerType: string; agencies: Array<{ files: Array<{ path: string; rows: number }> }> };
    expect(manifest.registerType).toBe('KS');
    expect(manifest.agencies[0]!.files).toEqual([expect.objectContaining({ path: 'Cấp xã/00004 - UBND phường Ba Đình/KS - Sổ đăng ký khai sinh.xls', rows: 2 })]);
  }, 60_000);

  test('without it, its two rows (not its header) are exceptions, and the coordinator is told how to give it', async () => {
    const r = await split(input(), path.join(dir, 'out-not-given'));
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Đã tách 2 dòng: 0 dòng vào 0 cơ quan đăng ký, 2 dòng ngoại lệ (PROFILE_REGISTER_TYPE_UNKNOWN: 2).');
    expect(r.stdout).toContain('Trang "du-lieu-xuat" không tách được, 2 dòng vào tệp ngoại lệ: Không xác định được loại sổ của trang "du-lieu-xuat"');
    expect(r.stdout).toContain('(--register-type)');
  }, 60_000);

  test('a type that is none is refused before anything is read', async () => {
    const out = path.join(dir, 'out-bad-type');
    const r = await runCli(['split', '--province', '01', '--input', input(), '--out', out, '--register-type', 'XX'], cliEnv({ LOG_LEVEL: 'silent' }));
    expect(r.stderr).toContain('Lỗi IMPORT_REGISTER_TYPE_INVALID: "XX" không phải loại sổ hộ tịch; chọn một trong: KS, KT, KH, CMC, GH, TDCC, GCNN, LH.');
    expect(r.code).toBe(2);
    expect(fs.existsSync(out)).toBe(false);
  }, 60_000);
});
