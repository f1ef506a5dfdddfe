/**
 * Zips written byte by byte, for tests of readers that must refuse what no honest zip tool
 * writes: names with `../` or a drive letter, names in a legacy code page without the UTF-8
 * flag, symbolic links, encryption flags, sizes that lie. yazl refuses to write most of these.
 */
import zlib from 'node:zlib';

export interface RawEntry {
  /** The name's bytes as stored; a string is written as UTF-8 (with the UTF-8 flag unless `flags` says otherwise). */
  name: Buffer | string;
  data: Buffer;
  /** Deflate the data (method 8); otherwise store it (method 0). */
  deflate?: boolean;
  /** General-purpose bit flag; by default the UTF-8 flag for string names. */
  flags?: number;
  /** Unix mode for the external attributes (made by Unix); by default a regular file. */
  unixMode?: number;
  /** Uncompressed size to declare instead of the true one. */
  declaredSize?: number;
  /** CRC-32 to declare instead of the true one. */
  declaredCrc?: number;
  /** Compression method to declare instead of 0 or 8 (the data is then stored as given). */
  method?: number;
  /** Extra fields of the central record, already encoded. */
  extra?: Buffer;
}

export function rawZip(entries: readonly RawEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = typeof e.name === 'string' ? Buffer.from(e.name, 'utf8') : e.name;
    const flags = e.flags ?? (typeof e.name === 'string' ? 0x800 : 0);
    const body = e.deflate ? zlib.deflateRawSync(e.data) : e.data;
    const crc = e.declaredCrc ?? zlib.crc32(e.data);
    const size = e.declaredSize ?? e.data.length;
    const method = e.method ?? (e.deflate ? 8 : 0);
    const extra = e.extra ?? Buffer.alloc(0);

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(crc >>> 0, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    locals.push(local, name, body);

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(crc >>> 0, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(extra.length, 30);
    central.writeUInt32LE(((e.unixMode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    centrals.push(central, name, extra);
    offset += local.length + name.length + body.length;
  }
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, directory, end]);
}
