/**
 * The coordinator's decisions applied to a small hand-made split, read back with SheetJS: a
 * divided commune's and an abolished district's rows go to their custodians in files of their
 * own, noted; a changed decision moves them; exception rows placed by hand in a workbook edited
 * with SheetJS (as Excel would) are placed or stay with their reason; rows and cells conserved;
 * the same decisions again rewrite nothing.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as XLSX from '@e965/xlsx';
import { checkCustodianDecisions, type CustodianDecision, type NeededUnits } from '../../domain/runs/custodians';
import { unitCatalog } from '../../domain/units/catalog';
import { ROUTING_FAILURE_VI } from '../../domain/units/routing-failures';
import { rowsOfXls } from '../../test/support/split-verification';
import { applyDecisions, placementRefusalVi, type HandPlacement } from './apply-decisions';
import { readPlacementWorkbook } from './placements-workbook';
import { EXCEPTION_HEADERS, EXCEPTIONS_FILE, EXCEPTIONS_INFO_SHEET, MANIFEST_FILE, PLACEMENT_COLUMN, splitExport, type SplitManifest } from './split-export';

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'apply-decisions-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

// Phường Cống Vị (00007) was divided between Giảng Võ (00025) and Ngọc Hà (00008); Quận Ba Đình (001) was abolished.
const ROWS = [
  ['Mã ĐVHC nơi đăng ký', 'Mã huyện', 'Nơi đăng ký', 'Năm đăng ký', 'Quyển số', 'Số đăng ký', 'Ngày đăng ký', 'Họ và tên', 'Giới tính'],
  ['00007', '001', 'Phường Cống Vị', '2010', '01', '1', '10/03/2010', 'Nguyễn Văn An', 'Nam'],
  ['00007', '001', 'Phường Cống Vị', '2010', '01', '2', '11/03/2010', 'Trần Thị Bình', 'Nữ'],
  ['', '001', 'Quận Ba Đình', '2011', '01', '1', '12/04/2011', 'Lê Văn Cường', 'Nam'],
  ['00004', '001', 'Phường Trúc Bạch', '2012', '01', '1', '01/02/2012', 'Phạm Thị Dung', 'Nữ'],
  ['99999', '', 'Xã Không Rõ', '2012', '01', '1', '01/02/2012', 'Hoàng Văn Em', 'Nam'],
  ['99998', '', 'Xã Không Rõ', '2012', '01', '2', '02/02/2012', 'Vũ Thị Giang', 'Nữ'],
];

const decided = { by: 'dieuphoi01', at: '2026-12-01T08:00:00.000Z' };
const placement = (row: number, agencyCode: string): HandPlacement => ({ sheet: 'KS', row, agencyCode, placedBy: 'dieuphoi01', placedAt: decided.at });
let out: string;
let base: SplitManifest;
let needed: NeededUnits;

beforeAll(async () => {
  const input = path.join(dir, 'KS.csv');
  fs.writeFileSync(input, `\uFEFF${ROWS.map((r) => r.join(',')).join('\r\n')}\r\n`);
  out = path.join(dir, 'out');
  base = await splitExport({ provinceCode: '01', input, outDir: out });
  needed = Object.fromEntries(base.decisionsNeeded.map((d) => [d.unitCode, d.candidates.map((c) => c.code)]));
});

const fileRows = (file: string) => {
  const [header, ...rows] = rowsOfXls(path.join(out, file));
  return rows.map((r) => Object.fromEntries(header!.map((h, i) => [String(h), r[i] ?? null])));
};

test('the split lists the divided commune and the abolished district with their rows, books and candidates', () => {
  expect(base.exceptions.byReason).toEqual({ UNIT_SPLIT_NEEDS_DECISION: 2, UNIT_DISTRICT_NEEDS_DECISION: 1, UNIT_UNKNOWN_CODE: 2 });
  // Each code with the words its rows carry, for the coordinator's summary.
  expect(base.exceptions.wordings).toEqual({
    UNIT_SPLIT_NEEDS_DECISION: [{ messageVi: ROUTING_FAILURE_VI.UNIT_SPLIT_NEEDS_DECISION, rows: 2 }],
    UNIT_DISTRICT_NEEDS_DECISION: [{ messageVi: ROUTING_FAILURE_VI.UNIT_DISTRICT_NEEDS_DECISION, rows: 1 }],
    UNIT_UNKNOWN_CODE: [{ messageVi: ROUTING_FAILURE_VI.UNIT_UNKNOWN_CODE, rows: 2 }],
  });
  expect(base.decisionsNeeded).toEqual([
    expect.objectContaining({ unitCode: '001', unitName: 'Quận Ba Đình', level: 'district', reason: 'UNIT_DISTRICT_NEEDS_DECISION', rows: 1, registers: { KS: { rows: 1, books: 1 } }, seatKnown: false }),
    expect.objectContaining({ unitCode: '00007', unitName: 'Phường Cống Vị', level: 'commune', rows: 2, registers: { KS: { rows: 2, books: 1 } }, candidates: [{ code: '00025', name: 'UBND phường Giảng Võ' }, { code: '00008', name: 'UBND phường Ngọc Hà' }] }),
  ]);
  expect(needed['001']).toContain('00004');
});

test('decisions place each unit in its custodian, under its own books, noted; a change moves them; the same again rewrites nothing', async () => {
  const first: CustodianDecision[] = checkCustodianDecisions('01', needed, [
    { unitCode: '7', agencyCode: '25' }, // zeros lost in a spreadsheet
    { unitCode: '001', agencyCode: '00004', committeeDecision: { number: '123/QĐ-UBND', date: '15/06/2025' } },
  ], decided);
  const r1 = await applyDecisions({ outDir: out, provinceCode: '01', custodians: first, placements: [] });
  expect(r1.manifest.rowsWritten + r1.manifest.exceptionRows).toBe(6);
  expect(r1.manifest.cells.out).toBe(r1.manifest.cells.in);
  expect(r1.manifest.exceptions.byReason).toEqual({ UNIT_UNKNOWN_CODE: 2 });
  expect(r1.manifest.exceptions.wordings).toEqual({ UNIT_UNKNOWN_CODE: [{ messageVi: ROUTING_FAILURE_VI.UNIT_UNKNOWN_CODE, rows: 2 }] });
  expect(r1.manifest.custodians!.map((c) => [c.unitCode, c.agencyCode, c.rows])).toEqual([['00007', '00025', 2], ['001', '00004', 1]]);
  expect(r1.changed.map((a) => a.code).sort()).toEqual(['00004', '00025']);
  const giangVo = r1.manifest.agencies.find((a) => a.code === '00025')!;
  expect(giangVo.files).toEqual([expect.objectContaining({ path: 'Cấp xã/00025 - UBND phường Giảng Võ/KS - Sổ đăng ký khai sinh - 00007 - Phường Cống Vị (cũ).xls', rows: 2, placedBy: { custodianOf: '00007' } })]);
  const rows = fileRows(giangVo.files[0]!.path);
  expect(rows.map((r) => [r['Mã ĐVHC nơi đăng ký'], r['Họ và tên'], r['Đơn vị đăng ký gốc']])).toEqual([['00007', 'Nguyễn Văn An', '00007 - Phường Cống Vị'], ['00007', 'Trần Thị Bình', '00007 - Phường Cống Vị']]);
  expect(rows[0]!['Ghi chú khi tách']).toBe('Cơ quan lưu giữ theo quyết định của dieuphoi01 ngày 01/12/2026: sổ của 00007 - Phường Cống Vị do UBND phường Giảng Võ lưu giữ');
  // Ba Đình keeps its own file (Phúc Xá's row) and, beside it, the abolished district's books.
  const baDinh = r1.manifest.agencies.find((a) => a.code === '00004')!;
  expect(baDinh.files.map((f) => [path.posix.basename(f.path), f.rows])).toEqual([['KS - Sổ đăng ký khai sinh - 001 - Quận Ba Đình (cũ).xls', 1], ['KS - Sổ đăng ký khai sinh.xls', 1]]);
  expect(fileRows(baDinh.files[0]!.path)[0]!['Ghi chú khi tách']).toContain('Quyết định số 123/QĐ-UBND ngày 15/06/2025');
  expect(JSON.parse(fs.readFileSync(path.join(out, baDinh.folder, MANIFEST_FILE), 'utf8'))).toEqual(baDinh);

  const again = await applyDecisions({ outDir: out, provinceCode: '01', custodians: first, placements: [] });
  expect(again.changed).toEqual([]);
  expect(again.manifest).toEqual(r1.manifest);

  // Ngọc Hà instead: Giảng Võ's folder, which held nothing else, goes; Ngọc Hà's comes.
  const moved = checkCustodianDecisions('01', needed, [{ unitCode: '00007', agencyCode: '00008' }, { unitCode: '001', agencyCode: '00004', committeeDecision: { number: '123/QĐ-UBND', date: '2025-06-15' } }], decided);
  const r2 = await applyDecisions({ outDir: out, provinceCode: '01', custodians: moved, placements: [] });
  expect(r2.changed.map((a) => [a.code, a.rows]).sort()).toEqual([['00008', 2], ['00025', 0]]);
  expect(fs.existsSync(path.join(out, giangVo.folder))).toBe(false);
  expect(r2.manifest.agencies.map((a) => a.code)).toEqual(['00004', '00008']);
  expect(fs.readdirSync(path.join(out, 'Cấp xã')).filter((f) => f.startsWith('.'))).toEqual([]);
});

test('exception rows placed by hand in the workbook, edited as Excel would, are placed or stay with their reason', async () => {
  const decisions = checkCustodianDecisions('01', needed, [{ unitCode: '00007', agencyCode: '00008' }], decided);
  await applyDecisions({ outDir: out, provinceCode: '01', custodians: decisions, placements: [] });
  const wb = XLSX.readFile(path.join(out, EXCEPTIONS_FILE));
  expect(wb.SheetNames).toEqual(['KS', EXCEPTIONS_INFO_SHEET]);
  const sheet = wb.Sheets.KS!;
  const data = XLSX.utils.sheet_to_json<unknown[]>(sheet, { header: 1, raw: true, defval: null });
  expect(data[0]!.slice(0, EXCEPTION_HEADERS.length)).toEqual([...EXCEPTION_HEADERS]);
  const at = (sourceRow: number) => data.findIndex((r) => r[3] === sourceRow);
  // Row 4 (the district's) is placed by decision no more: it is undecided now, so it cannot be placed by hand.
  XLSX.utils.sheet_add_aoa(sheet, [['00004']], { origin: { r: at(4), c: PLACEMENT_COLUMN } });
  XLSX.utils.sheet_add_aoa(sheet, [['00070']], { origin: { r: at(6), c: PLACEMENT_COLUMN } });
  XLSX.utils.sheet_add_aoa(sheet, [['001']], { origin: { r: at(7), c: PLACEMENT_COLUMN } });
  const filled = path.join(dir, 'filled.xlsx');
  XLSX.writeFile(wb, filled);

  const asked = await readPlacementWorkbook(filled, out);
  expect(asked).toEqual([{ sheet: 'KS', row: 4, agencyCode: '00004' }, { sheet: 'KS', row: 6, agencyCode: '00070' }, { sheet: 'KS', row: 7, agencyCode: '001' }]);
  const r = await applyDecisions({ outDir: out, provinceCode: '01', custodians: decisions, placements: asked.map((p) => placement(p.row, p.agencyCode)) });
  expect(r.placements).toEqual([
    expect.objectContaining({ row: 4, placed: false, code: 'PLACEMENT_UNIT_NEEDS_DECISION' }),
    { sheet: 'KS', row: 6, agencyCode: '00070', placed: true },
    expect.objectContaining({ row: 7, placed: false, code: 'CUSTODIAN_AGENCY_RETIRED' }),
  ]);
  // What is kept of a refusal is its code and parameters (as PostgreSQL gives them back): its message is made again from them.
  const refused = r.placements.filter((p) => !p.placed);
  expect(refused.map((o) => placementRefusalVi(o.code!, JSON.parse(JSON.stringify(o.params)) as object))).toEqual(refused.map((o) => o.messageVi));
  expect(refused.map((o) => o.messageVi)).toEqual([
    'Dòng thuộc đơn vị cũ 001 - Quận Ba Đình: sổ của đơn vị này được giao nguyên cho một cơ quan lưu giữ theo quyết định (hotich run decide-custodians), không xếp tay từng dòng.',
    // A code written with its zeros lost is read as a commune's: 00001.
    'Mã 001 là của Phường Phúc Xá, đơn vị không còn từ 01/7/2025; cơ quan lưu giữ phải là UBND một xã/phường hiện hành.',
  ]);
  expect(r.manifest.exceptions.byReason).toEqual({ UNIT_DISTRICT_NEEDS_DECISION: 1, UNIT_UNKNOWN_CODE: 1 });
  expect(r.manifest.rowsWritten + r.manifest.exceptionRows).toBe(6);
  expect(r.manifest.cells.written + r.manifest.cells.exceptions).toBe(r.manifest.cells.in);
  const hoanKiem = r.manifest.agencies.find((a) => a.code === '00070')!;
  const [placed] = fileRows(hoanKiem.files[0]!.path);
  expect(placed).toMatchObject({ 'Họ và tên': 'Hoàng Văn Em', 'Dòng gốc': 'KS!6', 'Ghi chú khi tách': 'Xếp tay bởi dieuphoi01 ngày 01/12/2026 vào UBND phường Hoàn Kiếm' });
  expect(path.posix.basename(hoanKiem.files[0]!.path)).toBe('KS - Sổ đăng ký khai sinh - xếp tay.xls');
});

test('a workbook edited outside the placement column, or of another package, places nothing', async () => {
  const wb = XLSX.readFile(path.join(out, EXCEPTIONS_FILE));
  const sheet = wb.Sheets.KS!;
  XLSX.utils.sheet_add_aoa(sheet, [['00004', null, 'Lê Văn Cường đã sửa']], { origin: { r: 1, c: PLACEMENT_COLUMN } });
  const edited = path.join(dir, 'edited.xlsx');
  XLSX.writeFile(wb, edited);
  await expect(readPlacementWorkbook(edited, out)).rejects.toMatchObject({ code: 'PLACEMENT_ROW_EDITED' });

  const other = XLSX.readFile(path.join(out, EXCEPTIONS_FILE));
  XLSX.utils.sheet_add_aoa(other.Sheets[EXCEPTIONS_INFO_SHEET]!, [['0'.repeat(64)]], { origin: { r: 1, c: 1 } });
  XLSX.utils.sheet_add_aoa(other.Sheets.KS!, [['00004']], { origin: { r: 1, c: PLACEMENT_COLUMN } });
  const otherFile = path.join(dir, 'other.xlsx');
  XLSX.writeFile(other, otherFile);
  await expect(readPlacementWorkbook(otherFile, out)).rejects.toMatchObject({ code: 'PLACEMENT_WORKBOOK_OTHER_PACKAGE' });
});

test('bad decisions are refused with their code', () => {
  const check = (d: { unitCode: string; agencyCode: string; basis?: string }) => () => checkCustodianDecisions('01', needed, [d], decided);
  expect(check({ unitCode: '00007', agencyCode: '99999' })).toThrow(expect.objectContaining({ code: 'CUSTODIAN_AGENCY_UNKNOWN' }));
  expect(check({ unitCode: '00007', agencyCode: '001' })).toThrow(expect.objectContaining({ code: 'CUSTODIAN_AGENCY_RETIRED' }));
  expect(check({ unitCode: '00007', agencyCode: unitCatalog().communes2025Of('79')[0]!.code })).toThrow(expect.objectContaining({ code: 'CUSTODIAN_AGENCY_OTHER_PROVINCE' }));
  expect(check({ unitCode: '00004', agencyCode: '00004' })).toThrow(expect.objectContaining({ code: 'CUSTODIAN_UNIT_NOT_NEEDED' }));
  expect(check({ unitCode: '00007', agencyCode: '00070' })).toThrow(expect.objectContaining({ code: 'CUSTODIAN_BASIS_MISSING' }));
  expect(check({ unitCode: '00007', agencyCode: '00070', basis: 'Theo Quyết định của UBND thành phố' })()).toEqual([expect.objectContaining({ agencyCode: '00070', candidate: false })]);
  expect(() => checkCustodianDecisions('01', needed, [{ unitCode: '00007', agencyCode: '00025' }, { unitCode: '00007', agencyCode: '00008' }], decided)).toThrow(expect.objectContaining({ code: 'CUSTODIAN_UNIT_TWICE' }));
});
