import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import yazl from 'yazl';
import yauzl from 'yauzl';
import { StreamingZipWriter } from './streaming-zip-writer';

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zip-stream-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const MTIME = new Date(Date.UTC(2025, 0, 1));
const sheet = (n: number) => Buffer.from(`<row r="${n}"><c r="A${n}" t="inlineStr"><is><t>Nguyễn Thị Ánh ${n}</t></is></c></row>`.repeat(50));

async function withYazl(file: string): Promise<void> {
  const zip = new yazl.ZipFile();
  const done = new Promise<void>((resolve) => zip.outputStream.pipe(fs.createWriteStream(file)).once('close', () => resolve()));
  for (const [name, level] of [['a.xml', 1], ['b.xml', 6], ['c.xml', 0]] as const) {
    const data = new PassThrough();
    zip.addReadStream(data, name, { mtime: MTIME, compressionLevel: level });
    for (let i = 0; i < 300; i++) data.write(sheet(i));
    data.end();
  }
  zip.addBuffer(Buffer.from('<Types/>'), '[Content_Types].xml', { mtime: MTIME, compress: true });
  zip.end();
  await done;
}

async function withOurs(file: string): Promise<void> {
  const zip = new StreamingZipWriter(file);
  for (const [name, level] of [['a.xml', 1], ['b.xml', 6], ['c.xml', 0]] as const) {
    zip.beginEntry(name, { mtime: MTIME, level });
    // Other pieces than yazl got: the bytes must not depend on how the data is cut.
    for (let i = 0; i < 300; i += 7) zip.write(Buffer.concat(Array.from({ length: Math.min(7, 300 - i) }, (_, j) => sheet(i + j))));
    await zip.drain();
  }
  zip.addBuffer('[Content_Types].xml', Buffer.from('<Types/>'), { mtime: MTIME, level: 6 });
  await zip.close();
}

test('writes the bytes yazl writes for the same entries, and they read back', async () => {
  const theirs = path.join(dir, 'yazl.zip');
  const ours = path.join(dir, 'ours.zip');
  await withYazl(theirs);
  await withOurs(ours);
  expect(fs.readFileSync(ours).equals(fs.readFileSync(theirs))).toBe(true);

  const names = await new Promise<string[]>((resolve, reject) =>
    yauzl.open(ours, { lazyEntries: false }, (err, zip) => {
      if (err) return reject(err);
      const seen: string[] = [];
      zip.on('entry', (e: yauzl.Entry) => seen.push(e.fileName));
      zip.on('end', () => resolve(seen));
    }),
  );
  expect(names).toEqual(['a.xml', 'b.xml', 'c.xml', '[Content_Types].xml']);
});

test('a failing file is reported, not swallowed', async () => {
  const zip = new StreamingZipWriter(path.join(dir, 'missing', 'x.zip'));
  zip.beginEntry('a.xml', { mtime: MTIME, level: 1 });
  zip.write(sheet(1));
  await expect(zip.close()).rejects.toMatchObject({ code: 'ENOENT' });
});
