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
import { defineError, isAppError, type AppError } from '../../domain/errors';
import { sha256OfFile } from '../files/hashing';
import type { ImportProfile } from '../../domain/profiles/profile-schema';
import { BOOK_YEAR_FROM_DATE_VI, BOOK_YEAR_UNKNOWN, yearOfDate } from '../../domain/profiles/book-year';
import { CellNotConserved, isBlankCell, isBlankRow } from '../../domain/profiles/cell-conservation';
import { compileSheetMapping, findHeaderRow, HeaderNotFound, RegisterTypeUnknown, registerTypeFromText, RowRegisterTypeUnknown, sheetRegisterType, type SheetMapping } from '../../domain/profiles/sheet-mapping';
import { SHIPPED_PROFILES, splitOutputHeaders } from '../../domain/profiles/shipped';
import { isRegisterTypeCode, registerType, type RegisterTypeCode } from '../../domain/registers/register-types';
import { legacyEncodingName } from '../../domain/text/legacy-encoding';
import type { Unit } from '../../domain/units/catalog';
import type { CustodianDecision, DecisionNeeded } from '../../domain/runs/custodians';
import { agencyFolderName, agencyOf, createRouter, DEFAULT_ROUTING_RULES, routingInputOf, type Agency, type RoutingResult, type RoutingRules } from '../../domain/units/routing';
import type { SheetCell, SheetRow } from '../../formats/tabular/read-rows';
import type { RecordValues } from '../../domain/registers/validate-record';
import { readRowBatchesInThread } from '../../formats/tabular/read-rows-thread';
import { XlsSheetWriter } from '../../formats/xls/xls-sheet-writer';
import { createXlsxWriterThread, type XlsxWriterThread } from '../../formats/xlsx/xlsx-writer-thread';
import {
  appendExtras,
  checkCells,
  compileRowLayout,
  compileSheetPlan,
  outputCells,
  parseFields,
  routingValues,
  type CellTally,
  type ParsedFields,
  type RowLayout,
  type SheetPlan,
} from './split-row';

/** Columns the split adds after the fields: where the row came from and what was done to it. */
export const SPLIT_TRACE_HEADERS = ['Đơn vị đăng ký gốc', 'Ghi chú khi tách', 'Dòng gốc'] as const;
export const LEVEL_FOLDERS = { district: 'Cấp huyện', commune: 'Cấp xã' } as const;
export const EXCEPTIONS_FILE = 'Ngoại lệ - dòng chưa xếp được.xlsx';
export const MANIFEST_FILE = 'manifest.json';
/**
 * The exceptions workbook's columns before the row as it came. The coordinator may fill
 * "Mã cơ quan nhận" with the agency a row goes to and upload the workbook back (placements).
 */
export const EXCEPTION_HEADERS = ['Mã lý do', 'Lý do', 'Trang gốc', 'Dòng gốc', 'Đơn vị có thể là', 'Mã cơ quan nhận'] as const;
export const PLACEMENT_COLUMN = EXCEPTION_HEADERS.indexOf('Mã cơ quan nhận');
/** The exceptions workbook's last sheet: which package its rows came from, checked when it comes back. */
export const EXCEPTIONS_INFO_SHEET = 'Thông tin';
export const EXCEPTIONS_INFO_SHA_LABEL = 'SHA-256 của gói dữ liệu';

export const SplitRowsNotConserved = defineError<{ input: number; written: number; exceptions: number }>(
  'SPLIT_ROWS_NOT_CONSERVED',
  'integrity',
  (p) => `row conservation broken: ${p.input} input rows, ${p.written} written + ${p.exceptions} exceptions`,
  (p) => `Sai lệch số dòng: đầu vào ${p.input} dòng, nhưng đã ghi ${p.written} dòng và ${p.exceptions} dòng ngoại lệ. Kết quả tách không được dùng.`,
);

export const SplitCellsNotConserved = defineError<{ input: number; written: number; exceptions: number }>(
  'SPLIT_CELLS_NOT_CONSERVED',
  'integrity',
  (p) => `cell conservation broken: ${p.input} non-blank input cells, ${p.written} written + ${p.exceptions} in exceptions`,
  (p) =>
    `Sai lệch số ô dữ liệu: đầu vào có ${p.input} ô có dữ liệu, nhưng các tệp đã tách giữ ${p.written} ô và tệp ngoại lệ ${p.exceptions} ô. Kết quả tách không được dùng.`,
);

export const SplitOutputExists = defineError<{ dir: string }>(
  'SPLIT_OUTPUT_EXISTS',
  'conflict',
  (p) => `${p.dir} already holds another split`,
  (p) => `Thư mục ${p.dir} đã chứa kết quả tách của một tệp khác; chọn thư mục khác.`,
);

/**
 * Non-blank cells of the input rows (`in`) and of what was written for them (`out`): each row
 * is written only when every cell it was read with arrived, so the two agree, or the split fails.
 */
export interface CellCount {
  in: number;
  out: number;
}

export interface SplitFile {
  /** Relative to the output folder, with "/" separators. */
  path: string;
  registerType: RegisterTypeCode;
  /** A file of rows placed by the coordinator: the books of a former unit kept by this agency, or rows placed by hand. */
  placedBy?: { custodianOf: string } | { hand: true };
  rows: number;
  cells: CellCount;
  sha256: string;
}

export interface SplitAgency {
  code: string;
  name: string;
  level: Agency['level'];
  folder: string;
  rows: number;
  cells: CellCount;
  files: SplitFile[];
}

/** A sheet none of whose rows could be read (no header, a required column missing, no register type): every row is an exception. */
export interface RefusedSheet {
  sheet: string;
  code: string;
  messageVi: string;
  rows: number;
}

/** A custodian decision as the split applied it. */
export interface AppliedCustodian extends CustodianDecision {
  rows: number;
}

export interface SplitManifest {
  version: 1;
  province: string;
  profile: string;
  /** The register type given for sheets that do not say theirs (`--register-type`). */
  registerType?: RegisterTypeCode;
  input: { name: string; sha256: string; rows: number; blankRows: number };
  rowsWritten: number;
  exceptionRows: number;
  /** Non-blank cells read; written out = into the agencies' files + into the exceptions, kept as received. */
  cells: CellCount & { written: number; exceptions: number };
  refusedSheets: RefusedSheet[];
  agencies: SplitAgency[];
  exceptions: {
    path: string;
    rows: number;
    cells: number;
    byReason: Record<string, number>;
    /**
     * Each reason code's Vietnamese wordings with their rows, most rows first (a code's wording can
     * name a column, a sheet or the value written): what the coordinator reads beside the code.
     * At most WORDINGS_PER_REASON a code; rows of others are the code's count less these.
     */
    wordings?: Record<string, Array<{ messageVi: string; rows: number }>>;
    sha256: string;
  };
  /** Former units whose rows wait for the coordinator to name their custodian (none decided yet in this list's counts). */
  decisionsNeeded: DecisionNeeded[];
  /** The coordinator's custodian decisions applied, with the rows each placed. */
  custodians?: AppliedCustodian[];
  /** Exception rows placed by hand: how many, and the rows asked for that stayed exceptions. */
  placements?: { placed: number; refused: number };
}

export interface SplitOptions {
  provinceCode: string;
  input: string;
  outDir: string;
  profile?: ImportProfile;
  rules?: RoutingRules;
  /**
   * The register type of a sheet (or CSV) whose name does not say it and that has no
   * "Loại sổ" column (or, in that column, for rows that leave it blank).
   */
  registerType?: RegisterTypeCode;
  /** Rows read so far; called every few thousand rows and at the end. */
  onProgress?: (rows: number) => void;
}

const PROGRESS_EVERY = 5000;
/** Distinct wordings of one reason code the manifest lists; a code worded by a value written can have thousands. */
export const WORDINGS_PER_REASON = 20;
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

const cellText = (c: SheetCell | undefined) => (c === null || c === undefined ? '' : String(c));

function nonBlankCells(cells: readonly SheetCell[]): number {
  let n = 0;
  for (const c of cells) if (!isBlankCell(c)) n++;
  return n;
}

/** What `make` returns, or the coded reason it refused. */
function refusalOr<T extends object>(make: () => T): T | Refusal {
  try {
    return make();
  } catch (e) {
    if (!isAppError(e)) throw e;
    return { code: e.code, messageVi: e.messageVi, params: e.params };
  }
}

/** Rows the coordinator placed go into files of their own in the agency's folder, named for why. */
export interface FileTag {
  /** Added to the file's name: "00127 - Xã Tiên Dương (cũ)", "xếp tay". */
  label: string;
  placedBy: NonNullable<SplitFile['placedBy']>;
}

interface TypeWriter {
  agency: Agency;
  type: RegisterTypeCode;
  tag?: FileTag;
  dir: string;
  header: string[];
  /** The unknown columns this file has, by header: those of the sheet that opened it. */
  extras: string[];
  /** Where each plan's input columns go in this file's rows. */
  layouts: Map<SheetPlan, RowLayout>;
  part: number;
  writer: XlsSheetWriter;
  rowsInPart: number;
  cellsInPart: CellCount;
  files: SplitFile[];
}

/** Why rows cannot be read: an error's code, message and parameters (the message can be made again from the other two). */
type Refusal = { code: string; messageVi: string; params: object };

export interface SheetState {
  name: string;
  pending: SheetRow[];
  /** Set once the header is settled. */
  started: boolean;
  mapping?: SheetMapping;
  /** The sheet's plan when its name, or the type given, says its type. */
  plan?: SheetPlan;
  /** Otherwise, the "Loại sổ" column each row's type is read from, and a plan per type (or why that type is refused). */
  typeColumn?: number;
  plans?: Map<RegisterTypeCode, SheetPlan | Refusal>;
  /** Why none of the sheet's rows can be read, when none can; and how many went to the exceptions so. */
  failure?: Refusal;
  refusedRows: number;
  headerCells: SheetCell[];
}

/** A former unit's rows waiting for a custodian decision, as counted while splitting. */
interface PendingUnit {
  unit: Unit;
  reason: DecisionNeeded['reason'];
  candidates: Unit[];
  rows: number;
  books: Map<RegisterTypeCode, { rows: number; books: Set<string> }>;
}

export class SplitRun {
  private readonly writers = new Map<string, TypeWriter>();
  private readonly agencies = new Map<string, SplitAgency>();
  /** Layouts of plans in files not yet opened: such a file takes the plan's own unknown columns. */
  private readonly firstLayouts = new Map<SheetPlan, RowLayout>();
  /** On a thread of its own: a third of a province's rows can be exceptions. */
  private exceptions: XlsxWriterThread | undefined;
  private exceptionSheet: string | undefined;
  private readonly byReason: Record<string, number> = {};
  private readonly wordings = new Map<string, Map<string, number>>();
  private readonly tally: CellTally = { in: 0, out: 0, lost: -1 };
  inputRows = 0;
  blankRows = 0;
  written = 0;
  exceptionRows = 0;
  readonly cells = { in: 0, written: 0, exceptions: 0 };
  private spillCount = 0;
  private readonly pendingUnits = new Map<string, PendingUnit>();

  /** `input`: the package's name and SHA-256, written in the exceptions workbook's last sheet. */
  constructor(
    private readonly work: string,
    private readonly input: { name: string; sha256: string },
  ) {}

  private exceptionWriter(sheet: SheetState): XlsxWriterThread {
    this.exceptions ??= createXlsxWriterThread(path.join(this.work, EXCEPTIONS_FILE));
    if (this.exceptionSheet !== sheet.name) {
      this.exceptions.addSheet(sheet.name, [[...EXCEPTION_HEADERS, ...sheet.headerCells.map(cellText)]]);
      this.exceptionSheet = sheet.name;
    }
    return this.exceptions;
  }

  /** The row as it was received, with why it is here; every cell of it is kept. */
  exception(sheet: SheetState, row: SheetRow, code: string, messageVi: string, candidates = ''): void {
    const out: Array<string | number | null> = [code, messageVi, row.sheet, row.row, candidates, null];
    for (const c of row.cells) {
      out.push(typeof c === 'boolean' ? String(c) : c);
      if (!isBlankCell(c)) this.cells.exceptions++;
    }
    this.exceptionWriter(sheet).addRow(out);
    this.countReason(code, messageVi);
  }

  /** An exception row carried over from an earlier exceptions workbook as it stands there (its placement cell emptied). */
  keepException(sheet: SheetState, prefix: readonly SheetCell[], row: SheetRow): void {
    const out: Array<string | number | null> = EXCEPTION_HEADERS.map((_, i) => (i === PLACEMENT_COLUMN ? null : (prefix[i] as string | number | null) ?? null));
    for (const c of row.cells) {
      out.push(typeof c === 'boolean' ? String(c) : c);
      if (!isBlankCell(c)) this.cells.exceptions++;
    }
    this.exceptionWriter(sheet).addRow(out);
    this.countReason(cellText(prefix[0]), cellText(prefix[1]));
  }

  private countReason(code: string, messageVi: string): void {
    this.byReason[code] = (this.byReason[code] ?? 0) + 1;
    let wordings = this.wordings.get(code);
    if (!wordings) this.wordings.set(code, (wordings = new Map()));
    if (wordings.has(messageVi) || wordings.size < WORDINGS_PER_REASON) wordings.set(messageVi, (wordings.get(messageVi) ?? 0) + 1);
    this.exceptionRows++;
  }

  /** Counts a row of a former unit that waits for its custodian: rows and books per register type. */
  pending(unit: Unit, reason: DecisionNeeded['reason'], candidates: Unit[], type: RegisterTypeCode, book: string): void {
    let p = this.pendingUnits.get(unit.code);
    if (!p) this.pendingUnits.set(unit.code, (p = { unit, reason, candidates, rows: 0, books: new Map() }));
    p.rows++;
    let t = p.books.get(type);
    if (!t) p.books.set(type, (t = { rows: 0, books: new Set() }));
    t.rows++;
    t.books.add(book);
  }

  decisionsNeeded(): DecisionNeeded[] {
    return [...this.pendingUnits.values()]
      .sort((a, b) => a.unit.code.length - b.unit.code.length || a.unit.code.localeCompare(b.unit.code))
      .map((p) => ({
        unitCode: p.unit.code,
        unitName: p.unit.name,
        level: p.unit.level === 'district' ? 'district' : 'commune',
        reason: p.reason,
        rows: p.rows,
        registers: Object.fromEntries([...p.books].map(([type, t]) => [type, { rows: t.rows, books: t.books.size }])),
        candidates: p.candidates.map((u) => ({ code: u.code, name: agencyOf(u).name })),
        ...(p.unit.level === 'district' ? { seatKnown: false as const } : {}),
      }));
  }

  async drain(): Promise<void> {
    await this.exceptions?.drain();
  }

  /** Ends the exceptions' thread when the split fails; the work folder is cleared by the next attempt. */
  async abort(): Promise<void> {
    await this.exceptions?.destroy();
  }

  private openPart(w: Omit<TypeWriter, 'writer' | 'rowsInPart' | 'cellsInPart'> & Partial<Pick<TypeWriter, 'writer' | 'rowsInPart' | 'cellsInPart'>>): TypeWriter {
    const writer = new XlsSheetWriter({ sheetName: w.type, header: w.header, spillTo: path.join(this.work, '.spill', String(this.spillCount++)) });
    return Object.assign(w, { writer, rowsInPart: 0, cellsInPart: { in: 0, out: 0 } }) as TypeWriter;
  }

  private fileName(w: TypeWriter): string {
    const name = `${w.type} - ${registerType(w.type).nameVi}${w.tag ? ` - ${w.tag.label}` : ''}`.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_');
    return `${name}${w.part > 1 ? ` (${w.part})` : ''}.xls`;
  }

  /** The part's bytes, listed among the writer's files; the caller writes them to the returned path. */
  private finishPart(w: TypeWriter): { file: string; bytes: Buffer } {
    const bytes = w.writer.finish();
    const name = this.fileName(w);
    w.files.push({
      path: `${w.dir}/${name}`,
      registerType: w.type,
      ...(w.tag ? { placedBy: w.tag.placedBy } : {}),
      rows: w.rowsInPart,
      cells: w.cellsInPart,
      sha256: createHash('sha256').update(bytes).digest('hex'),
    });
    return { file: path.join(this.work, w.dir, name), bytes };
  }

  private layoutOf(w: TypeWriter | undefined, plan: SheetPlan): RowLayout {
    const known = w ? w.layouts.get(plan) : this.firstLayouts.get(plan);
    if (known) return known;
    const layout = compileRowLayout(plan, SPLIT_TRACE_HEADERS.length, w ? w.extras : plan.extras.map((e) => e.header));
    if (w) w.layouts.set(plan, layout);
    else this.firstLayouts.set(plan, layout);
    return layout;
  }

  private openWriter(agency: Agency, plan: SheetPlan, layout: RowLayout, tag: FileTag | undefined): TypeWriter {
    const dir = `${LEVEL_FOLDERS[agency.level]}/${agencyFolderName(agency)}`;
    fs.mkdirSync(path.join(this.work, dir), { recursive: true });
    const extras = plan.extras.map((e) => e.header);
    const header = splitOutputHeaders(plan.type, [...SPLIT_TRACE_HEADERS, ...extras, 'Cột khác']);
    return this.openPart({ agency, type: plan.type, ...(tag ? { tag } : {}), dir, header, extras, layouts: new Map([[plan, layout]]), part: 1, files: [] });
  }

  /**
   * Writes a routed row into its agency's file: `cells` holds its fields and trace columns, and
   * its unknown columns are added here. The row is first checked against the row as read; one
   * that would lose a cell goes to the exceptions instead, whole, and the error it went with is
   * returned (nothing when the row was written).
   */
  place(agency: Agency, plan: SheetPlan, sheet: SheetState, row: SheetRow, cells: Array<string | null>, tag?: FileTag): AppError<{ column: number; header: string }> | undefined {
    const key = `${agency.code}|${plan.type}|${tag?.label ?? ''}`;
    let w = this.writers.get(key);
    const layout = this.layoutOf(w, plan);
    const others = appendExtras(layout, plan, row.cells, cells);
    const tally = this.tally;
    checkCells(layout, row.cells, cells, others, tally);
    if (tally.lost >= 0) {
      const lost = CellNotConserved({ column: tally.lost, header: tally.lost < plan.width ? cellText(sheet.headerCells[tally.lost]).trim() : '' });
      this.exception(sheet, row, lost.code, lost.messageVi);
      return lost;
    }
    if (!w) this.writers.set(key, (w = this.openWriter(agency, plan, layout, tag)));
    if (w.writer.remainingRows === 0) {
      // Synchronous, so placing a row never waits: a part ends once per 65,535 rows.
      const { file, bytes } = this.finishPart(w);
      fs.writeFileSync(file, bytes);
      w.part++;
      this.openPart(w);
    }
    w.writer.addRow(cells);
    w.rowsInPart++;
    w.cellsInPart.in += tally.in;
    w.cellsInPart.out += tally.out;
    this.cells.written += tally.out;
    const a = (this.agencies.get(agency.code) ?? this.agencies.set(agency.code, { code: agency.code, name: agency.name, level: agency.level, folder: w.dir, rows: 0, cells: { in: 0, out: 0 }, files: [] }).get(agency.code))!;
    a.rows++;
    a.cells.in += tally.in;
    a.cells.out += tally.out;
    this.written++;
    return undefined;
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
    this.exceptions.addSheet(EXCEPTIONS_INFO_SHEET, [
      ['Tệp dữ liệu gốc', this.input.name],
      [EXCEPTIONS_INFO_SHA_LABEL, this.input.sha256],
      [
        'Cách xếp tay',
        'Điền mã cơ quan nhận (mã xã/phường hiện hành) vào cột "Mã cơ quan nhận" của những dòng xếp được, giữ nguyên mọi cột khác và trang này, rồi tải tệp lên lại. Dòng của xã bị chia hoặc huyện không còn được xếp theo quyết định cơ quan lưu giữ, không xếp tay.',
      ],
    ]);
    await this.exceptions.close();
    const agencies = [...this.agencies.values()].sort((a, b) => a.level.localeCompare(b.level) || a.code.localeCompare(b.code));
    for (const a of agencies) {
      a.files.sort((x, y) => x.path.localeCompare(y.path));
      await fs.promises.writeFile(path.join(this.work, a.folder, MANIFEST_FILE), `${JSON.stringify(a, null, 2)}\n`);
    }
    const exceptionsSha = (await sha256OfFile(path.join(this.work, EXCEPTIONS_FILE))).sha256;
    const wordings = Object.fromEntries(
      [...this.wordings].map(([code, w]) => [code, [...w].map(([messageVi, rows]) => ({ messageVi, rows })).sort((a, b) => b.rows - a.rows || a.messageVi.localeCompare(b.messageVi))]),
    );
    return { agencies, exceptions: { path: EXCEPTIONS_FILE, rows: this.exceptionRows, cells: this.cells.exceptions, byReason: this.byReason, wordings, sha256: exceptionsSha } };
  }
}

const unitLabels = new WeakMap<Unit, string>();

/** "00004 - Phường Ba Đình": how a unit is named in the output, made once per unit. */
export function unitLabel(unit: Unit): string {
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

function traceNote(parsed: ParsedFields, successorApplied: boolean, bookYearFromDate: boolean, placed: string | undefined): string {
  const notes: string[] = [];
  if (placed) notes.push(placed);
  else if (successorApplied) notes.push('Chuyển về cơ quan kế thừa đơn vị đăng ký');
  if (bookYearFromDate) notes.push(BOOK_YEAR_FROM_DATE_VI);
  for (const r of parsed.repaired) notes.push(`Đã chuyển mã ${legacyEncodingName(r.encoding)} sang Unicode ở ${r.field} (gốc: ${r.original})`);
  if (parsed.restoredZeros.length) notes.push(`Đã khôi phục số 0 đầu ở ${parsed.restoredZeros.join(', ')}`);
  for (const p of parsed.problems) notes.push(`${p.code}: ${p.messageVi}`);
  return notes.join('; ');
}

/** What becomes of one data row: written into an agency's file, or an exception with its reason. */
export type RowOutcome =
  | { kind: 'place'; agency: Agency; plan: SheetPlan; routed: Extract<RoutingResult, { ok: true }> | undefined; values: RecordValues; bookYear: number | undefined }
  | { kind: 'refuse'; code: string; messageVi: string; params?: object; candidates: string; plan?: SheetPlan; routed?: Extract<RoutingResult, { ok: false }>; values?: RecordValues; bookYear?: number };

/**
 * How a split reads sheets: settles each sheet's header among its first rows, gives each row
 * its plan, and routes it. The split uses it on the export; the coordinator's decisions use it
 * again on the exceptions' rows, so a row is read the same way both times.
 */
export function createSheetReader(profile: ImportProfile, registerTypeGiven: RegisterTypeCode | undefined, route: (input: ReturnType<typeof routingInputOf>) => RoutingResult, provinceCode: string) {
  /** The plan of a row: its sheet's, or, in a sheet whose rows carry their type, that type's. */
  const planOf = (s: SheetState, row: SheetRow): SheetPlan | Refusal => {
    if (s.plan) return s.plan;
    const cell = row.cells[s.typeColumn!];
    const type = isBlankCell(cell) ? registerTypeGiven : registerTypeFromText(cellText(cell));
    if (!type) return RowRegisterTypeUnknown({ value: isBlankCell(cell) ? '' : cellText(cell).trim() });
    let plan = s.plans!.get(type);
    if (!plan) s.plans!.set(type, (plan = refusalOr(() => compileSheetPlan(s.mapping!, type, profile, s.name, s.headerCells.length))));
    return plan;
  };

  return {
    /**
     * Settles a sheet's header among its first rows and how its rows are read; returns the
     * header's index. What is above the header is a title and the header is no data, whatever
     * the sheet lacks: when no header is recognised, the first row that is not blank is taken
     * for it (a CSV's header line), and the rows below go to the exceptions with the reason.
     */
    startSheet(s: SheetState, rows: SheetCell[][]): number {
      s.started = true;
      const named = registerTypeOfSheet(profile, s.name);
      let header: number;
      try {
        header = findHeaderRow(rows, profile, s.name, named);
      } catch (e) {
        if (!(isAppError(e) && e.code === HeaderNotFound.code)) throw e;
        s.failure = { code: e.code, messageVi: e.messageVi, params: e.params };
        header = rows.findIndex((r) => !isBlankRow(r));
        s.headerCells = rows[header] ?? [];
        return header;
      }
      s.headerCells = rows[header] ?? [];
      const refused = refusalOr(() => {
        const width = s.headerCells.length;
        if (named) return (s.plan = compileSheetPlan((s.mapping = compileSheetMapping(s.headerCells, profile, s.name, named)), named, profile, s.name, width));
        // The name says nothing: a "Loại sổ" column says each row's type, else the type given.
        s.mapping = compileSheetMapping(s.headerCells, profile, s.name);
        s.typeColumn = s.mapping.columns.find((c) => c.field?.key === 'registerType')?.index;
        if (s.typeColumn !== undefined) return (s.plans = new Map());
        if (!registerTypeGiven) throw RegisterTypeUnknown({ sheet: s.name });
        return (s.plan = compileSheetPlan(s.mapping, registerTypeGiven, profile, s.name, width));
      });
      if ('code' in refused) s.failure = refused;
      return header;
    },

    /** Where a data row goes, read only as far as routing needs. */
    classify(s: SheetState, row: SheetRow): RowOutcome {
      if (s.failure) return { kind: 'refuse', ...s.failure, candidates: '' };
      const plan = planOf(s, row);
      if (!('type' in plan)) return { kind: 'refuse', code: plan.code, messageVi: plan.messageVi, params: plan.params, candidates: '' };
      const values = routingValues(plan, row.cells);
      // A row of no book cannot be placed, whatever its unit.
      const bookYear = plan.bookYearFromDate ? yearOfDate(values.registrationDate) : undefined;
      if (plan.bookYearFromDate && bookYear === undefined) return { kind: 'refuse', code: BOOK_YEAR_UNKNOWN.code, messageVi: BOOK_YEAR_UNKNOWN.messageVi, candidates: '', plan, values };
      const routed = route(routingInputOf(values, provinceCode));
      if (!routed.ok) return { kind: 'refuse', code: routed.reason, messageVi: routed.messageVi, candidates: candidatesOf(routed), plan, routed, values, bookYear };
      return { kind: 'place', agency: routed.agency, plan, routed, values, bookYear };
    },
  };
}

/** The cells written for a placed row: its fields, then the trace columns (the unknown columns are added by `place`). */
export function placedCells(plan: SheetPlan, row: SheetRow, bookYear: number | undefined, unit: string, successorApplied: boolean, placed?: string): Array<string | null> {
  const parsed = parseFields(plan, row.cells);
  const cells = outputCells(plan, row.cells, parsed, bookYear);
  cells.push(unit, traceNote(parsed, successorApplied, bookYear !== undefined, placed), `${row.sheet}!${row.row}`);
  return cells;
}

/** A book of a row as counted in `decisionsNeeded`: its year and number as written. */
export function bookOf(plan: SheetPlan, row: SheetRow, values: RecordValues, bookYear: number | undefined): string {
  const number = plan.fields.find((f) => f.field.key === 'bookNumber');
  return `${bookYear ?? values.bookYear ?? ''}|${number ? cellText(row.cells[number.col]).trim() : ''}`;
}

export const newSheet = (name: string): SheetState => ({ name, pending: [], started: false, refusedRows: 0, headerCells: [] });

export async function splitExport(opts: SplitOptions): Promise<SplitManifest> {
  const profile = opts.profile ?? SHIPPED_PROFILES['c06-default']!;
  const rules = opts.rules ?? DEFAULT_ROUTING_RULES;
  const inputSha = (await sha256OfFile(opts.input)).sha256;
  const target = path.resolve(opts.outDir);
  const existing = path.join(target, MANIFEST_FILE);
  if (fs.existsSync(existing)) {
    const manifest = JSON.parse(fs.readFileSync(existing, 'utf8')) as SplitManifest;
    if (manifest.input.sha256 === inputSha && manifest.profile === profile.id && manifest.province === opts.provinceCode && manifest.registerType === opts.registerType) return manifest;
    throw SplitOutputExists({ dir: opts.outDir });
  }
  if (fs.existsSync(target) && fs.readdirSync(target).length > 0) throw SplitOutputExists({ dir: opts.outDir });
  const work = path.join(path.dirname(target), `.${path.basename(target)}.partial`);
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(path.join(work, '.spill'), { recursive: true });

  const run = new SplitRun(work, { name: path.basename(opts.input), sha256: inputSha });
  const sheets: SheetState[] = [];
  let sheet: SheetState | undefined;
  let read = 0;
  const scanRows = profile.headerRow.mode === 'find' ? profile.headerRow.scanRows : profile.headerRow.mode === 'row' ? profile.headerRow.row : 1;
  const reader = createSheetReader(profile, opts.registerType, createRouter(rules), opts.provinceCode);

  const dataRow = (s: SheetState, row: SheetRow): void => {
    const cellsIn = nonBlankCells(row.cells);
    if (cellsIn === 0) {
      run.blankRows++;
      return;
    }
    run.inputRows++;
    run.cells.in += cellsIn;
    if (s.failure) s.refusedRows++;
    const outcome = reader.classify(s, row);
    if (outcome.kind === 'refuse') {
      const pending = outcome.routed?.pending;
      if (pending) run.pending(pending.unit, outcome.code as DecisionNeeded['reason'], outcome.routed!.candidates ?? [], outcome.plan!.type, bookOf(outcome.plan!, row, outcome.values!, outcome.bookYear));
      return run.exception(s, row, outcome.code, outcome.messageVi, outcome.candidates);
    }
    const { routed } = outcome;
    run.place(outcome.agency, outcome.plan, s, row, placedCells(outcome.plan, row, outcome.bookYear, unitLabel(routed!.registeringUnit), routed!.successorApplied));
  };

  const flushPending = (s: SheetState) => {
    const rows = s.pending;
    s.pending = [];
    const header = reader.startSheet(s, rows.map((r) => r.cells));
    for (const r of rows.slice(header + 1)) dataRow(s, r);
  };

  let finished: Awaited<ReturnType<SplitRun['finish']>>;
  try {
    for await (const batch of readRowBatchesInThread(opts.input)) {
      for (const row of batch) {
        if (!sheet || sheet.name !== row.sheet) {
          if (sheet && !sheet.started) flushPending(sheet);
          sheets.push((sheet = newSheet(row.sheet)));
        }
        if (!sheet.started) {
          sheet.pending.push(row);
          if (sheet.pending.length >= scanRows) flushPending(sheet);
        } else dataRow(sheet, row);
        if (++read % PROGRESS_EVERY === 0) opts.onProgress?.(read);
      }
      // Once per batch: the exceptions workbook's stream catches up before more rows come.
      await run.drain();
    }
    if (sheet && !sheet.started) flushPending(sheet);
    opts.onProgress?.(read);

    finished = await run.finish();
  } catch (e) {
    // A refused input leaves nothing behind: the half-written folder beside the output went with it.
    await run.abort();
    fs.rmSync(work, { recursive: true, force: true });
    throw e;
  }
  const { agencies, exceptions } = finished;
  if (run.inputRows !== run.written + run.exceptionRows) throw SplitRowsNotConserved({ input: run.inputRows, written: run.written, exceptions: run.exceptionRows });
  const cellsOut = run.cells.written + run.cells.exceptions;
  if (run.cells.in !== cellsOut) throw SplitCellsNotConserved({ input: run.cells.in, written: run.cells.written, exceptions: run.cells.exceptions });
  const manifest: SplitManifest = {
    version: 1,
    province: opts.provinceCode,
    profile: profile.id,
    ...(opts.registerType ? { registerType: opts.registerType } : {}),
    input: { name: path.basename(opts.input), sha256: inputSha, rows: run.inputRows, blankRows: run.blankRows },
    rowsWritten: run.written,
    exceptionRows: run.exceptionRows,
    cells: { in: run.cells.in, out: cellsOut, written: run.cells.written, exceptions: run.cells.exceptions },
    // An empty sheet (a workbook's unused "Sheet2") is no refusal; one with a header or any row is.
    refusedSheets: sheets.filter((s) => s.failure && !isBlankRow(s.headerCells)).map((s) => ({ sheet: s.name, code: s.failure!.code, messageVi: s.failure!.messageVi, rows: s.refusedRows })),
    agencies,
    exceptions,
    decisionsNeeded: run.decisionsNeeded(),
  };
  await fs.promises.writeFile(path.join(work, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  if (fs.existsSync(target)) fs.rmdirSync(target);
  fs.renameSync(work, target);
  return manifest;
}
