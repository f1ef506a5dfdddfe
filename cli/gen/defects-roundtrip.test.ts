/**
 * A 5,000-record province with every defect, read back through the domain parsers exactly as
 * the split and the import will read it: every labelled defect is detected as labelled, no
 * clean row shows a problem, and every row lands where the expected results say.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import yauzl from 'yauzl';
import { PDFDocument } from 'pdf-lib';
import { generateExport, type GenerateSummary } from './generate';
import type { ScanBook } from './scan-writer';
import { SHIPPED_PROFILES } from '../../domain/profiles/shipped';
import { compileSheetMapping, findHeaderRow, mapRow, sheetRegisterType, type Cell } from '../../domain/profiles/sheet-mapping';
import { parseRowValues } from '../../domain/profiles/cell-values';
import { validateRecord } from '../../domain/registers/validate-record';
import { createDuplicateNumberCheck } from '../../domain/registers/book-check';
import { routeRegisteringUnit, routingInputOf } from '../../domain/units/routing';
import { unitCatalog } from '../../domain/units/catalog';
import { ALL_DEFECTS, EXTRA_COLUMNS, ROW_DEFECTS, SCAN_DEFECTS, type RowDefectLabel } from '../../domain/synthetic/defects';
import { decodeZipEntryName } from '../../domain/naming/zip-entry-name';
import { DEFAULT_NAMING_RULE, numberKey, parseScanName } from '../../domain/naming/scan-name';

interface ExpectedRow {
  row: number;
  type: string;
  agency?: string;
  exception?: string;
  defect?: RowDefectLabel;
}

const catalog = unitCatalog();
let dir: string;
let summary: GenerateSummary;
beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'gen-defects-'));
  summary = await generateExport({ provinceCode: '01', records: 5000, seed: 11, out: dir, format: 'xlsx', scannedRatio: 0.5, defects: [...ALL_DEFECTS] });
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('every row defect is detected as labelled, and clean rows show nothing', () => {
  const expected = fs.readFileSync(path.join(dir, 'expected-rows.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ExpectedRow);
  expect(expected).toHaveLength(5000);
  const workbook = XLSX.readFile(path.join(dir, summary.files[0]!), { raw: true });
  const profile = SHIPPED_PROFILES['c06-default']!;
  const duplicates = createDuplicateNumberCheck();
  const detected = new Map<string, number>();
  let n = 0;
  for (const sheetName of workbook.SheetNames) {
    const sheet = workbook.Sheets[sheetName]!;
    const type = sheetRegisterType(profile, sheetName)!;
    const rows = XLSX.utils.sheet_to_json<Cell[]>(sheet, { header: 1, raw: true, defval: null, blankrows: true });
    // header-offset: a title, the province and a blank row above the header.
    const h = findHeaderRow(rows, profile, sheetName, type);
    expect(h).toBe(3);
    const mapping = compileSheetMapping(rows[h]!, profile, sheetName, type);
    // extra-columns: unknown columns kept, verbatim, for the split to pass through.
    expect(mapping.columns.filter((c) => !c.field).map((c) => c.header)).toEqual([...EXTRA_COLUMNS]);
    for (const [i, cells] of rows.slice(h + 1).entries()) {
      const want = expected[n++]!;
      expect(want.type).toBe(type);
      const mapped = mapRow(mapping, cells);
      expect(mapped.extra[0]?.[1]).toBe(`HS${String(want.row).padStart(9, '0')}`);
      const parsed = parseRowValues(mapping.fields, mapped.values);
      const problems = [...parsed.problems, ...validateRecord(type, parsed.values)];
      const duplicate = duplicates.check(type, parsed.values, `dòng ${i + h + 2}`);
      if (duplicate) problems.push(duplicate);
      const routed = routeRegisteringUnit(routingInputOf(parsed.values, '01'));
      if (want.agency) expect(routed).toMatchObject({ ok: true, agency: { code: want.agency } });
      else expect(routed).toMatchObject({ ok: false, reason: want.exception });

      const d = want.defect;
      if (!d) {
        expect(problems).toEqual([]);
        expect(parsed.repaired).toEqual([]);
        expect(parsed.restoredZeros).toEqual([]);
        continue;
      }
      const raw = mapped.values[d.field];
      switch (d.kind) {
        case 'unit-code-unknown':
        case 'required-missing':
        case 'date-invalid':
        case 'registration-number-duplicate':
          expect([...problems.map((p) => p.code), ...(routed.ok ? [] : [routed.reason])]).toContain(d.expectCode);
          break;
        case 'unit-code-retired': {
          const into = catalog.absorptionOf(catalog.former('commune', d.expectValue as string)!) as { into: Parameters<typeof catalog.successorOf>[0] };
          if (routed.ok) expect(routed).toMatchObject({ successorApplied: true, registeringUnit: { code: d.expectValue, former: true } });
          // Taken over by a commune that was divided in 2025: that commune's successors are the candidates.
          else expect(routed.candidates).toEqual((catalog.successorOf(into.into) as { candidates: unknown[] }).candidates);
          break;
        }
        case 'unit-name-only': {
          if (routed.ok) expect(routed).toMatchObject({ matchedBy: 'name', registeringUnit: { code: d.expectValue } });
          // A divided commune found by its name: the candidates are that commune's successors.
          else expect(routed.candidates).toEqual((catalog.successorOf(catalog.commune('legacy', d.expectValue as string)!) as { candidates: unknown[] }).candidates);
          break;
        }
        case 'text-decomposed':
          expect(raw).not.toBe(d.expectValue);
          expect(parsed.values[d.field]).toBe(d.expectValue);
          break;
        case 'text-tcvn3':
        case 'text-vni':
          expect(parsed.values[d.field]).toBe(d.expectValue);
          expect(parsed.repaired).toEqual([{ field: d.field, original: raw, encoding: d.kind === 'text-tcvn3' ? 'tcvn3' : 'vni' }]);
          break;
        case 'code-zeros-lost':
          expect(typeof raw).toBe('number');
          expect(parsed.restoredZeros).toContain(d.field);
          expect(parsed.values[d.field]).toBe(d.expectValue);
          break;
        case 'date-partial':
          expect(parsed.values[d.field]).toEqual(d.expectValue);
          break;
        case 'formula-text': {
          expect(parsed.values[d.field]).toBe(d.expectValue);
          const column = mapping.columns.find((c) => c.field?.key === 'notes')!.index;
          const cell = sheet[XLSX.utils.encode_cell({ r: h + 1 + i, c: column })] as XLSX.CellObject;
          expect(cell.f).toBeUndefined();
          expect(cell.t).toBe('s');
          break;
        }
      }
      detected.set(d.kind, (detected.get(d.kind) ?? 0) + 1);
    }
  }
  expect(n).toBe(5000);
  expect(Object.fromEntries(detected)).toEqual(summary.defects.rows);
  for (const kind of ROW_DEFECTS) expect(detected.get(kind)).toBeGreaterThan(0);
});

interface ZipEntry {
  name: string;
  encoding: string;
  data: Buffer;
}

function readZip(file: string): Promise<ZipEntry[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, decodeStrings: false }, (err, zip) => {
      if (err) return reject(err);
      const entries: ZipEntry[] = [];
      zip.on('entry', (entry: yauzl.Entry) => {
        const raw = entry.fileName as unknown as Buffer;
        const { name, encoding } = decodeZipEntryName(raw, (entry.generalPurposeBitFlag & 0x800) !== 0);
        zip.openReadStream(entry, (e, stream) => {
          if (e) return reject(e);
          const parts: Buffer[] = [];
          stream.on('data', (b: Buffer) => parts.push(b));
          stream.on('end', () => {
            entries.push({ name, encoding, data: Buffer.concat(parts) });
            zip.readEntry();
          });
        });
      });
      zip.on('end', () => resolve(entries));
      zip.on('error', reject);
      zip.readEntry();
    });
  });
}

async function parsesAsPdf(data: Buffer): Promise<boolean> {
  // pdf-lib reports each object it cannot read on the console before it gives up.
  const warn = jest.spyOn(console, 'warn').mockImplementation(() => undefined);
  try {
    await PDFDocument.load(data, { updateMetadata: false });
    return true;
  } catch {
    return false;
  } finally {
    warn.mockRestore();
  }
}

test('every scan defect is detected as labelled, and clean books match their records page for page', async () => {
  const books = fs.readFileSync(path.join(dir, 'expected-scans.ndjson'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as ScanBook);
  expect(books.length).toBe(summary.scans.books);
  const detected = new Map<string, number>();
  let checkedPdfs = 0;
  for (const book of books) {
    const entries = await readZip(path.join(dir, book.zip));
    const numbers = new Set(book.numbers.map(numberKey));
    const pages = new Map<string, ZipEntry>();
    const rejected: ZipEntry[] = [];
    for (const e of entries) {
      const parsed = parseScanName(e.name, DEFAULT_NAMING_RULE);
      if (parsed.ok) {
        expect([parsed.type, parsed.year, Number(parsed.book)]).toEqual([book.type, book.year, Number(book.book)]);
        pages.set(numberKey(parsed.number), e);
      } else rejected.push(e);
    }
    const defect = book.defects[0];
    const unmatched = [...pages.keys()].filter((k) => !numbers.has(k));
    const missing = [...numbers].filter((k) => !pages.has(k));
    const notPdf = [...pages.values()].filter((e) => !e.data.subarray(0, 5).equals(Buffer.from('%PDF-')));
    const others = [...pages.values()].filter((e) => !notPdf.includes(e));
    // Every PDF of a defective book is parsed; of clean books, one in ten (they come from one code path).
    const toParse = defect ? others : others.filter((_, i) => i % 10 === 0);
    const corrupt: ZipEntry[] = [];
    for (const e of toParse) if (!(await parsesAsPdf(e.data))) corrupt.push(e);
    checkedPdfs += toParse.length;

    const found: string[] = [];
    if (entries.some((e) => e.encoding === 'cp437')) {
      expect(entries.every((e) => e.encoding === 'cp437' && e.name.startsWith(defect!.entry!))).toBe(true);
      found.push('scan-cp437-name');
    }
    if (rejected.length) {
      expect(rejected.map((e) => e.name)).toEqual([defect!.entry]);
      expect(missing).toEqual([numberKey(defect!.number!)]);
      found.push('scan-misnamed');
    } else if (missing.length) {
      expect(missing).toEqual([numberKey(defect!.number!)]);
      found.push('scan-missing');
    }
    if (unmatched.length) {
      expect(unmatched).toEqual([numberKey(defect!.number!)]);
      found.push('scan-orphan');
    }
    if (notPdf.length) {
      expect(notPdf.map((e) => e.name)).toEqual([defect!.entry]);
      found.push('scan-not-pdf');
    }
    if (corrupt.length) {
      expect(corrupt.map((e) => e.name)).toEqual([defect!.entry]);
      found.push('scan-corrupt-pdf');
    }
    expect(found).toEqual(book.defects.map((d) => d.kind));
    for (const kind of found) detected.set(kind, (detected.get(kind) ?? 0) + 1);
  }
  for (const kind of SCAN_DEFECTS) expect(detected.get(kind)).toBeGreaterThan(0);
  expect(checkedPdfs).toBeGreaterThan(300);
}, 120_000);

test('the .xls export holds the same cells as the .xlsx export', async () => {
  const opts = { provinceCode: '02', records: 1500, seed: 4, defects: [...ROW_DEFECTS, 'header-offset' as const] };
  const xlsx = await generateExport({ ...opts, out: path.join(dir, 'x1'), format: 'xlsx' });
  const xls = await generateExport({ ...opts, out: path.join(dir, 'x2'), format: 'xls' });
  expect(xls.files).toEqual(['KS', 'KT', 'KH', 'CMC', 'GH', 'TDCC', 'GCNN', 'LH'].map((t) => `export/02-c06-${t}.xls`));
  const book = XLSX.readFile(path.join(dir, 'x1', xlsx.files[0]!), { raw: true });
  for (const file of xls.files) {
    const one = XLSX.readFile(path.join(dir, 'x2', file), { raw: true });
    const name = one.SheetNames[0]!;
    const rows = (wb: XLSX.WorkBook, sheet: string) => XLSX.utils.sheet_to_json<Cell[]>(wb.Sheets[sheet]!, { header: 1, raw: true, defval: null, blankrows: true });
    expect(rows(one, name)).toEqual(rows(book, name));
  }
}, 60_000);
