/**
 * The province the bench and the fault tests take through the steps: every record's page in its
 * unit's zip, read back by our reader (the scan import's) and pdftotext; the folder kept with its
 * manifest is used again for the same province and refused for anything else.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ScanBook } from '../../cli/gen/scan-writer';
import { readZipEntries } from '../../formats/zip/safe-zip-reader';
import { generatorVersion, reuseOrWriteProvince } from './generated-province';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'generated-province-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const opts = { provinceCode: '01', records: 1200, seed: 9 };

test('every record has its page, in a folder named for its book in its unit\'s zip, with its own bytes; the same seed gives the same zips', async () => {
  const a = await reuseOrWriteProvince(path.join(dir, 'a'), opts);
  expect(a.reused).toBe(false);
  expect(a.files.pages).toBe(opts.records);
  const books = fs.readFileSync(path.join(dir, 'a', 'expected-scans.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ScanBook);
  const expected = new Map<string, string[]>();
  for (const b of books) for (const n of b.numbers) expected.set(b.zip, [...(expected.get(b.zip) ?? []), `${b.type}.${b.year}.${b.book}/${n}`]);
  const limits = { maxZipBytes: 2 ** 31, maxExpandedBytes: 2 ** 32, maxEntryRatio: 100 };
  const contents = new Set<string>();
  let sample: Buffer | undefined;
  for (const s of a.files.scans) {
    const seen: string[] = [];
    for await (const item of readZipEntries(s.file, path.basename(s.file), limits)) {
      if (item.kind !== 'file') throw new Error(`${item.entry.name}: ${item.kind}`);
      const data = Buffer.concat(await item.stream.toArray());
      contents.add(data.toString('base64'));
      sample ??= data;
      const [folder, name] = item.entry.name.split('/');
      // The naming rule's page name: <type>.<year>.<book>.<number>.<page>.pdf
      const [type, year, book, number] = name!.split('.');
      expect(folder).toBe(`${type}.${year}.${book}`);
      seen.push(`${folder}/${number}`);
    }
    expect(seen).toEqual(expected.get(path.relative(path.join(dir, 'a'), s.file)));
    expect(seen.length).toBe(s.pages);
  }
  expect(contents.size).toBe(opts.records);
  expect(execFileSync('pdftotext', ['-', '-'], { input: sample }).toString('utf8')).toContain('SỔ ĐĂNG KÝ');

  const b = await reuseOrWriteProvince(path.join(dir, 'b'), opts);
  expect(b.files.scans.map((s) => fs.readFileSync(s.file).equals(fs.readFileSync(path.join(dir, 'a', path.relative(path.join(dir, 'b'), s.file)))))).not.toContain(false);
  expect(b.files.sha256).toBe(a.files.sha256);
}, 60_000);

test('a kept province is used again as it is; another seed or size, a changed file or a foreign folder is refused', async () => {
  const folder = path.join(dir, 'a');
  const again = await reuseOrWriteProvince(folder, opts);
  expect(again.reused).toBe(true);
  expect(again.files.pages).toBe(opts.records);
  await expect(reuseOrWriteProvince(folder, { ...opts, seed: 10 })).rejects.toThrow(/holds another generated province \(seed 9, not 10\)/);
  await expect(reuseOrWriteProvince(folder, { ...opts, records: 1300 })).rejects.toThrow(/1200 records, not 1300/);
  const manifest = JSON.parse(fs.readFileSync(path.join(folder, 'province.json'), 'utf8')) as { generator: string };
  expect(manifest.generator).toBe(generatorVersion());
  fs.writeFileSync(path.join(folder, 'province.json'), JSON.stringify({ ...manifest, generator: 'f'.repeat(64) }));
  await expect(reuseOrWriteProvince(folder, opts)).rejects.toThrow(/generator ffffffffffff, its sources changed since: now [0-9a-f]{12}\)/);
  fs.writeFileSync(path.join(folder, 'province.json'), JSON.stringify(manifest));
  fs.appendFileSync(again.files.scans[0]!.file, 'x');
  await expect(reuseOrWriteProvince(folder, opts)).rejects.toThrow(/1 file\(s\) differ from the manifest/);
  const foreign = path.join(dir, 'foreign');
  fs.mkdirSync(foreign);
  fs.writeFileSync(path.join(foreign, 'notes.txt'), 'mine');
  await expect(reuseOrWriteProvince(foreign, opts)).rejects.toThrow(/holds files but no generated province/);
  expect(fs.readFileSync(path.join(foreign, 'notes.txt'), 'utf8')).toBe('mine');
}, 60_000);
