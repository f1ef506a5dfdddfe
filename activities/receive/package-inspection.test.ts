import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { writeZip } from '../../formats/zip/zip-writer';
import { inspectPackage } from './package-inspection';

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'inspect-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const csv = Buffer.from(`Mã ĐVHC nơi đăng ký,Họ và tên\r\n${Array.from({ length: 3000 }, (_, i) => `00004,Nguyễn Thị Ánh ${i}`).join('\r\n')}\r\n`, 'utf8');
const CDH = Buffer.from([0x50, 0x4b, 0x01, 0x02]);

function inspect(name: string, bytes: Buffer) {
  const file = path.join(dir, name);
  fs.writeFileSync(file, bytes);
  return inspectPackage(file, name);
}

test('the tables of a zip, named as the zip names them (a legacy code page too), with their sizes; other members are passed over', async () => {
  const cp437 = Buffer.from([0x53, 0x81, 0x2e, 0x63, 0x73, 0x76]); // "Sü.csv" in code page 437, no UTF-8 flag
  const members = await inspect('goi.zip', writeZip([{ name: 'KS.csv', data: csv, deflate: true }, { name: 'doc/ghi-chu.txt', data: Buffer.from('x') }, { name: cp437, data: csv }]));
  expect(members).toEqual([
    { name: 'KS.csv', size: csv.length },
    { name: 'Sü.csv', size: csv.length },
  ]);
});

test.each([
  ['a member that inflates to fewer bytes than the zip declares', (zip: Buffer) => zip.writeUInt32LE(csv.length + 1, zip.indexOf(CDH) + 24)],
  ['a member whose deflated data is overwritten', (zip: Buffer) => void zip.fill(0xff, 30 + 6 + 200, 30 + 6 + 264)],
])('%s is a corrupt table of the package, by name, in Vietnamese', async (_what, damage) => {
  const zip = writeZip([{ name: 'KS.csv', data: csv, deflate: true }]);
  expect(zlib.inflateRawSync(zip.subarray(36, zip.indexOf(CDH))).length).toBe(csv.length);
  damage(zip);
  await expect(inspect('hong.zip', zip)).rejects.toMatchObject({ code: 'RECEIVE_FILE_CORRUPT', messageVi: 'Tệp "hong.zip/KS.csv" bị hỏng hoặc không phải tệp .csv đọc được; đề nghị bên giao gửi lại.' });
});

test('a password-protected member, a CSV member not in UTF-8, a zip without tables, a zip that is not one', async () => {
  // Flagged encrypted, with the 12-byte header encryption puts before the data counted in its size.
  const encrypted = writeZip([{ name: 'KS.csv', data: csv }]);
  const at = encrypted.indexOf(CDH);
  encrypted.writeUInt16LE(encrypted.readUInt16LE(at + 8) | 1, at + 8);
  encrypted.writeUInt32LE(csv.length + 12, at + 20);
  await expect(inspect('mat-khau.zip', encrypted)).rejects.toMatchObject({ code: 'RECEIVE_WORKBOOK_ENCRYPTED', messageVi: expect.stringContaining('"mat-khau.zip/KS.csv"') });
  await expect(inspect('latin.zip', writeZip([{ name: 'KS.csv', data: Buffer.from('Hà Nội', 'latin1') }]))).rejects.toMatchObject({ code: 'RECEIVE_CSV_NOT_UTF8', messageVi: expect.stringContaining('"latin.zip/KS.csv"') });
  await expect(inspect('anh.zip', writeZip([{ name: 'trang.pdf', data: Buffer.from('%PDF') }]))).rejects.toMatchObject({ code: 'RECEIVE_PACKAGE_NO_TABLES' });
  await expect(inspect('gia.zip', Buffer.from('PK\u0003\u0004 không phải tệp nén'))).rejects.toMatchObject({ code: 'RECEIVE_FILE_CORRUPT', messageVi: expect.stringContaining('"gia.zip"') });
});
