/**
 * A small in-memory zip writer for files that are already compressed (PDFs) or small, with
 * control a general-purpose library does not give: entry names as raw bytes with or without
 * the UTF-8 flag (zips made on Windows in CP437 or Windows-1258), and fixed timestamps, so the
 * same entries always give the same bytes. Not zip64: one zip stays under 4 GiB and 65,535
 * entries (beyond, it refuses).
 */
import zlib from 'node:zlib';

export interface ZipEntryInput {
  /** A name in UTF-8 (flagged as such), or the raw bytes of a name in a legacy code page (not flagged). */
  name: string | Uint8Array;
  data: Uint8Array;
  /** Deflate the data (default: store, as for PDFs). */
  deflate?: boolean;
}

const LOCAL_HEADER = 0x04034b50;
const CENTRAL_HEADER = 0x02014b50;
const END_OF_CENTRAL = 0x06054b50;
const FLAG_UTF8 = 0x0800;
/** 2000-01-01 00:00 in MS-DOS date and time. */
const DOS_TIME = 0;
const DOS_DATE = ((2000 - 1980) << 9) | (1 << 5) | 1;

/** Where a zip holds more than the format without zip64 can say: entries beyond 65,535, offsets beyond 4 GiB. */
const MAX_ENTRIES = 0xffff;
const MAX_OFFSET = 0xffffffff;

/** One entry as it lies in a zip whose bytes so far are `offset` long: its local header, name and data, and its central directory record. */
export function zipEntryRecords(entry: ZipEntryInput, offset: number): { local: Buffer[]; localSize: number; central: Buffer[] } {
  const utf8 = typeof entry.name === 'string';
  const name = utf8 ? Buffer.from(entry.name as string, 'utf8') : Buffer.from(entry.name as Uint8Array);
  const body = entry.deflate ? zlib.deflateRawSync(entry.data) : Buffer.from(entry.data.buffer, entry.data.byteOffset, entry.data.byteLength);
  const crc = zlib.crc32(entry.data);
  const flags = utf8 ? FLAG_UTF8 : 0;
  const method = entry.deflate ? 8 : 0;
  // Both headers carry the same run of fields from "version needed" to the name's length.
  const fields = Buffer.alloc(24);
  fields.writeUInt16LE(20, 0);
  fields.writeUInt16LE(flags, 2);
  fields.writeUInt16LE(method, 4);
  fields.writeUInt16LE(DOS_TIME, 6);
  fields.writeUInt16LE(DOS_DATE, 8);
  fields.writeUInt32LE(crc, 10);
  fields.writeUInt32LE(body.length, 14);
  fields.writeUInt32LE(entry.data.length, 18);
  fields.writeUInt16LE(name.length, 22);
  const local = Buffer.alloc(30);
  local.writeUInt32LE(LOCAL_HEADER, 0);
  fields.copy(local, 4);
  const header = Buffer.alloc(46);
  header.writeUInt32LE(CENTRAL_HEADER, 0);
  header.writeUInt16LE(20, 4);
  fields.copy(header, 6);
  if (offset > MAX_OFFSET) throw new RangeError(`zip entry at offset ${offset}: past 4 GiB, which needs zip64`);
  header.writeUInt32LE(offset, 42);
  return { local: [local, name, body], localSize: local.length + name.length + body.length, central: [header, name] };
}

/** The end of central directory record of a zip of `count` entries. */
export function zipEndRecord(count: number, centralSize: number, centralOffset: number): Buffer {
  if (count > MAX_ENTRIES || centralOffset + centralSize > MAX_OFFSET) throw new RangeError(`a zip of ${count} entries and ${centralOffset + centralSize} bytes needs zip64`);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(END_OF_CENTRAL, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(centralSize, 12);
  end.writeUInt32LE(centralOffset, 16);
  return end;
}

export function writeZip(entries: readonly ZipEntryInput[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const entry of entries) {
    const records = zipEntryRecords(entry, offset);
    parts.push(...records.local);
    central.push(...records.central);
    offset += records.localSize;
  }
  const centralBytes = Buffer.concat(central);
  return Buffer.concat([...parts, centralBytes, zipEndRecord(entries.length, centralBytes.length, offset)]);
}
