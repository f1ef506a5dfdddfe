/**
 * A zip written to a file as its entries come, one after another: streamed entries (their
 * size unknown until they end, so followed by a data descriptor) and small entries given
 * whole. It lays entries out byte for byte as yazl 3 does, which it replaced in the streaming
 * .xlsx writer: yazl computes each entry's CRC-32 in JavaScript and passes every chunk through
 * five streams, which cost the split more than its whole row processing. Here the CRC is
 * zlib's, and deflating runs on libuv's thread pool while rows are being made.
 */
import { once } from 'node:events';
import fs from 'node:fs';
import { promisify } from 'node:util';
import { PassThrough, type Transform } from 'node:stream';
import zlib from 'node:zlib';

export interface ZipEntryOptions {
  mtime: Date;
  /** zlib level; 0 stores. */
  level: number;
  /** A streamed entry: how many bytes written but not yet deflated `drain` lets wait (default 16 KB). */
  queuedBytes?: number;
}

interface Entry {
  name: Buffer;
  mtime: Date;
  level: number;
  /** Written before the size is known: sizes and CRC follow the data in a data descriptor. */
  streamed: boolean;
  crc32: number;
  size: number;
  compressedSize: number;
  offset: number;
}

const deflateRaw = promisify(zlib.deflateRaw);

const UTF8_NAME = 1 << 11;
const DATA_DESCRIPTOR_FOLLOWS = 1 << 3;
const VERSION_NEEDED = 20;
const VERSION_NEEDED_ZIP64 = 45;
/** Unix, specification 6.3. */
const VERSION_MADE_BY = (3 << 8) | 63;
/** A regular file, rw-rw-r--. */
const EXTERNAL_ATTRIBUTES = (0o100664 << 16) >>> 0;
const ZIP64_LIMIT = 0xfffffffe;

function writeUInt64LE(buffer: Buffer, n: number, offset: number): void {
  buffer.writeUInt32LE(n % 0x100000000, offset);
  buffer.writeUInt32LE(Math.floor(n / 0x100000000), offset + 4);
}

/** MS-DOS date and time, in the local time zone as zip tools read them. */
function dosDateTime(d: Date): { date: number; time: number } {
  const min = new Date(1980, 0, 1);
  const max = new Date(2107, 11, 31, 23, 59, 58);
  const t = d < min ? min : d > max ? max : d;
  return {
    date: (t.getDate() & 0x1f) | (((t.getMonth() + 1) & 0xf) << 5) | (((t.getFullYear() - 1980) & 0x7f) << 9),
    time: Math.floor(t.getSeconds() / 2) | ((t.getMinutes() & 0x3f) << 5) | ((t.getHours() & 0x1f) << 11),
  };
}

const usesZip64 = (e: Entry) => e.size > ZIP64_LIMIT || e.compressedSize > ZIP64_LIMIT || e.offset > ZIP64_LIMIT;

function localHeader(e: Entry): Buffer {
  const b = Buffer.alloc(30 + e.name.length);
  const { date, time } = dosDateTime(e.mtime);
  b.writeUInt32LE(0x04034b50, 0);
  b.writeUInt16LE(VERSION_NEEDED, 4);
  b.writeUInt16LE(UTF8_NAME | (e.streamed ? DATA_DESCRIPTOR_FOLLOWS : 0), 6);
  b.writeUInt16LE(e.level === 0 ? 0 : 8, 8);
  b.writeUInt16LE(time, 10);
  b.writeUInt16LE(date, 12);
  if (!e.streamed) {
    b.writeUInt32LE(e.crc32, 14);
    b.writeUInt32LE(e.compressedSize, 18);
    b.writeUInt32LE(e.size, 22);
  }
  b.writeUInt16LE(e.name.length, 26);
  e.name.copy(b, 30);
  return b;
}

function dataDescriptor(e: Entry): Buffer {
  const zip64 = usesZip64(e);
  const b = Buffer.alloc(zip64 ? 24 : 16);
  b.writeUInt32LE(0x08074b50, 0);
  b.writeUInt32LE(e.crc32, 4);
  if (zip64) {
    writeUInt64LE(b, e.compressedSize, 8);
    writeUInt64LE(b, e.size, 16);
  } else {
    b.writeUInt32LE(e.compressedSize, 8);
    b.writeUInt32LE(e.size, 12);
  }
  return b;
}

function centralRecord(e: Entry): Buffer {
  const zip64 = usesZip64(e);
  const extra = 9 + (zip64 ? 28 : 0);
  const b = Buffer.alloc(46 + e.name.length + extra);
  const { date, time } = dosDateTime(e.mtime);
  b.writeUInt32LE(0x02014b50, 0);
  b.writeUInt16LE(VERSION_MADE_BY, 4);
  b.writeUInt16LE(zip64 ? VERSION_NEEDED_ZIP64 : VERSION_NEEDED, 6);
  b.writeUInt16LE(UTF8_NAME | (e.streamed ? DATA_DESCRIPTOR_FOLLOWS : 0), 8);
  b.writeUInt16LE(e.level === 0 ? 0 : 8, 10);
  b.writeUInt16LE(time, 12);
  b.writeUInt16LE(date, 14);
  b.writeUInt32LE(e.crc32, 16);
  b.writeUInt32LE(zip64 ? 0xffffffff : e.compressedSize, 20);
  b.writeUInt32LE(zip64 ? 0xffffffff : e.size, 24);
  b.writeUInt16LE(e.name.length, 28);
  b.writeUInt16LE(extra, 30);
  b.writeUInt32LE(EXTERNAL_ATTRIBUTES, 38);
  b.writeUInt32LE(zip64 ? 0xffffffff : e.offset, 42);
  let p = e.name.copy(b, 46) + 46;
  // Info-ZIP's universal timestamp: modification time (and the access-time flag, as Info-ZIP sets it).
  b.writeUInt16LE(0x5455, p);
  b.writeUInt16LE(5, p + 2);
  b.writeUInt8(0b11, p + 4);
  b.writeInt32LE(Math.max(-0x80000000, Math.min(0x7fffffff, Math.floor(e.mtime.getTime() / 1000))), p + 5);
  p += 9;
  if (zip64) {
    b.writeUInt16LE(0x0001, p);
    b.writeUInt16LE(24, p + 2);
    writeUInt64LE(b, e.size, p + 4);
    writeUInt64LE(b, e.compressedSize, p + 12);
    writeUInt64LE(b, e.offset, p + 20);
  }
  return b;
}

export class StreamingZipWriter {
  private readonly out: fs.WriteStream;
  private readonly closed: Promise<void>;
  private readonly entries: Entry[] = [];
  private cursor = 0;
  /** Entries are written in turn: each waits for the one before to be written out. */
  private turn: Promise<void> = Promise.resolve();
  private failure: unknown;
  private current: { entry: Entry; data: Transform } | undefined;

  constructor(file: string) {
    this.out = fs.createWriteStream(file);
    this.closed = new Promise((resolve, reject) => {
      this.out.once('close', resolve);
      this.out.once('error', reject);
    });
    this.closed.catch((e: unknown) => this.fail(e));
  }

  private newEntry(name: string, options: ZipEntryOptions, streamed: boolean): Entry {
    const entry = { name: Buffer.from(name, 'utf8'), mtime: options.mtime, level: options.level, streamed, crc32: 0, size: 0, compressedSize: 0, offset: 0 };
    this.entries.push(entry);
    return entry;
  }

  private inTurn(task: () => Promise<void>): void {
    this.turn = this.turn.then(() => (this.failure === undefined ? task() : undefined)).catch((e: unknown) => this.fail(e));
  }

  /** Keeps the first failure for drain() or close() to throw, and stops what waits on the current entry. */
  private fail(e: unknown): void {
    this.failure ??= e;
    this.current?.data.destroy(e instanceof Error ? e : new Error(String(e)));
  }

  private async output(bytes: Buffer): Promise<void> {
    this.cursor += bytes.length;
    // A file that failed never drains: its failure ends the wait.
    if (!this.out.write(bytes)) await Promise.race([once(this.out, 'drain'), this.closed]);
  }

  /** Starts a streamed entry, ending the one before; its data comes through `write`. */
  beginEntry(name: string, options: ZipEntryOptions): void {
    this.endEntry();
    const entry = this.newEntry(name, options, true);
    const queue = { writableHighWaterMark: options.queuedBytes ?? 16 << 10 };
    const data: Transform = options.level === 0 ? new PassThrough(queue) : zlib.createDeflateRaw({ level: options.level, ...queue });
    // Its errors reach the entry's turn, or drain(); none may go unheard.
    data.on('error', () => undefined);
    this.current = { entry, data };
    this.inTurn(async () => {
      entry.offset = this.cursor;
      await this.output(localHeader(entry));
      for await (const chunk of data) {
        entry.compressedSize += (chunk as Buffer).length;
        await this.output(chunk as Buffer);
      }
      await this.output(dataDescriptor(entry));
    });
  }

  write(bytes: Buffer): void {
    const { entry, data } = this.current!;
    entry.crc32 = zlib.crc32(bytes, entry.crc32);
    entry.size += bytes.length;
    data.write(bytes);
  }

  /** Resolves when the current entry can take more data. */
  async drain(): Promise<void> {
    const data = this.current?.data;
    if (this.failure === undefined && data?.writableNeedDrain) await once(data, 'drain');
    if (this.failure !== undefined) throw this.failure;
  }

  private endEntry(): void {
    this.current?.data.end();
    this.current = undefined;
  }

  /** A whole entry at once, its size and CRC in its local header. */
  addBuffer(name: string, bytes: Buffer, options: ZipEntryOptions): void {
    this.endEntry();
    const entry = this.newEntry(name, options, false);
    entry.crc32 = zlib.crc32(bytes);
    entry.size = bytes.length;
    const compressed = options.level === 0 ? Promise.resolve(bytes) : deflateRaw(bytes, { level: options.level });
    this.inTurn(async () => {
      const data = await compressed;
      entry.compressedSize = data.length;
      entry.offset = this.cursor;
      await this.output(localHeader(entry));
      await this.output(data);
    });
  }

  /** Ends the last entry, writes the central directory and closes the file. */
  async close(): Promise<void> {
    this.endEntry();
    this.inTurn(async () => {
      const start = this.cursor;
      for (const e of this.entries) await this.output(centralRecord(e));
      await this.output(this.endOfCentralDirectory(start));
      this.out.end();
    });
    await this.turn;
    if (this.failure === undefined) await this.closed;
    if (this.failure !== undefined) {
      this.out.destroy();
      throw this.failure;
    }
  }

  private endOfCentralDirectory(start: number): Buffer {
    const count = this.entries.length;
    const size = this.cursor - start;
    const zip64 = count >= 0xffff || size >= 0xffffffff || start >= 0xffffffff;
    const end = Buffer.alloc(22);
    end.writeUInt32LE(0x06054b50, 0);
    end.writeUInt16LE(Math.min(count, 0xffff), 8);
    end.writeUInt16LE(Math.min(count, 0xffff), 10);
    end.writeUInt32LE(size >= 0xffffffff ? 0xffffffff : size, 12);
    end.writeUInt32LE(start >= 0xffffffff ? 0xffffffff : start, 16);
    if (!zip64) return end;
    const record = Buffer.alloc(56);
    record.writeUInt32LE(0x06064b50, 0);
    writeUInt64LE(record, 44, 4);
    record.writeUInt16LE(VERSION_MADE_BY, 12);
    record.writeUInt16LE(VERSION_NEEDED_ZIP64, 14);
    writeUInt64LE(record, count, 24);
    writeUInt64LE(record, count, 32);
    writeUInt64LE(record, size, 40);
    writeUInt64LE(record, start, 48);
    const locator = Buffer.alloc(20);
    locator.writeUInt32LE(0x07064b50, 0);
    writeUInt64LE(locator, this.cursor, 8);
    locator.writeUInt32LE(1, 16);
    return Buffer.concat([record, locator, end]);
  }
}
