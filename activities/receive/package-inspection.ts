/**
 * What is inside a received package, checked before anyone confirms the handover: each table
 * is what its name says (a workbook opens as a workbook, a CSV is UTF-8), so a corrupt,
 * password-protected or mis-encoded delivery is refused at Step 1 with a clear reason.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Readable } from 'node:stream';
import zlib from 'node:zlib';
import type yauzl from 'yauzl';
import { defineError, isAppError } from '../../domain/errors';
import { decodeZipEntryName } from '../../domain/naming/zip-entry-name';
import { TABULAR_EXTENSIONS } from '../../formats/tabular/read-rows';
import { entriesOverlap, fileKind, identityOf, isUnsafePath } from '../../formats/zip/member-rules';
import { openEntryStream, openZipFile, zipMembers } from '../../formats/zip/zip-members';

/** File systems keep a name of at most 255 bytes, and no NUL; the receipt keeps the package under its name. */
const NAME_MAX_BYTES = 255;

export const PackageNameInvalid = defineError<{ name: string; bytes: number }>(
  'RECEIVE_NAME_INVALID',
  'validation',
  (p) => `a package's name (${p.bytes} bytes) holds a control character or is longer than ${NAME_MAX_BYTES} bytes, which no file system takes`,
  (p) => `Tên gói "${p.name.slice(0, 80)}${p.name.length > 80 ? '…' : ''}" có ký tự điều khiển (ký tự rỗng, xuống dòng…) hoặc dài quá ${NAME_MAX_BYTES} byte nên không lưu được; hãy đặt lại tên tệp ngắn gọn rồi gửi lại.`,
);

export const PackageFormatUnsupported = defineError<{ name: string }>(
  'RECEIVE_FORMAT_UNSUPPORTED',
  'validation',
  (p) => `${p.name}: a package is an .xlsx, .xls or .csv file, or a .zip holding those`,
  (p) => `Gói "${p.name}" không đúng định dạng: chỉ nhận tệp .xlsx, .xls, .csv hoặc tệp .zip chứa các tệp đó.`,
);

export const PackageEmpty = defineError<{ name: string }>(
  'RECEIVE_PACKAGE_EMPTY',
  'validation',
  (p) => `${p.name} is empty`,
  (p) => `Tệp "${p.name}" rỗng (0 byte); đề nghị bên giao gửi lại.`,
);

export const PackageHasNoTables = defineError<{ name: string }>(
  'RECEIVE_PACKAGE_NO_TABLES',
  'validation',
  (p) => `${p.name} holds no .xlsx, .xls or .csv file`,
  (p) => `Tệp nén "${p.name}" không chứa tệp .xlsx, .xls hoặc .csv nào.`,
);

export const WorkbookEncrypted = defineError<{ name: string }>(
  'RECEIVE_WORKBOOK_ENCRYPTED',
  'validation',
  (p) => `${p.name} is password-protected`,
  (p) => `Tệp "${p.name}" được đặt mật khẩu nên không đọc được; đề nghị bên giao gửi bản không đặt mật khẩu.`,
);

export const WorkbookCorrupt = defineError<{ name: string; expected: string }>(
  'RECEIVE_FILE_CORRUPT',
  'validation',
  (p) => `${p.name} is not a readable ${p.expected} file`,
  (p) => `Tệp "${p.name}" bị hỏng hoặc không phải tệp ${p.expected} đọc được; đề nghị bên giao gửi lại.`,
);

export const CsvNotUtf8 = defineError<{ name: string; offset: number }>(
  'RECEIVE_CSV_NOT_UTF8',
  'validation',
  (p) => `${p.name} is not UTF-8 (first bad byte near offset ${p.offset})`,
  (p) => `Tệp "${p.name}" không được mã hoá UTF-8 (lỗi gần byte thứ ${p.offset}); hãy lưu lại bằng "CSV UTF-8" rồi gửi lại.`,
);

export const MemberUnsafePath = defineError<{ name: string; member: string }>(
  'RECEIVE_MEMBER_UNSAFE_PATH',
  'validation',
  (p) => `${p.name}: member ${p.member} has an unsafe path (absolute, a drive letter or "..")`,
  (p) => `Tệp nén "${p.name}" có mục "${p.member}" mang đường dẫn không an toàn (đường dẫn tuyệt đối, tên ổ đĩa hoặc ".."), nên cả gói không được nhận; đề nghị bên giao nén lại.`,
);

export const MemberNotAFile = defineError<{ name: string; member: string }>(
  'RECEIVE_MEMBER_NOT_A_FILE',
  'validation',
  (p) => `${p.name}: member ${p.member} is a link or a special file`,
  (p) => `Tệp nén "${p.name}" có mục "${p.member}" là liên kết hoặc tệp đặc biệt, không phải tệp thông thường, nên cả gói không được nhận; đề nghị bên giao nén lại.`,
);

export const MemberDuplicate = defineError<{ name: string; member: string }>(
  'RECEIVE_MEMBER_DUPLICATE',
  'validation',
  (p) => `${p.name}: two members are named ${p.member} (case and "./" aside)`,
  (p) => `Tệp nén "${p.name}" có hai mục cùng tên "${p.member}" (không kể chữ hoa, chữ thường), không biết dùng mục nào nên cả gói không được nhận; đề nghị bên giao nén lại.`,
);

export const MemberExpandsTooMuch = defineError<{ name: string; member: string; ratio: number }>(
  'RECEIVE_MEMBER_EXPANDS_TOO_MUCH',
  'validation',
  (p) => `${p.name}: member ${p.member} expands more than ${p.ratio} times its compressed size (a zip bomb?)`,
  (p) => `Tệp nén "${p.name}" có mục "${p.member}" khi giải nén lớn gấp hơn ${p.ratio} lần dung lượng nén (nghi là "bom nén"), nên cả gói không được nhận; đề nghị bên giao kiểm tra và gửi lại.`,
);

/**
 * How many times its compressed size a table may inflate to. CSV text deflates 5 to 20 times,
 * a workbook inside a zip hardly at all; a run of one byte (a zip bomb) a thousand times.
 */
export const MEMBER_MAX_RATIO = 200;
/** A small member may inflate past the ratio by this much: so little cannot exhaust anything. */
const RATIO_ALLOWANCE = 1 << 20;

export interface PackageMember {
  name: string;
  size: number;
}

const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);
const CFB_MAGIC = Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]);

const isTabular = (name: string) => (TABULAR_EXTENSIONS as readonly string[]).includes(path.extname(name).toLowerCase());

/**
 * Reads a member once: its first bytes decide its kind, a CSV must decode as UTF-8 to the end,
 * and a zip member's bytes must match the CRC-32 its zip recorded (yauzl does not check it).
 */
async function checkMember(name: string, stream: Readable, crc32?: number): Promise<number> {
  const ext = path.extname(name).toLowerCase();
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let head = Buffer.alloc(0);
  let size = 0;
  let crc = 0;
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    if (head.length < 8) head = Buffer.concat([head, chunk.subarray(0, 8)]);
    if (ext === '.csv') {
      try {
        decoder.decode(chunk, { stream: true });
      } catch {
        throw CsvNotUtf8({ name, offset: size });
      }
    }
    if (crc32 !== undefined) crc = zlib.crc32(chunk, crc);
    size += chunk.length;
  }
  if (crc32 !== undefined && crc >>> 0 !== crc32 >>> 0) throw WorkbookCorrupt({ name, expected: ext });
  if (size === 0) throw PackageEmpty({ name });
  if (ext === '.csv') {
    try {
      decoder.decode();
    } catch {
      throw CsvNotUtf8({ name, offset: size });
    }
  }
  const starts = (magic: Buffer) => head.subarray(0, magic.length).equals(magic);
  // Office writes a password-protected .xlsx as a compound file holding the encrypted package.
  if (ext === '.xlsx' && starts(CFB_MAGIC)) throw WorkbookEncrypted({ name });
  if (ext === '.xlsx' && !starts(ZIP_MAGIC)) throw WorkbookCorrupt({ name, expected: '.xlsx' });
  if (ext === '.xls' && !starts(CFB_MAGIC)) throw WorkbookCorrupt({ name, expected: '.xls (Excel 97–2003)' });
  return size;
}

async function inspectZip(file: string, name: string): Promise<PackageMember[]> {
  const corrupt = (e: unknown, member?: string) => WorkbookCorrupt({ name: member ? `${name}/${member}` : name, expected: member ? path.extname(member) : '.zip' }, { cause: e });
  const zip = await openZipFile(file, { decodeStrings: false }).catch((e: unknown) => {
    throw corrupt(e);
  });
  const members: PackageMember[] = [];
  try {
    const entries = await zipMembers(zip).catch((e: unknown) => {
      throw corrupt(e);
    });
    // Every member is judged, read or not: a package carrying a link or a climbing path is not an honest export.
    if (entriesOverlap(entries)) throw corrupt(new Error('members share their bytes'));
    const seen = new Set<string>();
    const tables: Array<{ entry: yauzl.Entry; member: string }> = [];
    for (const entry of entries) {
      const member = decodeZipEntryName(entry.fileName as unknown as Buffer, (entry.generalPurposeBitFlag & 0x800) !== 0).name.replace(/\\/g, '/');
      if (isUnsafePath(member)) throw MemberUnsafePath({ name, member });
      const kind = fileKind(entry, member);
      if (kind === 'symlink' || kind === 'special') throw MemberNotAFile({ name, member });
      if (kind === 'directory') continue;
      const identity = identityOf(member);
      if (seen.has(identity)) throw MemberDuplicate({ name, member });
      seen.add(identity);
      if (isTabular(member)) tables.push({ entry, member });
    }
    for (const { entry, member } of tables) {
      if (entry.generalPurposeBitFlag & 0x1) throw WorkbookEncrypted({ name: `${name}/${member}` });
      // Checked on the directory's claims, which yauzl then holds the member to: a bomb is never inflated.
      if (entry.uncompressedSize > entry.compressedSize * MEMBER_MAX_RATIO + RATIO_ALLOWANCE) throw MemberExpandsTooMuch({ name, member, ratio: MEMBER_MAX_RATIO });
      const stream = await openEntryStream(zip, entry).catch((e: unknown) => {
        throw corrupt(e, member);
      });
      // A member that does not inflate (bad data, not the size the zip declares) is as corrupt as one that does not open.
      const size = await checkMember(`${name}/${member}`, stream, entry.crc32).catch((e: unknown) => {
        throw isAppError(e) ? e : corrupt(e, member);
      });
      members.push({ name: member, size });
    }
  } finally {
    zip.close();
  }
  if (members.length === 0) throw PackageHasNoTables({ name });
  return members;
}

/** The tables of a package; throws the error a coordinator can act on when it cannot be read. */
export async function inspectPackage(file: string, name: string): Promise<PackageMember[]> {
  const ext = path.extname(name).toLowerCase();
  if (ext === '.zip') {
    if (fs.statSync(file).size === 0) throw PackageEmpty({ name });
    return inspectZip(file, name);
  }
  if (!isTabular(name)) throw PackageFormatUnsupported({ name });
  return [{ name, size: await checkMember(name, fs.createReadStream(file)) }];
}

/** A CSV that is not UTF-8 is refused before it is read: its text would come out with U+FFFD in place of every letter of another code page. */
export async function assertCsvUtf8(file: string, name: string): Promise<void> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let offset = 0;
  try {
    for await (const chunk of fs.createReadStream(file) as AsyncIterable<Buffer>) {
      decoder.decode(chunk, { stream: true });
      offset += chunk.length;
    }
    decoder.decode();
  } catch {
    throw CsvNotUtf8({ name, offset });
  }
}

export function assertPackageName(name: string): void {
  const bytes = Buffer.byteLength(path.basename(name));
  if (/[\u0000-\u001f\u007f]/.test(name) || bytes > NAME_MAX_BYTES) throw PackageNameInvalid({ name, bytes });
  const ext = path.extname(name).toLowerCase();
  if (ext !== '.zip' && !isTabular(name)) throw PackageFormatUnsupported({ name });
}
