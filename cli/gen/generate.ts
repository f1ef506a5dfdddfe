/**
 * `hotich gen`: writes a synthetic export of a real province and what a correct split of it
 * must produce: expected.json (rows per agency and type, exceptions by reason, defects by
 * kind), expected-rows.ndjson (each row's placement and defect), and, for units that scanned
 * their books, scans/ with expected-scans.ndjson. Streams: memory does not grow with --records.
 */
import fs from 'node:fs';
import path from 'node:path';
import { fieldsOf, registerType, type RegisterTypeCode } from '../../domain/registers/register-types';
import { displayValue } from '../../domain/profiles/cell-values';
import { EXTRA_COLUMNS, scanDefectsIn, titleRows, type Defect } from '../../domain/synthetic/defects';
import { generateProvinceExport, rowsPerType, type GeneratedRow } from '../../domain/synthetic/province-export';
import { createRandom } from '../../domain/synthetic/random';
import { unitCatalog } from '../../domain/units/catalog';
import { createExportWriter, type ExportCell } from './export-writers';
import { createScanWriter, type ScanZips, type UnitScanZip } from './scan-writer';

export interface GenerateOptions {
  provinceCode: string;
  records: number;
  seed: number | string;
  out: string;
  format: string;
  scannedRatio?: number;
  /** Scans in one zip per book (default) or one per registering unit. */
  scanZips?: ScanZips;
  defects?: readonly Defect[];
  onProgress?: (done: number, total: number) => void;
}

export interface GenerateSummary {
  province: string;
  seed: number | string;
  records: number;
  format: string;
  files: string[];
  rowsPerType: Record<string, number>;
  agencies: Record<string, { name: string; level: string; rows: Partial<Record<RegisterTypeCode, number>> }>;
  exceptions: Record<string, number>;
  /** Defects asked for, and how many rows carry each row defect. */
  defects: { requested: Defect[]; rows: Record<string, number>; sheets: Defect[] };
  scans: { books: number; pages: number; units?: UnitScanZip[] };
}

function cellsOf(row: GeneratedRow, extras: boolean): ExportCell[] {
  const cells: ExportCell[] = fieldsOf(row.type).map((f) => {
    if (row.cells && f.key in row.cells) {
      const c = row.cells[f.key];
      return c === undefined || c === null ? null : typeof c === 'number' ? c : String(c);
    }
    return displayValue(f, row.values[f.key]);
  });
  if (extras) cells.push(`HS${String(row.rowId).padStart(9, '0')}`, row.rowId % 7 === 0 ? 'Đã đối chiếu' : null);
  return cells;
}

export async function generateExport(opts: GenerateOptions): Promise<GenerateSummary> {
  const defects = [...(opts.defects ?? [])];
  const headerOffset = defects.includes('header-offset');
  const extraColumns = defects.includes('extra-columns');
  const exportDir = path.join(opts.out, 'export');
  fs.mkdirSync(opts.out, { recursive: true });
  const writer = createExportWriter(opts.format, exportDir, `${opts.provinceCode}-c06`);
  const scans = createScanWriter(opts.out, scanDefectsIn(defects), createRandom(opts.seed).fork('scan-defects'), opts.scanZips);
  const rowsOut = fs.createWriteStream(path.join(opts.out, 'expected-rows.ndjson'));
  const province = unitCatalog().province('legacy', opts.provinceCode)!;
  const summary: GenerateSummary = {
    province: opts.provinceCode,
    seed: opts.seed,
    records: opts.records,
    format: opts.format,
    files: [],
    rowsPerType: Object.fromEntries(rowsPerType(opts.records)),
    agencies: {},
    exceptions: {},
    defects: { requested: defects, rows: {}, sheets: defects.filter((d) => d === 'header-offset' || d === 'extra-columns') },
    scans: { books: 0, pages: 0 },
  };
  let currentType: RegisterTypeCode | undefined;
  for (const row of generateProvinceExport({ ...opts, defects })) {
    if (row.type !== currentType) {
      currentType = row.type;
      const header = [...fieldsOf(row.type).map((f) => f.labelVi), ...(extraColumns ? EXTRA_COLUMNS : [])];
      await writer.startType(row.type, headerOffset ? titleRows(registerType(row.type).nameVi, province.name) : [], header);
    }
    await writer.write(cellsOf(row, extraColumns));
    await scans.add(row);
    const placement: Record<string, unknown> = { row: row.rowId, type: row.type, unit: row.registeringUnit.code };
    if ('agency' in row.expected) {
      const a = row.expected.agency;
      const entry = (summary.agencies[a.code] ??= { name: a.name, level: a.level, rows: {} });
      entry.rows[row.type] = (entry.rows[row.type] ?? 0) + 1;
      placement.agency = a.code;
    } else {
      summary.exceptions[row.expected.exception] = (summary.exceptions[row.expected.exception] ?? 0) + 1;
      placement.exception = row.expected.exception;
    }
    if (row.defect) {
      placement.defect = row.defect;
      summary.defects.rows[row.defect.kind] = (summary.defects.rows[row.defect.kind] ?? 0) + 1;
    }
    if (!rowsOut.write(`${JSON.stringify(placement)}\n`)) await new Promise<void>((resolve) => rowsOut.once('drain', () => resolve()));
    if (row.rowId % 1000 === 0) {
      await writer.drain();
      opts.onProgress?.(row.rowId, opts.records);
    }
  }
  summary.files = (await writer.close()).map((f) => path.relative(opts.out, f));
  summary.scans = await scans.close();
  await new Promise<void>((resolve, reject) => rowsOut.end((e?: Error | null) => (e ? reject(e) : resolve())));
  opts.onProgress?.(opts.records, opts.records);
  fs.writeFileSync(path.join(opts.out, 'expected.json'), `${JSON.stringify(summary, null, 2)}\n`);
  return summary;
}
