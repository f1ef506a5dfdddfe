/**
 * Reads an uploaded zip entry by entry, as streams, without trusting it. Memory stays flat
 * whatever the zip's size: entries are visited one at a time (yauzl with lazyEntries) and each
 * is streamed in chunks, never held whole.
 *
 * What a zip made by a person (or an attacker) can do, and what happens:
 * - whole-zip problems fail with a coded AppError: larger than allowed (refused before
 *   reading), truncated or corrupt structure, an unsupported format (split archive, strong
 *   encryption), expanding beyond the total allowed (counted on the bytes actually inflated);
 * - per-entry problems yield a rejection and reading goes on: unsafe paths (`../`, absolute,
 *   drive letters), symbolic links and other special files, encrypted entries, unknown
 *   compression, duplicate names, an expansion ratio of a zip bomb, data that fails its CRC-32
 *   or its declared size.
 * Names are decoded from their bytes (UTF-8, Windows-1258 or CP437: domain/naming) rather than
 * by yauzl, which knows only CP437 and UTF-8.
 */
import fs from 'node:fs';
import { Readable, Transform } from 'node:stream';
import zlib from 'node:zlib';
import { isNativeError } from 'node:util/types';
import yauzl from 'yauzl';
import { defineError } from '../../domain/errors';
import { decodeZipEntryName, type ZipNameEncoding } from '../../domain/naming/zip-entry-name';
import { sizeVi } from '../../domain/text/byte-size';
import { Rejection } from '../rejection';
import { fileKind, identityOf, isUnsafePath } from './member-rules';

export interface ZipLimits {
  /** Size of the zip file itself. */
  maxZipBytes: number;
  /** Bytes all entries may inflate to together. */
  maxExpandedBytes: number;
  /** How many times its compressed size one entry may inflate to. */
  maxEntryRatio: number;
}

export interface ZipEntryInfo {
  /** Position among the zip's entries, from 0. */
  index: number;
  /** Decoded, NFC, with `/` between folders. */
  name: string;
  encoding: ZipNameEncoding | 'utf8-extra-field';
  compressedSize: number;
  /** As the zip declares it; the reader holds the entry to it. */
  size: number;
}

export type ZipItem =
  | {
      kind: 'file';
      entry: ZipEntryInfo;
      /**
       * The entry's bytes. Read it (or leave it) before asking for the next item. A problem of
       * this entry's data destroys it with a Rejection; a problem of the whole zip with an AppError.
       */
      stream: Readable;
    }
  | { kind: 'rejected'; entry: ZipEntryInfo; reason: ZipRejectionCode; messageVi: string };

export type ZipRejectionCode =
  | 'ZIP_UNSAFE_PATH'
  | 'ZIP_SYMLINK'
  | 'ZIP_SPECIAL_FILE'
  | 'ZIP_ENCRYPTED'
  | 'ZIP_UNSUPPORTED_METHOD'
  | 'ZIP_DUPLICATE_NAME'
  | 'ZIP_RATIO_EXCEEDED'
  | 'ZIP_ENTRY_CORRUPT';

const REJECTION_VI: Record<ZipRejectionCode, string> = {
  ZIP_UNSAFE_PATH: 'Tên tệp trong tệp nén chứa đường dẫn không an toàn (đường dẫn tuyệt đối, tên ổ đĩa hoặc "..") nên không được nhận.',
  ZIP_SYMLINK: 'Mục này là liên kết tượng trưng (symbolic link), không phải tệp, nên không được nhận.',
  ZIP_SPECIAL_FILE: 'Mục này không phải tệp thông thường nên không được nhận.',
  ZIP_ENCRYPTED: 'Tệp được đặt mật khẩu (mã hoá) nên không đọc được; hãy nén lại mà không đặt mật khẩu.',
  ZIP_UNSUPPORTED_METHOD: 'Tệp được nén bằng phương pháp không hỗ trợ; hãy nén lại theo định dạng .zip thông thường.',
  ZIP_DUPLICATE_NAME: 'Tệp nén có nhiều tệp trùng tên này; chỉ tệp đầu tiên được nhận.',
  ZIP_RATIO_EXCEEDED: 'Tệp giải nén ra lớn bất thường so với dung lượng nén (nghi là "bom nén") nên không được nhận.',
  ZIP_ENTRY_CORRUPT: 'Tệp bị hỏng trong tệp nén (dữ liệu không khớp với mã kiểm tra); hãy nén lại từ tệp gốc.',
};

function zipRejection(code: ZipRejectionCode): Rejection {
  return new Rejection(code, REJECTION_VI[code]);
}

export const ZipTooLarge = defineError<{ name: string; size: number; max: number }>(
  'ZIP_TOO_LARGE',
  'validation',
  (p) => `zip of ${p.size} bytes exceeds the limit of ${p.max}`,
  (p) => `Tệp nén "${p.name}" có dung lượng ${sizeVi(p.size)}, vượt quá giới hạn ${sizeVi(p.max)}; hãy chia thành nhiều tệp nén nhỏ hơn (ví dụ mỗi quyển sổ một tệp).`,
);

export const ZipCorrupt = defineError<{ name: string }>(
  'ZIP_CORRUPT',
  'validation',
  () => `zip structure unreadable (truncated or corrupt central directory)`,
  (p) => `Tệp nén "${p.name}" bị hỏng hoặc không đầy đủ (có thể chưa tải lên hết); hãy nén lại hoặc tải lên lại.`,
);

export const ZipUnsupported = defineError<{ name: string; feature: string }>(
  'ZIP_UNSUPPORTED',
  'validation',
  (p) => `zip uses an unsupported feature: ${p.feature}`,
  (p) => `Tệp nén "${p.name}" dùng định dạng không hỗ trợ (${p.feature}); hãy nén lại thành một tệp .zip thông thường, không đặt mật khẩu.`,
);

export const ZipExpandsTooMuch = defineError<{ name: string; max: number }>(
  'ZIP_EXPANDS_TOO_MUCH',
  'validation',
  (p) => `zip expands beyond the limit of ${p.max} bytes`,
  (p) => `Tệp nén "${p.name}" khi giải nén vượt quá giới hạn ${sizeVi(p.max)}; hãy chia thành nhiều tệp nén nhỏ hơn.`,
);

/**
 * Entries may inflate past the ratio by this much: a blank page or a small text file
 * legitimately compresses that well, and so little cannot exhaust anything; beyond it, the
 * total limit still holds.
 */
const RATIO_ALLOWANCE = 1 << 20;
/** Large reads: one system call and one pass down the stream chain per MiB, not per 64 KiB. */
const READ_CHUNK = 1 << 20;
const READ_WINDOW = 1 << 20;

const UTF8_FLAG = 0x800;
const ENCRYPTED_FLAG = 0x1;
const UNICODE_PATH_FIELD = 0x7075;

/**
 * yauzl's reads, served from read-ahead windows of the file (one kept for the central
 * directory, one for the entries' data): a zip of 100 kB scans then costs one system call per
 * MiB instead of five or six per entry (two header reads, an open, a read and a close), which
 * on our machines cost more than hashing the page. Windows are never overwritten, so entry
 * data goes downstream as views of them, without copies; a window lives as long as a view.
 */
class FileReader extends yauzl.RandomAccessReader {
  private windows: Array<{ start: number; bytes: Buffer }> = [];
  private pending = 0;
  private onIdle: (() => void) | undefined;

  constructor(
    private readonly fd: number,
    private readonly size: number,
  ) {
    super();
  }

  /** Up to `length` bytes at `position`: all of them unless the file ends, or, when `partial`, what one window holds. */
  private async view(position: number, length: number, partial: boolean): Promise<Buffer> {
    const hit = this.windows.find((w) => position >= w.start && position < w.start + w.bytes.length && (partial || position + length <= w.start + w.bytes.length));
    if (hit) return hit.bytes.subarray(position - hit.start, position - hit.start + length);
    const bytes = Buffer.allocUnsafeSlow(Math.max(0, Math.min(Math.max(length, READ_WINDOW), this.size - position)));
    this.pending++;
    const read = await new Promise<number>((resolve, reject) => fs.read(this.fd, bytes, 0, bytes.length, position, (e, n) => (e ? reject(e) : resolve(n)))).finally(() => {
      if (--this.pending === 0) this.onIdle?.();
    });
    const window = { start: position, bytes: bytes.subarray(0, read) };
    this.windows = [window, ...this.windows.slice(0, 1)];
    return window.bytes.subarray(0, length);
  }

  override read(buffer: Buffer, offset: number, length: number, position: number, callback: (err: Error | null) => void): void {
    // yauzl reads the count of bytes read as a second argument (its types omit it).
    const done = callback as (err: Error | null, bytesRead?: number) => void;
    this.view(position, length, false).then(
      (v) => done(null, v.copy(buffer, offset)),
      (e: Error) => done(e),
    );
  }

  override _readStreamForRange(start: number, end: number): Readable {
    let position = start;
    const view = (p: number, n: number) => this.view(p, n, true);
    return new Readable({
      highWaterMark: READ_CHUNK,
      read() {
        if (position >= end) return void this.push(null);
        view(position, Math.min(READ_CHUNK, end - position)).then(
          (v) => {
            if (v.length === 0) return void this.destroy(new Error('unexpected end of file'));
            position += v.length;
            this.push(v);
          },
          (e: Error) => this.destroy(e),
        );
      },
    });
  }

  override close(callback: (err: Error | null) => void): void {
    setImmediate(() => callback(null));
  }

  /** Resolves once no read is in flight, so the descriptor can be closed under none. */
  settled(): Promise<void> {
    return this.pending === 0 ? Promise.resolve() : new Promise((resolve) => (this.onIdle = resolve));
  }
}

/** An error yauzl raises about the structure: never an operating-system error, which has a code. */
function isStructural(e: unknown): e is Error {
  return isNativeError(e) && (e as NodeJS.ErrnoException).code === undefined;
}

function zipLevelError(e: unknown, name: string): unknown {
  if (!isStructural(e)) return e;
  if (/multi-disk/.test(e.message)) return ZipUnsupported({ name, feature: 'tệp nén chia nhiều phần' }, { cause: e });
  if (/strong encryption/.test(e.message)) return ZipUnsupported({ name, feature: 'mã hoá mạnh' }, { cause: e });
  return ZipCorrupt({ name }, { cause: e });
}

/**
 * Inflating, size and local-header errors are the entry's; zlib's carry a Z_ code, the operating system's another.
 * `isNativeError`, not `instanceof`: zlib builds its errors in Node's own realm, which a test's sandbox does not share.
 */
function entryLevelError(e: unknown): unknown {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return isNativeError(e) && (code === undefined || code.startsWith('Z_')) ? zipRejection('ZIP_ENTRY_CORRUPT') : e;
}

function nextEntry(zip: yauzl.ZipFile): Promise<yauzl.Entry | undefined> {
  return new Promise((resolve, reject) => {
    const onEntry = (e: yauzl.Entry) => settle(() => resolve(e));
    const onEnd = () => settle(() => resolve(undefined));
    const onError = (e: unknown) => settle(() => reject(e));
    const settle = (f: () => void) => {
      zip.off('entry', onEntry).off('end', onEnd).off('error', onError);
      f();
    };
    zip.on('entry', onEntry).on('end', onEnd).on('error', onError);
    zip.readEntry();
  });
}

/** C0 controls and DEL as their Unicode control pictures (U+2400–U+2421). */
const shownName = (name: string) => name.replace(/[\u0000-\u001f\u007f]/g, (c) => String.fromCharCode(c === '\u007f' ? 0x2421 : 0x2400 + c.charCodeAt(0)));

function decodeName(entry: yauzl.Entry): { name: string; encoding: ZipEntryInfo['encoding'] } {
  const raw = entry.fileNameRaw;
  // Info-ZIP's Unicode Path field (7-Zip, WinRAR) carries the UTF-8 name beside a legacy one;
  // it counts only while its CRC matches the legacy name it was written for.
  const field = entry.extraFields.find((f) => f.id === UNICODE_PATH_FIELD && f.data.length >= 6 && f.data[0] === 1);
  if (field && field.data.readUInt32LE(1) === zlib.crc32(raw)) {
    return { name: field.data.subarray(5).toString('utf8').normalize('NFC'), encoding: 'utf8-extra-field' };
  }
  return decodeZipEntryName(raw, (entry.generalPurposeBitFlag & UTF8_FLAG) !== 0);
}

/** The bytes really inflated, held to the ratio, the total and the entry's CRC-32 as they pass. */
function meter(entry: yauzl.Entry, limits: ZipLimits, expandedBefore: number, zipName: string): Transform & { bytes(): number } {
  const ratioLimit = entry.compressedSize * limits.maxEntryRatio + RATIO_ALLOWANCE;
  let bytes = 0;
  let crc = 0;
  const t = new Transform({
    readableHighWaterMark: READ_CHUNK,
    writableHighWaterMark: READ_CHUNK,
    transform(chunk: Buffer, _enc, done) {
      bytes += chunk.length;
      if (bytes > ratioLimit) return done(zipRejection('ZIP_RATIO_EXCEEDED'));
      if (expandedBefore + bytes > limits.maxExpandedBytes) return done(ZipExpandsTooMuch({ name: zipName, max: limits.maxExpandedBytes }));
      crc = zlib.crc32(chunk, crc);
      done(null, chunk);
    },
    flush(done) {
      done(crc === entry.crc32 ? null : zipRejection('ZIP_ENTRY_CORRUPT'));
    },
  });
  return Object.assign(t, { bytes: () => bytes });
}

function openEntry(zip: yauzl.ZipFile, entry: yauzl.Entry): Promise<Readable> {
  return new Promise((resolve, reject) => zip.openReadStream(entry, (err, s) => (err ? reject(entryLevelError(err)) : resolve(s))));
}

/**
 * The zip's entries in order, directories left out. `displayName` is the name the official
 * gave the zip, for messages; the file itself is usually in the content store under its hash.
 */
export async function* readZipEntries(file: string, displayName: string, limits: ZipLimits): AsyncGenerator<ZipItem> {
  const { size } = await fs.promises.stat(file);
  if (size > limits.maxZipBytes) throw ZipTooLarge({ name: displayName, size, max: limits.maxZipBytes });
  const handle = await fs.promises.open(file, 'r');
  const reader = new FileReader(handle.fd, size);
  let zip: yauzl.ZipFile | undefined;
  try {
    const opened = await yauzl
      .fromRandomAccessReaderPromise(reader, size, { lazyEntries: true, autoClose: false, decodeStrings: false, validateEntrySizes: true })
      .catch((e: unknown) => Promise.reject(zipLevelError(e, displayName)));
    zip = opened;
    const seen = new Set<string>();
    let expanded = 0;
    for (let index = 0; ; index++) {
      const entry = await nextEntry(opened).catch((e: unknown) => Promise.reject(zipLevelError(e, displayName)));
      if (!entry) return;
      const { name: decoded, encoding } = decodeName(entry);
      const name = decoded.replace(/\\/g, '/');
      const info: ZipEntryInfo = { index, name, encoding, compressedSize: entry.compressedSize, size: entry.uncompressedSize };
      // A refused entry is named as it can be shown and stored: a control character as its picture (NUL as ␀), which PostgreSQL text cannot hold.
      const reject = (reason: ZipRejectionCode): ZipItem => ({ kind: 'rejected', entry: { ...info, name: shownName(name) }, reason, messageVi: REJECTION_VI[reason] });

      if (isUnsafePath(name)) {
        yield reject('ZIP_UNSAFE_PATH');
        continue;
      }
      const kind = fileKind(entry, name);
      if (kind === 'directory') continue;
      if (kind === 'symlink' || kind === 'special') {
        yield reject(kind === 'symlink' ? 'ZIP_SYMLINK' : 'ZIP_SPECIAL_FILE');
        continue;
      }
      const identity = identityOf(name);
      if (seen.has(identity)) {
        yield reject('ZIP_DUPLICATE_NAME');
        continue;
      }
      seen.add(identity);
      if (entry.generalPurposeBitFlag & ENCRYPTED_FLAG) {
        yield reject('ZIP_ENCRYPTED');
        continue;
      }
      if (entry.compressionMethod !== 0 && entry.compressionMethod !== 8) {
        yield reject('ZIP_UNSUPPORTED_METHOD');
        continue;
      }
      // The headers' claims are checked first, so an obvious bomb is never inflated at all.
      if (entry.uncompressedSize > entry.compressedSize * limits.maxEntryRatio + RATIO_ALLOWANCE) {
        yield reject('ZIP_RATIO_EXCEEDED');
        continue;
      }
      if (expanded + entry.uncompressedSize > limits.maxExpandedBytes) throw ZipExpandsTooMuch({ name: displayName, max: limits.maxExpandedBytes });

      let source: Readable;
      try {
        source = await openEntry(opened, entry);
      } catch (e) {
        if (e instanceof Rejection) {
          yield { kind: 'rejected', entry: info, reason: e.code as ZipRejectionCode, messageVi: e.messageVi };
          continue;
        }
        throw e;
      }
      const bytes = meter(entry, limits, expanded, displayName);
      source.on('error', (e) => bytes.destroy(entryLevelError(e) as Error));
      // Whoever stops reading (a failed store, an unwanted entry) stops the zip's stream too.
      bytes.once('close', () => source.destroy());
      source.pipe(bytes);
      try {
        yield { kind: 'file', entry: info, stream: bytes };
      } finally {
        if (!bytes.closed) {
          if (!bytes.readableEnded) bytes.destroy();
          await new Promise((resolve) => bytes.once('close', resolve));
        }
        expanded += bytes.bytes();
      }
    }
  } finally {
    zip?.close();
    await reader.settled();
    await handle.close();
  }
}
