import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import iconv from 'iconv-lite';
import yazl from 'yazl';
import { codeOf } from '../../test/support/coded-error';
import { rawZip, type RawEntry } from '../../test/support/raw-zip';
import { isRejection } from '../rejection';
import { isAppError } from '../../domain/errors';
import { readZipEntries, type ZipLimits } from './safe-zip-reader';

const LIMITS: ZipLimits = { maxZipBytes: 1 << 30, maxExpandedBytes: 1 << 30, maxEntryRatio: 100 };
let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'safe-zip-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let n = 0;
function fileOf(bytes: Buffer): string {
  const file = path.join(dir, `${n++}.zip`);
  fs.writeFileSync(file, bytes);
  return file;
}

function yazlZip(add: (z: yazl.ZipFile) => void, end: yazl.EndOptions = { forceZip64Format: false, comment: "" }): Promise<Buffer> {
  const z = new yazl.ZipFile();
  add(z);
  z.end(end);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    z.outputStream.on('data', (c: Buffer) => chunks.push(c)).on('end', () => resolve(Buffer.concat(chunks))).on('error', reject);
  });
}

type Seen = { name: string; data?: Buffer; rejected?: string; chunks?: number[] };

async function readAll(file: string, limits = LIMITS): Promise<Seen[]> {
  const seen: Seen[] = [];
  for await (const item of readZipEntries(file, 'test.zip', limits)) {
    if (item.kind === 'rejected') {
      expect(item.messageVi.normalize('NFC')).toBe(item.messageVi);
      seen.push({ name: item.entry.name, rejected: item.reason });
      continue;
    }
    const chunks: Buffer[] = [];
    try {
      for await (const c of item.stream) chunks.push(c as Buffer);
      seen.push({ name: item.entry.name, data: Buffer.concat(chunks), chunks: chunks.map((c) => c.length) });
    } catch (e) {
      if (!isRejection(e)) throw e;
      seen.push({ name: item.entry.name, rejected: e.code, chunks: chunks.map((c) => c.length) });
    }
  }
  return seen;
}

const good = (name = 'ok.pdf'): RawEntry => ({ name, data: Buffer.from('%PDF-1.4 good') });

test('stored and deflated entries stream back byte for byte; folders are left out', async () => {
  const big = randomBytes(3 << 20);
  const zip = await yazlZip((z) => {
    z.addBuffer(Buffer.from('one'), 'KS.2009.01/KS.2009.01.1.pdf', { compress: false });
    z.addEmptyDirectory('KS.2009.01/empty');
    z.addBuffer(big, 'KS.2009.01/KS.2009.01.2.pdf', { compress: true });
  });
  const seen = await readAll(fileOf(zip));
  expect(seen.map((s) => s.name)).toEqual(['KS.2009.01/KS.2009.01.1.pdf', 'KS.2009.01/KS.2009.01.2.pdf']);
  expect(seen[0]!.data!.toString()).toBe('one');
  expect(seen[1]!.data!.equals(big)).toBe(true);
});

test('a large entry passes in chunks of at most 1 MiB, never whole', async () => {
  const data = Buffer.alloc(24 << 20, 1);
  const seen = await readAll(fileOf(rawZip([{ name: 'big.pdf', data }])));
  expect(seen[0]!.data!.length).toBe(data.length);
  expect(Math.max(...seen[0]!.chunks!)).toBeLessThanOrEqual(1 << 20);
});

test('path traversal, absolute paths and drive letters are rejected; the other entries are read', async () => {
  const unsafe = ['../evil.pdf', 'scans/../../evil.pdf', '..\\evil.pdf', '/etc/cron.d/evil', '\\\\server\\share\\evil.pdf', 'C:\\Windows\\evil.pdf', 'c:evil.pdf', 'scans/.. /evil.pdf'];
  const seen = await readAll(fileOf(rawZip([...unsafe.map((name) => ({ name, data: Buffer.from('x') })), good()])));
  expect(seen.slice(0, unsafe.length).map((s) => s.rejected)).toEqual(unsafe.map(() => 'ZIP_UNSAFE_PATH'));
  expect(seen[unsafe.length]).toMatchObject({ name: 'ok.pdf', data: Buffer.from('%PDF-1.4 good') });
});

test('a name with a NUL is rejected, and named with the NUL shown as ␀ (the report of a scan import is stored, and PostgreSQL text holds no NUL)', async () => {
  const seen = await readAll(fileOf(rawZip([{ name: 'KS.2009.01.1.pdf\u0000.txt', data: Buffer.from('x') }, good()])));
  expect(seen.map((s) => [s.name, s.rejected])).toEqual([['KS.2009.01.1.pdf␀.txt', 'ZIP_UNSAFE_PATH'], ['ok.pdf', undefined]]);
});

test('symbolic links and other special files (Unix mode in the external attributes) are rejected', async () => {
  const seen = await readAll(
    fileOf(rawZip([{ name: 'link.pdf', data: Buffer.from('/etc/passwd'), unixMode: 0o120777 }, { name: 'fifo.pdf', data: Buffer.alloc(0), unixMode: 0o010644 }, good()])),
  );
  expect(seen.map((s) => s.rejected ?? 'read')).toEqual(['ZIP_SYMLINK', 'ZIP_SPECIAL_FILE', 'read']);
});

test('zip bomb: an entry whose header admits a huge expansion is rejected without being inflated', async () => {
  const zeros = Buffer.alloc(40 << 20);
  const seen = await readAll(fileOf(rawZip([{ name: 'bomb.pdf', data: zeros, deflate: true }, good()])));
  expect(seen.map((s) => s.rejected ?? 'read')).toEqual(['ZIP_RATIO_EXCEEDED', 'read']);
});

test('zip bomb: a header that lies about the size holds the bytes actually inflated to what it claimed', async () => {
  const zeros = Buffer.alloc(40 << 20);
  const seen = await readAll(fileOf(rawZip([{ name: 'liar.pdf', data: zeros, deflate: true, declaredSize: 1000 }, good()])));
  expect(seen[0]!.rejected).toBe('ZIP_ENTRY_CORRUPT');
  expect(seen[0]!.chunks!.reduce((a, b) => a + b, 0)).toBeLessThanOrEqual(1000);
  expect(seen[1]!.data).toBeDefined();
});

test('zip bomb: the total expanded size is limited across entries, as a whole-zip error', async () => {
  const part = Buffer.alloc(600 << 10, 3);
  const file = fileOf(rawZip([{ name: 'a.pdf', data: part }, { name: 'b.pdf', data: part }]));
  expect(await codeOf(readAll(file, { ...LIMITS, maxExpandedBytes: 1 << 20 }))).toBe('ZIP_EXPANDS_TOO_MUCH');
  expect(await readAll(file, { ...LIMITS, maxExpandedBytes: 2 << 20 })).toHaveLength(2);
});

test('encrypted entries (general-purpose bit 0) are rejected', async () => {
  const seen = await readAll(fileOf(rawZip([{ name: 'secret.pdf', data: Buffer.from('ciphertext'), deflate: true, flags: 0x801 }, good()])));
  expect(seen.map((s) => s.rejected ?? 'read')).toEqual(['ZIP_ENCRYPTED', 'read']);
});

test('unknown compression methods are rejected, a CRC-32 mismatch too', async () => {
  const seen = await readAll(
    fileOf(rawZip([{ name: 'bzip2.pdf', data: Buffer.from('BZh9'), method: 12 }, { name: 'flipped.pdf', data: Buffer.from('%PDF-1.4 bits'), declaredCrc: 1234 }, good()])),
  );
  expect(seen.map((s) => s.rejected ?? 'read')).toEqual(['ZIP_UNSUPPORTED_METHOD', 'ZIP_ENTRY_CORRUPT', 'read']);
});

test('zip64 archives are read', async () => {
  const zip = await yazlZip(
    (z) => {
      z.addBuffer(Buffer.from('first'), 'KS.2009.01.1.pdf', { compress: false, forceZip64Format: true });
      z.addBuffer(Buffer.alloc(100_000, 9), 'KS.2009.01.2.pdf', { compress: true, forceZip64Format: true });
    },
    { forceZip64Format: true, comment: "" },
  );
  const zip64EndRecord = Buffer.from([0x50, 0x4b, 0x06, 0x06]);
  expect(zip.includes(zip64EndRecord)).toBe(true);
  const seen = await readAll(fileOf(zip));
  expect(seen.map((s) => [s.name, s.data!.length])).toEqual([
    ['KS.2009.01.1.pdf', 5],
    ['KS.2009.01.2.pdf', 100_000],
  ]);
});

test('names without the UTF-8 flag: Windows-1258 (Vietnamese Windows) and CP437, and the Info-ZIP Unicode path', async () => {
  // "Quyển" as Vietnamese Windows writes it: ê precomposed, the hook above as a combining mark.
  const cp1258 = Buffer.concat([Buffer.from('Quy'), Buffer.from([0xea, 0xd2]), Buffer.from('n 01/KS.2009.01.125.pdf')]);
  const cp437 = iconv.encode('Báo cáo/KS.2009.01.126.pdf', 'cp437');
  const legacy = Buffer.from('So ho tich/KS.2009.01.127.pdf');
  const unicodePath = Buffer.from('Sổ hộ tịch/KS.2009.01.127.pdf', 'utf8');
  const field = Buffer.alloc(9);
  field.writeUInt16LE(0x7075, 0);
  field.writeUInt16LE(5 + unicodePath.length, 2);
  field.writeUInt8(1, 4);
  field.writeUInt32LE(zlib.crc32(legacy), 5);
  const extra = Buffer.concat([field, unicodePath]);
  const data = Buffer.from('%PDF-');
  const seen = await readAll(fileOf(rawZip([{ name: cp1258, data }, { name: cp437, data }, { name: legacy, data, extra }])));
  expect(seen.map((s) => s.name)).toEqual(['Quyển 01/KS.2009.01.125.pdf', 'Báo cáo/KS.2009.01.126.pdf', 'Sổ hộ tịch/KS.2009.01.127.pdf']);
});

test('duplicate names, after decoding, NFC, separators and case, are rejected after the first', async () => {
  const data = Buffer.from('%PDF-');
  const names = ['Quyển 1/KS.2009.01.125.pdf', 'Quye\u0302\u0309n 1/KS.2009.01.125.pdf', 'Quyển 1\\KS.2009.01.125.pdf', './quyển 1/ks.2009.01.125.PDF', 'Quyển 1/KS.2009.01.126.pdf'];
  const seen = await readAll(fileOf(rawZip(names.map((name) => ({ name, data })))));
  expect(seen.map((s) => s.rejected ?? 'read')).toEqual(['read', 'ZIP_DUPLICATE_NAME', 'ZIP_DUPLICATE_NAME', 'ZIP_DUPLICATE_NAME', 'read']);
});

test('an empty zip yields nothing', async () => {
  expect(await readAll(fileOf(await yazlZip(() => undefined)))).toEqual([]);
});

test('a truncated zip, an empty file and a corrupt central directory are whole-zip errors', async () => {
  const zip = rawZip([good('a.pdf'), good('b.pdf')]);
  expect(await codeOf(readAll(fileOf(zip.subarray(0, zip.length - 30))))).toBe('ZIP_CORRUPT');
  expect(await codeOf(readAll(fileOf(zip.subarray(0, 40))))).toBe('ZIP_CORRUPT');
  expect(await codeOf(readAll(fileOf(Buffer.alloc(0))))).toBe('ZIP_CORRUPT');
  const broken = Buffer.from(zip);
  broken.writeUInt32LE(0xdeadbeef, broken.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])));
  expect(await codeOf(readAll(fileOf(broken)))).toBe('ZIP_CORRUPT');
  expect(await readAll(fileOf(zip))).toHaveLength(2);
});

test('a zip larger than allowed is refused before anything is read', async () => {
  // Not a zip at all: reading it would fail as corrupt, so only the size check answers this way.
  const file = path.join(dir, 'huge.zip');
  fs.writeFileSync(file, '');
  fs.truncateSync(file, 3 * 1024 ** 3);
  expect(await codeOf(readAll(file, { ...LIMITS, maxZipBytes: 2 * 1024 ** 3 }))).toBe('ZIP_TOO_LARGE');
  expect(await codeOf(readAll(file, { ...LIMITS, maxZipBytes: 4 * 1024 ** 3 }))).toBe('ZIP_CORRUPT');
});

test('entries the caller leaves unread are skipped; the following ones still read', async () => {
  const file = fileOf(rawZip([{ name: 'a.pdf', data: Buffer.alloc(3 << 20, 1) }, good('b.pdf')]));
  const names: string[] = [];
  for await (const item of readZipEntries(file, 'test.zip', LIMITS)) {
    if (item.kind !== 'file') continue;
    names.push(item.entry.name);
    if (item.entry.name === 'b.pdf') expect((await item.stream.toArray()).length).toBe(1);
  }
  expect(names).toEqual(['a.pdf', 'b.pdf']);
});

test('a deflate stream that ends early is the entry\'s corruption, as zlib reports it from outside the sandbox', async () => {
  // fast-check's counterexample (seed 1132013547): the first deflate byte zeroed makes a stored block with no length.
  const zip = await yazlZip((z) => z.addBuffer(Buffer.from([0, 0]), 'ệ_--AĐạ.pdf', { compress: true }));
  zip[30 + Buffer.byteLength('ệ_--AĐạ.pdf')] = 0;
  expect(await readAll(fileOf(zip))).toEqual([{ name: 'ệ_--AĐạ.pdf', rejected: 'ZIP_ENTRY_CORRUPT', chunks: [] }]);
});

test('any names and contents written by yazl come back byte for byte; the same zip with any bytes changed or cut is read, or refused as a whole or entry by entry with a code', async () => {
  const name = fc.stringMatching(/^[a-zA-Z0-9ạệưĐ _-]{1,12}$/).map((n) => `${n}.pdf`);
  const entries = fc.uniqueArray(fc.tuple(name, fc.uint8Array({ maxLength: 200 }), fc.boolean()), { minLength: 1, maxLength: 4, selector: ([n]) => n.toLowerCase() });
  await fc.assert(
    fc.asyncProperty(entries, fc.array(fc.tuple(fc.nat(), fc.nat(255)), { maxLength: 4 }), fc.option(fc.nat(), { nil: undefined }), async (list, changes, cut) => {
      const zip = await yazlZip((z) => list.forEach(([n, data, compress]) => z.addBuffer(Buffer.from(data), n, { compress })));
      expect((await readAll(fileOf(zip))).map((e) => [e.name, e.data])).toEqual(list.map(([n, data]) => [n.normalize('NFC'), Buffer.from(data)]));
      const damaged = Buffer.from(zip);
      for (const [at, byte] of changes) damaged[at % damaged.length] = byte;
      try {
        await readAll(fileOf(cut === undefined ? damaged : damaged.subarray(0, cut % damaged.length)));
      } catch (e) {
        expect(isAppError(e)).toBe(true);
      }
    }),
    { numRuns: 60 },
  );
});
