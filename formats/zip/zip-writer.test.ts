import iconv from 'iconv-lite';
import yauzl from 'yauzl';
import { writeZip } from './zip-writer';

function names(zip: Buffer): Promise<Array<{ raw: Buffer; utf8: boolean; size: number }>> {
  return new Promise((resolve, reject) => {
    yauzl.fromBuffer(zip, { lazyEntries: true, decodeStrings: false, validateEntrySizes: true }, (err, z) => {
      if (err) return reject(err);
      const out: Array<{ raw: Buffer; utf8: boolean; size: number }> = [];
      z.on('entry', (e: yauzl.Entry) => {
        out.push({ raw: e.fileName as unknown as Buffer, utf8: (e.generalPurposeBitFlag & 0x800) !== 0, size: e.uncompressedSize });
        z.readEntry();
      });
      z.on('end', () => resolve(out));
      z.on('error', reject);
      z.readEntry();
    });
  });
}

test('UTF-8 names are flagged, legacy names are raw bytes without the flag, and another reader agrees', async () => {
  const cp437 = iconv.encode('Quét 2009/KS.2009.01.1.pdf', 'cp437');
  const zip = writeZip([
    { name: 'Sổ khai sinh/KS.2009.01.2.pdf', data: Buffer.from('%PDF-1.7 a') },
    { name: cp437, data: Buffer.alloc(5000, 1), deflate: true },
  ]);
  const entries = await names(zip);
  expect(entries.map((e) => e.utf8)).toEqual([true, false]);
  expect(entries[0]!.raw.toString('utf8')).toBe('Sổ khai sinh/KS.2009.01.2.pdf');
  expect(entries[1]!.raw.equals(cp437)).toBe(true);
  expect(entries.map((e) => e.size)).toEqual([10, 5000]);
  expect(writeZip([{ name: 'a', data: Buffer.from('x') }]).equals(writeZip([{ name: 'a', data: Buffer.from('x') }]))).toBe(true);
});
