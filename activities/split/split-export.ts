/**
 * Step 2: splits a province export into one folder per civil-registration agency, grouped by
 * level, with one .xls (BIFF8) per register type, an exceptions workbook of the rows that
 * cannot be placed (reason code and the original row), and manifests with rows and SHA-256.
 * Rows stream from the reader to the writers; each writer keeps its bytes in spill files until
 * its file is finished. The output is built in a hidden folder beside the target and renamed
 * into place only when complete and conserved, so a crash or a retry never leaves half a split
 * visible, and a retry of a finished split returns the manifest already written.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { defineError, isAppError } from '../../domain/errors';
import { sha256OfFile } from '../files/hashing';
import type { ImportProfile } from '../../domain/profiles/profile-schema';
import { compileSheetMapping, findHeaderRow, registerTypeFromText, sheetRegisterType, type SheetMapping } from '../../domain/profiles/sheet-mapping';
import { SHIPPED_PROFILES, splitOutputHeaders } from '../../domain/profiles/shipped';
import { isRegisterTypeCode, registerType, type RegisterTypeCode } from '../../domain/registers/register-types';
import type { Unit } from '../../domain/units/catalog';
import { agencyFolderName, createRouter, DEFAULT_ROUTING_RULES, routingInputOf, type Agency, type RoutingResult, type RoutingRules } from '../../domain/units/routing';
import type { SheetCell, SheetRow } from '../../formats/tabular/read-rows';
import { readRowBatchesInThread } from '../../formats/tabular/read-rows-thread';
import { XlsSheetWriter, XLS_MAX_ROWS } from '../../formats/xls/xls-sheet-writer';
import { createXlsxWriterThread, type XlsxWriterThread } from '../../formats/xlsx/xlsx-writer-thread';
import { compileSheetPlan, extraCells, outputCells, parseFields, routingValues, type ParsedFields, type SheetPlan } from './split-row';

/** Columns the split adds after the fields: where the row came from and what was done to it. */
export const SPLIT_TRACE_HEADERS = ['Đơn vị đăng ký gốc', 'Ghi chú khi tách', 'Dòng gốc'] as const;
export const LEVEL_FOLDERS = { district: 'Cấp huyện', commune: 'Cấp xã' } as const;
export const EXCEPTIONS_FILE = 'Ngoại lệ - dòng chưa xếp được.xlsx';
export const MANIFEST_FILE = 'manifest.json';
/** The exceptions workbook's columns before the row as it came. */
const EXCEPTION_HEADERS = ['Mã lý do', 'Lý do', 'Trang gốc', 'Dòng gốc', 'Đơn vị có thể là'] as const;

export const SplitRowsNotConserved = defineError<{ input: number; written: number; exceptions: number }>(
  'SPLIT_ROWS_NOT_CONSERVED',
  'integrity',
  (p) => `row conservation broken: ${p.input} input rows, ${p.written} written + ${p.exceptions} exceptions`,
  (p) => `Sai lệch số dòng: đầu vào ${p.input} dòng, nhưng đã ghi ${p.written} dòng và ${p.exceptions} dòng ngoại lệ. Kết quả tách không được dùng.`,
);

export const SplitOutputExists = defineError<{ dir: string }>(
  'SPLIT_OUTPUT_EXISTS',
  'conflict',
  (p) => `${p.dir} already holds another split`,
  (p) => `Thư mục ${p.dir} đã chứa kết quả tách của một tệp khác; chọn thư mục khác.`,
);

export interface SplitFile {
  /** Relative to the output folder, with "/" separators. */
  path: string;
  registerType: RegisterTypeCode;
  rows: number;
  sha256: string;
}

export interface SplitAgency {
  code: string;
  name: string;
  level: Agency['level'];
  folder: string;
  rows: number;
  files: SplitFile[];
}

export interface SplitManifest {
  version: 1;
  province: string;
  profile: string;
  input: { name: string; sha256: string; rows: number; blankRows: number };
  rowsWritten: number;
  exceptionRows: number;
  agencies: SplitAgency[];
  exceptions: { path: string; rows: number; byReason: Record<string, number>; sha256: string };
}

export interface SplitOptions {
  provinceCode: string;
  input: string;
  outDir: string;
  profile?: ImportProfile;
  rules?: RoutingRules;
  /** Rows read so far; called every few thousand rows and at the end. */
  onProgress?: (rows: number) => void;
}

const PROGRESS_EVERY = 5000;
/** Output files being written at once when the split ends; each holds its bytes until written. */
const FILES_WRITTEN_AT_ONCE = 8;

function registerTypeOfSheet(profile: ImportProfile, sheet: string): RegisterTypeCode | undefined {
  try {
    const t = sheetRegisterType(profile, sheet);
    if (t) return t;
  } catch (e) {
    if (!isAppError(e)) throw e;
  }
  // Files named like "01-c06-KS.csv": a code among the name's words.
  return sheet.split(/[^A-Za-z]+/).map((w) => w.toUpperCase()).find(isRegisterTypeCode) ?? registerTypeFromText(sheet);
}

function isBlank(cells: readonly SheetCell[]): boolean {
  for (const c of cells) if (!(c === null || (typeof c === 'string' && c.trim() === ''))) return false;
  return true;
}
const cellText = (c: SheetCell | undefined) => (c === null || c === undefined ? '' : String(c));

interface TypeWriter {
  agency: Agency;
  type: RegisterTypeCode;
  dir: string;
  header: string[];
  /** The extra columns this file has, by header. */
  extras: string[];
  /** Each extra header's position (the last, when a header repeats). */
  extraIndex: Map<string, number>;
  part: number;
  writer: XlsSheetWriter;
  rowsInPart: number;
  files: SplitFile[];
}

interface SheetState {
  name: string;
  type?: RegisterTypeCode;
  pending: SheetRow[];
  mapping?: SheetMapping;
  plan?: SheetPlan;
  /** Why the sheet's rows cannot be read, when they cannot. */
  failure?: { code: string; messageVi: string };
  headerCells: SheetCell[];
}

class SplitRun {
  private readonly writers = new Map<string, TypeWriter>();
  private readonly agencies = new Map<string, SplitAgency>();
  /** On a thread of its own: a third of a province's rows can be exceptions. */
  private exceptions: XlsxWriterThread | undefined;
  private exceptionSheet: string | undefined;
  private readonly byReason: Record<string, number> = {};
  inputRows = 0;
  blankRows = 0;
  written = 0;
  exceptionRows = 0;
  private spillCount = 0;

  constructor(private readonly work: string) {}

  private exceptionWriter(sheet: SheetState): XlsxWriterThread {
    this.exceptions ??= createXlsxWriterThread(path.join(this.work, EXCEPTIONS_FILE));
    if (this.exceptionSheet !== sheet.name) {
      this.exceptions.addSheet(sheet.name, [[...EXCEPTION_HEADERS, ...sheet.headerCells.map(cellText)]]);
      this.exceptionSheet = sheet.name;
    }
    return this.exceptions;
  }

  exception(sheet: SheetState, row: SheetRow, code: string, messageVi: string, candidates = ''): void {
    this.exceptionWriter(sheet).addRow([code, messageVi, row.sheet, row.row, candidates, ...row.cells.map((c) => (typeof c === 'boolean' ? String(c) : c))]);
    this.byReason[code] = (this.byReason[code] ?? 0) + 1;
    this.exceptionRows++;
  }

  async drain(): Promise<void> {
    await this.exceptions?.drain();
  }

  /** Ends the exceptions' thread when the split fails; the work folder is cleared by the next attempt. */
  async abort(): Promise<void> {
    await this.exceptions?.destroy();
  }

  private openPart(w: Omit<TypeWriter, 'writer' | 'rowsInPart'> & Partial<Pick<TypeWriter, 'writer' | 'rowsInPart'>>): TypeWriter {
    const writer = new XlsSheetWriter({ sheetName: w.type, header: w.header, spillTo: path.join(this.work, '.spill', String(this.spillCount++)) });
    return Object.assign(w, { writer, rowsInPart: 0 }) as TypeWriter;
  }

  private fileName(type: RegisterTypeCode, part: number): string {
    return `${type} - ${registerType(type).nameVi}${part > 1 ? ` (${part})` : ''}.xls`;
  }

  /** The part's bytes, listed among the writer's files; the caller writes them to the returned path. */
  private finishPart(w: TypeWriter): { file: string; bytes: Buffer } {
    const bytes = w.writer.finish();
    const name = this.fileName(w.type, w.part);
    w.files.push({ path: `${w.dir}/${name}`, registerType: w.type, rows: w.rowsInPart, sha256: createHash('sha256').update(bytes).digest('hex') });
    return { file: path.join(this.work, w.dir, name), bytes };
  }

  place(agency: Agency, type: RegisterTypeCode, sheet: SheetState, cells: Array<string | null>, extras: ReadonlyArray<readonly [string, SheetCell | undefined]>): void {
    const key = `${agency.code}|${type}`;
    let w = this.writers.get(key);
    if (!w) {
      const dir = `${LEVEL_FOLDERS[agency.level]}/${agencyFolderName(agency)}`;
      fs.mkdirSync(path.join(this.work, dir), { recursive: true });
      const extraHeaders = sheet.mapping!.columns.filter((c) => !c.field).map((c) => c.header);
      const extraIndex = new Map(extraHeaders.map((h, i) => [h, i]));
      w = this.openPart({ agency, type, dir, header: splitOutputHeaders(type, [...SPLIT_TRACE_HEADERS, ...extraHeaders, 'Cột khác']), extras: extraHeaders, extraIndex, part: 1, files: [] });
      this.writers.set(key, w);
    }
    if (w.writer.remainingRows === 0) {
      // Synchronous, so placing a row never waits: a part ends once per 65,535 rows.
      const { file, bytes } = this.finishPart(w);
      fs.writeFileSync(file, bytes);
      w.part++;
      this.openPart(w);
    }
    // Unknown columns go under their own header; ones this file's header lacks, into "Cột khác" as JSON.
    const at = cells.length;
    for (let i = 0; i < w.extras.length; i++) cells.push(null);
    let others: Record<string, string> | undefined;
    for (const [header, value] of extras) {
      if (value === null || value === undefined || value === '') continue;
      const i = w.extraIndex.get(header);
      if (i !== undefined) cells[at + i] = cellText(value);
      else (others ??= {})[header] = cellText(value);
    }
    cells.push(others ? JSON.stringify(others) : null);
    w.writer.addRow(cells);
    w.rowsInPart++;
    const a = (this.agencies.get(agency.code) ?? this.agencies.set(agency.code, { code: agency.code, name: agency.name, level: agency.level, folder: w.dir, rows: 0, files: [] }).get(agency.code))!;
    a.rows++;
    this.written++;
  }

  async finish(): Promise<{ agencies: SplitAgency[]; exceptions: SplitManifest['exceptions'] }> {
    // The last parts of a thousand writers: creating a file takes the file system a millisecond
    // or more, so a few are written at once while the next ones are made.
    const writing = new Set<Promise<void>>();
    let failure: { error: unknown } | undefined;
    for (const w of this.writers.values()) {
      if (failure) break;
      const { file, bytes } = this.finishPart(w);
      const done: Promise<void> = fs.promises
        .writeFile(file, bytes)
        .catch((error: unknown) => void (failure ??= { error }))
        .then(() => void writing.delete(done));
      writing.add(done);
      if (writing.size >= FILES_WRITTEN_AT_ONCE) await Promise.race(writing);
    }
    await Promise.all(writing);
    if (failure) throw failure.error;
    for (const w of this.writers.values()) this.agencies.get(w.agency.code)!.files.push(...w.files);
    fs.rmSync(path.join(this.work, '.spill'), { recursive: true, force: true });
    if (!this.exceptions) {
      // An empty exceptions workbook still says "nothing was left out".
      this.exceptions = createXlsxWriterThread(path.join(this.work, EXCEPTIONS_FILE));
      this.exceptions.addSheet('Ngoại lệ', [EXCEPTION_HEADERS]);
    }
    await this.exceptions.close();
    const agencies = [...this.agencies.values()].sort((a, b) => a.level.localeCompare(b.level) || a.code.localeCompare(b.code));
    for (const a of agencies) {
      a.files.sort((x, y) => x.path.localeCompare(y.path));
      await fs.promises.writeFile(path.join(this.work, a.folder, MANIFEST_FILE), `${JSON.stringify(a, null, 2)}\n`);
    }
    const exceptionsSha = (await sha256OfFile(path.join(this.work, EXCEPTIONS_FILE))).sha256;
    return { agencies, exceptions: { path: EXCEPTIONS_FILE, rows: this.exceptionRows, byReason: this.byReason, sha256: exceptionsSha } };
  }
}

const unitLabels = new WeakMap<Unit, string>();

/** "00004 - Phường Ba Đình": how a unit is named in the output, made once per unit. */
function unitLabel(unit: Unit): string {
  let label = unitLabels.get(unit);
  if (label === undefined) unitLabels.set(unit, (label = `${unit.code} - ${unit.name}`));
  return label;
}

const candidateLists = new WeakMap<RoutingResult, string>();

/** The units a row could belong to, as the exceptions list them; the same for every row with that answer. */
function candidatesOf(routed: Extract<RoutingResult, { ok: false }>): string {
  let list = candidateLists.get(routed);
  if (list === undefined) candidateLists.set(routed, (list = (routed.candidates ?? []).map(unitLabel).join('; ')));
  return list;
}

function traceNote(parsed: ParsedFields, successorApplied: boolean): string {
  const notes: string[] = [];
  if (successorApplied) notes.push('Chuyển về cơ quan kế thừa đơn vị đăng ký');
  for (const r of parsed.repaired) notes.push(`Đã chuyển mã ${r.encoding === 'tcvn3' ? 'TCVN3' : 'VNI'} sang Unicode ở ${r.field} (gốc: ${r.original})`);
  if (parsed.restoredZeros.length) notes.push(`Đã khôi phục số 0 đầu ở ${parsed.restoredZeros.join(', ')}`);
  for (const p of parsed.problems) notes.push(`${p.code}: ${p.messageVi}`);
  return notes.join('; ');
}

export async function splitExport(opts: SplitOptions): Promise<SplitManifest> {
  const profile = opts.profile ?? SHIPPED_PROFILES['c06-default']!;
  const rules = opts.rules ?? DEFAULT_ROUTING_RULES;
  const inputSha = (await sha256OfFile(opts.input)).sha256;
  const target = path.resolve(opts.outDir);
  const existing = path.join(target, MANIFEST_FILE);
  if (fs.existsSync(existing)) {
    const manifest = JSON.parse(fs.readFileSync(existing, 'utf8')) as SplitManifest;
    if (manifest.input.sha256 === inputSha && manifest.profile === profile.id && manifest.province === opts.provinceCode) return manifest;
    throw SplitOutputExists({ dir: opts.outDir });
  }
  if (fs.existsSync(target) && fs.readdirSync(target).length > 0) throw SplitOutputExists({ dir: opts.outDir });
  const work = path.join(path.dirname(target), `.${path.basename(target)}.partial`);
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(path.join(work, '.spill'), { recursive: true });

  const run = new SplitRun(work);
  let sheet: SheetState | undefined;
  let read = 0;
  const scanRows = profile.headerRow.mode === 'find' ? profile.headerRow.scanRows : profile.headerRow.mode === 'row' ? profile.headerRow.row : 1;

  const route = createRouter(rules);
  const dataRow = (s: SheetState, row: SheetRow): void => {
    if (isBlank(row.cells)) {
      run.blankRows++;
      return;
    }
    run.inputRows++;
    if (s.failure) return run.exception(s, row, s.failure.code, s.failure.messageVi);
    const plan = s.plan!;
    const routed = route(routingInputOf(routingValues(plan, row.cells), opts.provinceCode));
    if (!routed.ok) return run.exception(s, row, routed.reason, routed.messageVi, candidatesOf(routed));
    const parsed = parseFields(plan, row.cells);
    const cells: Array<string | null> = outputCells(plan, row.cells, parsed);
    cells.push(unitLabel(routed.registeringUnit), traceNote(parsed, routed.successorApplied), `${row.sheet}!${row.row}`);
    run.place(routed.agency, s.type!, s, cells, extraCells(plan, row.cells));
  };

  const startSheet = (s: SheetState): number => {
    // The header is found among the first rows; what is above it is a title, not data.
    const rows = s.pending.map((r) => r.cells);
    s.pending = [];
    const type = registerTypeOfSheet(profile, s.name);
    let header = -1;
    if (!type) s.failure = { code: 'PROFILE_REGISTER_TYPE_UNKNOWN', messageVi: `Không xác định được loại sổ của trang "${s.name}".` };
    else {
      s.type = type;
      try {
        header = findHeaderRow(rows, profile, s.name, type);
        s.headerCells = rows[header] ?? [];
        s.mapping = compileSheetMapping(s.headerCells, profile, s.name, type);
        s.plan = compileSheetPlan(s.mapping, type);
      } catch (e) {
        if (!isAppError(e)) throw e;
        s.failure = { code: e.code, messageVi: e.messageVi };
        header = -1;
      }
    }
    return header;
  };

  const flushPending = (s: SheetState, all: SheetRow[]) => {
    const header = startSheet(s);
    for (const r of all.slice(header + 1)) dataRow(s, r);
  };

  let finished: Awaited<ReturnType<SplitRun['finish']>>;
  try {
    for await (const batch of readRowBatchesInThread(opts.input)) {
      for (const row of batch) {
        if (!sheet || sheet.name !== row.sheet) {
          if (sheet && !sheet.mapping && !sheet.failure) flushPending(sheet, sheet.pending);
          sheet = { name: row.sheet, pending: [], headerCells: [] };
        }
        if (!sheet.mapping && !sheet.failure) {
          sheet.pending.push(row);
          if (sheet.pending.length >= scanRows) flushPending(sheet, sheet.pending);
        } else dataRow(sheet, row);
        if (++read % PROGRESS_EVERY === 0) opts.onProgress?.(read);
      }
      // Once per batch: the exceptions workbook's stream catches up before more rows come.
      await run.drain();
    }
    if (sheet && !sheet.mapping && !sheet.failure) flushPending(sheet, sheet.pending);
    opts.onProgress?.(read);

    finished = await run.finish();
  } catch (e) {
    await run.abort();
    throw e;
  }
  const { agencies, exceptions } = finished;
  if (run.inputRows !== run.written + run.exceptionRows) throw SplitRowsNotConserved({ input: run.inputRows, written: run.written, exceptions: run.exceptionRows });
  const manifest: SplitManifest = {
    version: 1,
    province: opts.provinceCode,
    profile: profile.id,
    input: { name: path.basename(opts.input), sha256: inputSha, rows: run.inputRows, blankRows: run.blankRows },
    rowsWritten: run.written,
    exceptionRows: run.exceptionRows,
    agencies,
    exceptions,
  };
  await fs.promises.writeFile(path.join(work, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  if (fs.existsSync(target)) fs.rmdirSync(target);
  fs.renameSync(work, target);
  return manifest;
}
