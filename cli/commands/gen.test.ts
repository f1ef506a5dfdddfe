/**
 * `hotich gen` as a tester runs it: scans in one zip per unit (a folder per book, as a commune's
 * scanning contractor hands them over), read back by Python's zipfile, a reader we did not write;
 * a layout it does not know, or scan defects asked for in that layout, refused with a code.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ScanBook } from '../gen/scan-writer';
import { cliEnv, runCli } from '../../test/support/cli-process';

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cli-gen-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const gen = (out: string, ...more: string[]) => runCli(['gen', '--province', '01', '--records', '400', '--seed', '3', '--scanned-ratio', '1', '--out', out, ...more], cliEnv({ LOG_LEVEL: 'silent' }));

/** Every entry of the zip with its size, and the first entry whose CRC fails (None when none), as Python reads it. */
const PY_LIST = `import json, sys, zipfile
z = zipfile.ZipFile(sys.argv[1])
print(json.dumps({"bad": z.testzip(), "entries": [[i.filename, i.file_size] for i in z.infolist()]}))`;

test('--scan-zips unit writes one zip per unit, a folder per book holding its pages, read back by another reader', async () => {
  const out = path.join(dir, 'per-unit');
  const r = await gen(out, '--scan-zips', 'unit');
  expect(r.code).toBe(0);
  const said = /(\d+) tệp zip bản quét theo đơn vị \((\d+) sổ, (\d+) trang\)/.exec(r.stdout);
  expect(said).not.toBeNull();
  const [units, books, pages] = said!.slice(1).map(Number) as [number, number, number];

  const expected = fs.readFileSync(path.join(out, 'expected-scans.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ScanBook);
  expect(expected.length).toBe(books);
  const zips = fs.readdirSync(path.join(out, 'scans')).sort();
  expect(zips.length).toBe(units);
  expect(new Set(expected.map((b) => b.zip))).toEqual(new Set(zips.map((z) => path.join('scans', z))));

  const seen = new Map<string, number>();
  for (const zip of zips) {
    const read = JSON.parse(execFileSync('python3', ['-c', PY_LIST, path.join(out, 'scans', zip)], { encoding: 'utf8' })) as { bad: string | null; entries: Array<[string, number]> };
    expect([zip, read.bad]).toEqual([zip, null]);
    for (const [name, size] of read.entries) {
      expect(name).toMatch(/^[^/]+\/[^/]+\.pdf$/);
      expect(size).toBeGreaterThan(0);
      const folder = name.split('/')[0]!;
      seen.set(`${zip}/${folder}`, (seen.get(`${zip}/${folder}`) ?? 0) + 1);
    }
  }
  // Each book is a folder of its unit's zip, holding a page per record of the book.
  expect(seen.size).toBe(books);
  expect([...seen.values()].reduce((a, b) => a + b, 0)).toBe(pages);
  expect(expected.reduce((n, b) => n + b.numbers.length, 0)).toBe(pages);
}, 120_000);

test.each([
  ['a layout it does not know', ['--scan-zips', 'page'], 'Lỗi GEN_SCAN_ZIPS_INVALID: --scan-zips phải là book (mỗi sổ một tệp zip) hoặc unit (mỗi đơn vị một tệp zip), nhận được "page".'],
  ['scan defects in zips per unit', ['--scan-zips', 'unit', '--defects', 'scan-missing,date-invalid'], 'Lỗi GEN_SCAN_DEFECTS_PER_UNIT: Lỗi bản quét (scan-missing) chỉ sinh được khi mỗi sổ một tệp zip, không dùng cùng --scan-zips unit.'],
])('%s is refused with its code, and nothing is written', async (_what, more, message) => {
  const out = path.join(dir, `refused-${more.join('-')}`);
  const r = await gen(out, ...more);
  expect(r.stderr).toContain(message);
  expect(r.code).toBe(2);
  expect(fs.existsSync(out)).toBe(false);
}, 60_000);
