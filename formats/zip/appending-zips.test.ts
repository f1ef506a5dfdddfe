import fc from 'fast-check';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yauzl from 'yauzl';
import { createAppendingZips } from './appending-zips';
import { readZipEntries } from './safe-zip-reader';
import { writeZip, type ZipEntryInput } from './zip-writer';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'appending-zips-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function yauzlEntries(file: string): Promise<Array<{ name: string; data: Buffer }>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, validateEntrySizes: true }, (err, z) => {
      if (err) return reject(err);
      const out: Array<{ name: string; data: Buffer }> = [];
      z.on('entry', (e: yauzl.Entry) =>
        z.openReadStream(e, (err2, s) => {
          if (err2) return reject(err2);
          const chunks: Buffer[] = [];
          s.on('data', (c: Buffer) => chunks.push(c)).on('end', () => {
            out.push({ name: e.fileName, data: Buffer.concat(chunks) });
            z.readEntry();
          });
        }),
      );
      z.on('end', () => resolve(out));
      z.on('error', reject);
      z.readEntry();
    });
  });
}

const entryArb = fc.record({
  name: fc.string({ minLength: 1, maxLength: 12, unit: fc.constantFrom(...'abcđờỹ/ ._-'.split('')) }),
  data: fc.uint8Array({ maxLength: 300 }).map((a) => Buffer.from(a)),
  deflate: fc.boolean(),
});

test('batches appended to zips in any order, more zips than files kept open, give, for each zip, the bytes of one zip of its entries in order', () => {
  let run = 0;
  fc.assert(
    fc.property(fc.array(fc.tuple(fc.integer({ min: 0, max: 19 }), fc.array(entryArb, { maxLength: 4 })), { minLength: 20, maxLength: 60 }), (batches) => {
      const files = Array.from({ length: 20 }, (_, i) => path.join(dir, `${run}-${i}.zip`));
      run++;
      const zips = createAppendingZips();
      for (const [to, entries] of batches) zips.append(files[to]!, entries);
      const closed = zips.close();
      for (const [i, file] of files.entries()) {
        const expected: ZipEntryInput[] = batches.filter(([to]) => to === i).flatMap(([, e]) => e);
        const touched = batches.some(([to]) => to === i);
        expect(fs.existsSync(file)).toBe(touched);
        expect(fs.existsSync(`${file}.central`)).toBe(false);
        if (!touched) continue;
        const bytes = fs.readFileSync(file);
        expect(bytes.equals(writeZip(expected))).toBe(true);
        expect(closed.find((c) => c.file === file)).toEqual({ file, entries: expected.length, bytes: bytes.length });
      }
    }),
    { numRuns: 40 },
  );
});

test('another reader and ours read back every entry of interleaved appends', async () => {
  const [a, b] = ['a.zip', 'b.zip'].map((f) => path.join(dir, f));
  fs.writeFileSync(a!, 'left over from an earlier run');
  const zips = createAppendingZips();
  zips.append(a!, [{ name: 'KS.2009.01/KS.2009.01.1.1.pdf', data: Buffer.from('%PDF-1 một') }]);
  zips.append(b!, [{ name: 'KT.2010.01/KT.2010.01.1.1.pdf', data: Buffer.alloc(5000, 7), deflate: true }]);
  zips.append(a!, [{ name: 'KS.2009.02/KS.2009.02.201.1.pdf', data: Buffer.from('%PDF-2 hai') }]);
  zips.close();
  expect((await yauzlEntries(a!)).map((e) => [e.name, e.data.toString('utf8')])).toEqual([
    ['KS.2009.01/KS.2009.01.1.1.pdf', '%PDF-1 một'],
    ['KS.2009.02/KS.2009.02.201.1.pdf', '%PDF-2 hai'],
  ]);
  const ours: string[] = [];
  for await (const item of readZipEntries(b!, 'b.zip', { maxZipBytes: 1 << 20, maxExpandedBytes: 1 << 20, maxEntryRatio: 1000 })) {
    if (item.kind !== 'file') throw new Error(`${item.entry.name}: ${item.kind}`);
    ours.push(`${item.entry.name} ${Buffer.concat(await item.stream.toArray()).length}`);
  }
  expect(ours).toEqual(['KT.2010.01/KT.2010.01.1.1.pdf 5000']);
});

test('a zip that would need zip64 is refused before anything is written', () => {
  const file = path.join(dir, 'many.zip');
  const zips = createAppendingZips();
  const entries = Array.from({ length: 0x10000 }, (_, i) => ({ name: `${i}`, data: Buffer.alloc(0) }));
  expect(() => zips.append(file, entries)).toThrow(/zip64/);
  expect(fs.existsSync(file)).toBe(false);
});
