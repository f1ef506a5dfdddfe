/**
 * The generator's output, read back through the domain parsers exactly as the split will:
 * every row maps, validates and routes to the agency (or exception) the expected results name.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import { generateExport } from './generate';
import { SHIPPED_PROFILES } from '../../domain/profiles/shipped';
import { compileSheetMapping, findHeaderRow, mapRow, sheetRegisterType, type Cell } from '../../domain/profiles/sheet-mapping';
import { parseRowValues } from '../../domain/profiles/cell-values';
import { validateRecord } from '../../domain/registers/validate-record';
import { routeRegisteringUnit, routingInputOf } from '../../domain/units/routing';
import { checkPersonalId } from '../../domain/identity/personal-id';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gen-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const sha = (file: string) => createHash('sha256').update(fs.readFileSync(file)).digest('hex');

test('same arguments, same bytes; another seed, other bytes', async () => {
  for (const [name, seed] of [['a', 7], ['b', 7], ['c', 8]] as const) {
    await generateExport({ provinceCode: '02', records: 1500, seed, out: path.join(dir, name), format: 'xlsx', scannedRatio: 0.5, defects: ['text-vni', 'scan-cp437-name'] });
  }
  const zips = fs.readFileSync(path.join(dir, 'a', 'expected-scans.ndjson'), 'utf8').trim().split('\n').map((l) => (JSON.parse(l) as { zip: string }).zip);
  expect(zips.length).toBeGreaterThan(10);
  for (const f of ['export/02-c06.xlsx', 'expected.json', 'expected-rows.ndjson', 'expected-scans.ndjson', ...zips]) {
    expect(sha(path.join(dir, 'a', f))).toBe(sha(path.join(dir, 'b', f)));
  }
  expect(sha(path.join(dir, 'a', 'export/02-c06.xlsx'))).not.toBe(sha(path.join(dir, 'c', 'export/02-c06.xlsx')));
}, 60_000);

test('csv output: one UTF-8 file with BOM per register type', async () => {
  const summary = await generateExport({ provinceCode: '79', records: 800, seed: 3, out: path.join(dir, 'csv'), format: 'csv' });
  expect(summary.files.length).toBe(8);
  const ks = fs.readFileSync(path.join(dir, 'csv', 'export', '79-c06-KS.csv'), 'utf8');
  expect(ks.startsWith('\uFEFFMã ĐVHC nơi đăng ký,')).toBe(true);
}, 60_000);

test('every generated row parses, validates and routes as the expected results say', async () => {
  const out = path.join(dir, 'roundtrip');
  const summary = await generateExport({ provinceCode: '01', records: 3000, seed: 42, out, format: 'xlsx' });
  const expected = fs.readFileSync(path.join(out, 'expected-rows.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { row: number; type: string; agency?: string; exception?: string });
  expect(expected).toHaveLength(3000);

  const workbook = XLSX.readFile(path.join(out, summary.files[0]!), { cellDates: false, raw: true });
  const profile = SHIPPED_PROFILES['c06-default']!;
  let row = 0;
  const counts = { routed: 0, exceptions: 0, warnings: 0 };
  for (const sheetName of workbook.SheetNames) {
    const type = sheetRegisterType(profile, sheetName)!;
    const rows = XLSX.utils.sheet_to_json<Cell[]>(workbook.Sheets[sheetName]!, { header: 1, raw: true, defval: null });
    const h = findHeaderRow(rows, profile, sheetName, type);
    const mapping = compileSheetMapping(rows[h]!, profile, sheetName, type);
    for (const cells of rows.slice(h + 1)) {
      const want = expected[row++]!;
      expect(want.type).toBe(type);
      const parsed = parseRowValues(mapping.fields, mapRow(mapping, cells).values);
      expect(parsed.problems).toEqual([]);
      const problems = validateRecord(type, parsed.values);
      expect(problems.filter((p) => p.severity === 'error')).toEqual([]);
      counts.warnings += problems.length;
      const v = parsed.values;
      const routed = routeRegisteringUnit(routingInputOf(v, '01'));
      if (want.agency) {
        expect(routed).toMatchObject({ ok: true, agency: { code: want.agency } });
        counts.routed++;
      } else {
        expect(routed).toMatchObject({ ok: false, reason: want.exception });
        counts.exceptions++;
      }
      if (typeof v.personalId === 'string') {
        expect(checkPersonalId(v.personalId, { sex: v.sex as 'male' | 'female', birthYear: (v.dateOfBirth as { year: number }).year }).problems).toEqual([]);
      }
    }
  }
  expect(row).toBe(3000);
  expect(counts.routed + counts.exceptions).toBe(3000);
  expect(counts.routed).toBe(Object.values(summary.agencies).reduce((s, a) => s + Object.values(a.rows).reduce((x, y) => x + y, 0), 0));
  // A clean generation has no inconsistencies: those come only with --defects.
  expect(counts.warnings).toBe(0);
}, 60_000);
