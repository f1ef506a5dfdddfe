import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { writeZip } from '../../formats/zip/zip-writer';
import { rawZip, type RawEntry } from '../../test/support/raw-zip';
import { assertPackageName, inspectPackage, MEMBER_MAX_RATIO } from './package-inspection';
import { isAppError } from '../../domain/errors';

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

test('a member that climbs out, a link, a special file, a name twice: the whole package is refused, naming the member', async () => {
  const zipOf = (...entries: RawEntry[]) => rawZip(entries);
  const table = (name: string | Buffer, extra: Partial<RawEntry> = {}): RawEntry => ({ name, data: csv, deflate: true, ...extra });
  const cases: Array<[string, Buffer, string, string]> = [
    ['../KS.csv', zipOf(table('../KS.csv')), 'RECEIVE_MEMBER_UNSAFE_PATH', '"../KS.csv"'],
    ['..\\..\\KS.csv', zipOf(table('..\\..\\KS.csv')), 'RECEIVE_MEMBER_UNSAFE_PATH', '"../../KS.csv"'],
    ['/tmp/KS.csv', zipOf(table('/tmp/KS.csv')), 'RECEIVE_MEMBER_UNSAFE_PATH', '"/tmp/KS.csv"'],
    ['C:/KS.csv', zipOf(table('C:/KS.csv')), 'RECEIVE_MEMBER_UNSAFE_PATH', '"C:/KS.csv"'],
    ['.. /KS.csv', zipOf(table('.. /KS.csv')), 'RECEIVE_MEMBER_UNSAFE_PATH', '".. /KS.csv"'],
    ['a link, even beside the tables', zipOf(table('KS.csv'), { name: 'KT.csv', data: Buffer.from('/etc/passwd'), unixMode: 0o120777 }), 'RECEIVE_MEMBER_NOT_A_FILE', '"KT.csv"'],
    ['a FIFO', zipOf({ name: 'KS.csv', data: Buffer.alloc(0), unixMode: 0o010644 }), 'RECEIVE_MEMBER_NOT_A_FILE', '"KS.csv"'],
    ['the same name twice', zipOf(table('KS.csv'), table('KS.csv')), 'RECEIVE_MEMBER_DUPLICATE', '"KS.csv"'],
    ['names differing in case and "./"', zipOf(table('sổ/KS.csv'), table('./SỔ/ks.csv')), 'RECEIVE_MEMBER_DUPLICATE', '"./SỔ/ks.csv"'],
  ];
  for (const [what, zip, code, member] of cases) {
    const refused = await inspect('goi.zip', zip).then(
      () => 'read',
      (e: unknown) => e,
    );
    expect([what, refused]).toEqual([what, expect.objectContaining({ code, messageVi: expect.stringContaining(`Tệp nén "goi.zip" có `) })]);
    expect((refused as { messageVi: string }).messageVi).toContain(member);
  }
});

test('a zip bomb is refused from its directory before anything is inflated; entries sharing their bytes, and a checksum that does not match, are a corrupt zip', async () => {
  const zeros = Buffer.alloc(32 << 20);
  await expect(inspect('bom.zip', rawZip([{ name: 'KS.csv', data: zeros, deflate: true }]))).rejects.toMatchObject({
    code: 'RECEIVE_MEMBER_EXPANDS_TOO_MUCH',
    messageVi: `Tệp nén "bom.zip" có mục "KS.csv" khi giải nén lớn gấp hơn ${MEMBER_MAX_RATIO} lần dung lượng nén (nghi là "bom nén"), nên cả gói không được nhận; đề nghị bên giao kiểm tra và gửi lại.`,
  });
  // A table that compresses as well as text does is no bomb.
  expect(await inspect('ok.zip', rawZip([{ name: 'KS.csv', data: csv, deflate: true }]))).toEqual([{ name: 'KS.csv', size: csv.length }]);
  const one = rawZip([{ name: 'KS.csv', data: csv, deflate: true }]);
  const directory = one.indexOf(CDH);
  const record = one.subarray(directory, one.length - 22);
  const end = Buffer.from(one.subarray(one.length - 22));
  end.writeUInt16LE(2, 8);
  end.writeUInt16LE(2, 10);
  end.writeUInt32LE(record.length * 2, 12);
  const renamed = Buffer.from(record);
  renamed.write('KT', 46);
  const shared = Buffer.concat([one.subarray(0, directory), record, renamed, end]);
  await expect(inspect('chung.zip', shared)).rejects.toMatchObject({ code: 'RECEIVE_FILE_CORRUPT', messageVi: expect.stringContaining('"chung.zip"') });
  await expect(inspect('crc.zip', rawZip([{ name: 'KS.csv', data: csv, deflate: true, declaredCrc: 0xdeadbeef }]))).rejects.toMatchObject({ code: 'RECEIVE_FILE_CORRUPT', messageVi: expect.stringContaining('"crc.zip/KS.csv"') });
});

test('a package name with a control character, or past 255 bytes, is refused before anything is stored under it (was an uncoded ENAMETOOLONG or a NUL in a path, retried by the receive activity)', () => {
  const code = (name: string) => {
    try {
      assertPackageName(name);
      return 'ok';
    } catch (e) {
      return isAppError(e) ? e.code : String(e);
    }
  };
  expect(code('01-c06 Hà Nội.xlsx')).toBe('ok');
  expect(code(`${'ạ'.repeat(83)}.xlsx`)).toBe('ok');
  expect(code(`${'ạ'.repeat(84)}.xlsx`)).toBe('RECEIVE_NAME_INVALID');
  expect(code('KS\u0000.xlsx')).toBe('RECEIVE_NAME_INVALID');
  expect(code('KS\n.xlsx')).toBe('RECEIVE_NAME_INVALID');
  expect(code('KS.docx')).toBe('RECEIVE_FORMAT_UNSUPPORTED');
});
