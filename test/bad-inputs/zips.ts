/**
 * Hostile and broken zips, written byte by byte (test/support/raw-zip.ts): packages of CSVs and
 * workbooks, and zips of scanned pages. Bombs, names that climb out, links and special files,
 * the same name twice, encryption, lying sizes and checksums, cut or damaged structure.
 */
import zlib from 'node:zlib';
import { rawZip, type RawEntry } from '../support/raw-zip';
import type { BaseFiles } from './base-files';
import type { BadFile, Category, FileTarget } from './corpus-types';

/** A page of the birth register's first book as the naming rule names it (`<TYPE>.<YEAR>.<BOOK>.<NUMBER>.pdf`). */
export const PAGE_NAME = 'KS.2009.01.1.pdf';
const MEMBER = '01-c06-KS.csv';

interface Flavour {
  target: FileTarget;
  /** The entry every zip of this flavour is about: a CSV of the package, or a page. */
  name: string;
  data: Buffer;
  zipName: string;
}

const flavours = (base: BaseFiles): Flavour[] => [
  { target: 'package', name: MEMBER, data: base.ksCsv, zipName: '01-c06.zip' },
  { target: 'scans', name: PAGE_NAME, data: base.pdf, zipName: 'KS.2009.01.zip' },
];

/** `count` entries sharing one deflated body of `size` zero bytes (central records all pointing at the same local header: a non-recursive bomb). */
function overlappingBomb(name: (i: number) => string, size: number, count: number): Buffer {
  const body = zlib.deflateRawSync(Buffer.alloc(size), { level: 9 });
  const crc = zlib.crc32(Buffer.alloc(size));
  const fileName = Buffer.from(name(0));
  const local = Buffer.alloc(30);
  local.writeUInt32LE(0x04034b50, 0);
  local.writeUInt16LE(20, 4);
  local.writeUInt16LE(0x800, 6);
  local.writeUInt16LE(8, 8);
  local.writeUInt32LE(crc >>> 0, 14);
  local.writeUInt32LE(body.length, 18);
  local.writeUInt32LE(size, 22);
  local.writeUInt16LE(fileName.length, 26);
  const head = Buffer.concat([local, fileName, body]);
  const centrals = Array.from({ length: count }, (_, i) => {
    const n = Buffer.from(name(i));
    const c = Buffer.alloc(46);
    c.writeUInt32LE(0x02014b50, 0);
    c.writeUInt16LE((3 << 8) | 20, 4);
    c.writeUInt16LE(20, 6);
    c.writeUInt16LE(0x800, 8);
    c.writeUInt16LE(8, 10);
    c.writeUInt32LE(crc >>> 0, 16);
    c.writeUInt32LE(body.length, 20);
    c.writeUInt32LE(size, 24);
    c.writeUInt16LE(n.length, 28);
    c.writeUInt32LE((0o100644 << 16) >>> 0, 38);
    c.writeUInt32LE(0, 42);
    return Buffer.concat([c, n]);
  });
  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(count, 8);
  end.writeUInt16LE(count, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(head.length, 16);
  return Buffer.concat([head, directory, end]);
}

/** The end-of-central-directory record of a zip, to make it lie. */
function withEnd(zip: Buffer, edit: (end: Buffer) => void): Buffer {
  const out = Buffer.from(zip);
  edit(out.subarray(out.length - 22));
  return out;
}

function zipsOf(f: Flavour): BadFile[] {
  const z = (id: string, category: Category, bytes: Buffer) => ({ kind: 'file' as const, id: `${f.target}-zip/${id}`, category, targets: [f.target], fileName: f.zipName, bytes });
  const one = (entry: Partial<RawEntry>) => rawZip([{ name: f.name, data: f.data, deflate: true, ...entry }]);
  const ext = f.name.slice(f.name.lastIndexOf('.'));
  const stem = f.name.slice(0, -ext.length);
  const named = (...names: Array<string | Buffer>) => rawZip(names.map((name) => ({ name, data: f.data, deflate: true })));
  const good = one({});
  // 64 MiB of zeros deflate to about 64 KiB: an entry a thousand times its size.
  const zeros = Buffer.alloc(64 << 20);
  return [
    z('bomb-entry-ratio', 'zip-bomb', rawZip([{ name: f.name, data: zeros, deflate: true }])),
    z('bomb-csv-text', 'zip-bomb', rawZip([{ name: `${stem}-2${ext}`, data: Buffer.alloc(64 << 20, f.target === 'package' ? 'Nguyễn Văn An,' : '%PDF-1.4 '), deflate: true }])),
    z('bomb-overlapping-entries', 'zip-bomb', overlappingBomb((i) => `${stem}-${i}${ext}`, 8 << 20, 256)),
    z('bomb-many-entries', 'zip-bomb', rawZip(Array.from({ length: 20000 }, (_, i) => ({ name: `${stem}-${i}${ext}`, data: Buffer.alloc(0) })))),
    z('bomb-nested-zip', 'zip-bomb', rawZip([{ name: 'lồng.zip', data: rawZip([{ name: f.name, data: zeros, deflate: true }]), deflate: true }])),
    z('bomb-declared-small', 'zip-bomb', one({ data: zeros, declaredSize: 1000 })),
    z('path-parent', 'zip-path', named(`../${f.name}`)),
    z('path-parent-deep', 'zip-path', named(`a/../../../../etc/${f.name}`)),
    z('path-absolute', 'zip-path', named(`/tmp/${f.name}`)),
    z('path-drive-letter', 'zip-path', named(`C:/Windows/${f.name}`)),
    z('path-backslash-parent', 'zip-path', named(`..\\..\\${f.name}`)),
    z('path-unc', 'zip-path', named(`\\\\máy-chủ\\chia-sẻ\\${f.name}`)),
    z('path-dots-spaces', 'zip-path', named(`.. /${f.name}`)),
    z('path-nul', 'zip-path', named(Buffer.from(`${f.name}\0.txt`))),
    z('link-to-passwd', 'zip-link', rawZip([{ name: f.name, data: Buffer.from('/etc/passwd'), unixMode: 0o120777 }])),
    z('link-relative', 'zip-link', rawZip([{ name: f.name, data: Buffer.from('../../../../etc/shadow'), unixMode: 0o120777 }])),
    z('fifo', 'zip-link', rawZip([{ name: f.name, data: Buffer.alloc(0), unixMode: 0o010644 }])),
    z('block-device', 'zip-link', rawZip([{ name: f.name, data: Buffer.alloc(0), unixMode: 0o060644 }])),
    z('directory-named-as-file', 'zip-link', rawZip([{ name: `${f.name}/`, data: Buffer.alloc(0), unixMode: 0o040755 }])),
    z('duplicate-name', 'zip-duplicate', named(f.name, f.name)),
    z('duplicate-case', 'zip-duplicate', named(f.name, f.name.toLowerCase())),
    z('duplicate-dot-slash', 'zip-duplicate', named(f.name, `./${f.name}`)),
    z('duplicate-different-content', 'zip-duplicate', rawZip([{ name: f.name, data: f.data, deflate: true }, { name: f.name, data: Buffer.from('khác'), deflate: true }])),
    z('duplicate-nfc-nfd', 'zip-duplicate', named(`Sổ ${f.name}`.normalize('NFC'), `Sổ ${f.name}`.normalize('NFD'))),
    z('encrypted-entry', 'encrypted', one({ flags: 0x801 })),
    z('encrypted-aes', 'encrypted', one({ method: 99, extra: Buffer.from('0199070002004145030800', 'hex') })),
    z('method-lzma', 'damaged', one({ method: 14 })),
    z('crc-wrong', 'damaged', one({ declaredCrc: 0xdeadbeef })),
    z('size-larger-than-data', 'damaged', one({ declaredSize: f.data.length + 1000 })),
    z('truncated-half', 'truncated', good.subarray(0, good.length >> 1)),
    z('truncated-no-directory', 'truncated', good.subarray(0, good.length - 22 - 46 - Buffer.byteLength(f.name))),
    z('truncated-end-record', 'truncated', good.subarray(0, good.length - 10)),
    z('end-count-lies', 'damaged', withEnd(good, (e) => (e.writeUInt16LE(500, 8), e.writeUInt16LE(500, 10)))),
    z('end-offset-lies', 'damaged', withEnd(good, (e) => e.writeUInt32LE(0x7fffffff, 16))),
    z('end-comment-lies', 'damaged', withEnd(good, (e) => e.writeUInt16LE(0xffff, 20))),
    z('multi-disk', 'damaged', withEnd(good, (e) => (e.writeUInt16LE(3, 4), e.writeUInt16LE(3, 6)))),
    z('only-end-record', 'truncated', rawZip([])),
    z('only-directories', 'damaged', rawZip([{ name: 'sổ/', data: Buffer.alloc(0), unixMode: 0o040755 }, { name: 'sổ/2009/', data: Buffer.alloc(0), unixMode: 0o040755 }])),
    z('nothing-to-read', 'mislabelled', rawZip([{ name: 'ghi chú.txt', data: Buffer.from('Biên bản bàn giao'), deflate: true }])),
    z('prepended-garbage', 'damaged', Buffer.concat([Buffer.from('MZ'), Buffer.alloc(4096, 0x90), good])),
    z('not-a-zip', 'mislabelled', f.data),
  ];
}

export function zipInputs(base: BaseFiles): BadFile[] {
  return flavours(base).flatMap(zipsOf);
}
