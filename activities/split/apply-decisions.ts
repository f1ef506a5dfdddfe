/**
 * The coordinator's decisions applied to a finished split: the rows of each former unit whose
 * custodian was decided go into that agency's folder, in files of their own named for the
 * former unit (its books stay apart from the agency's own), and exception rows placed by hand
 * go into the agency named for them. Everything is derived from the split as it first came out
 * (its manifest and exceptions workbook, kept hidden in `.split-base/`) and the whole current
 * set of decisions, so applying is idempotent: a retry, or the same decisions again, writes the
 * same bytes; a changed decision moves the unit's files. Only the folders of agencies whose
 * files change are rewritten, each built hidden beside its place and then renamed in; the
 * exceptions workbook and the manifest likewise. Rows and cells are conserved, or nothing is
 * taken (`SPLIT_ROWS_NOT_CONSERVED`, `SPLIT_CELLS_NOT_CONSERVED`).
 */
import fs from 'node:fs';
import path from 'node:path';
import { isDeepStrictEqual } from 'node:util';
import { declaredErrors, defineError, isAppError } from '../../domain/errors';
import { isBlankCell } from '../../domain/profiles/cell-conservation';
import type { ImportProfile } from '../../domain/profiles/profile-schema';
import { SHIPPED_PROFILES } from '../../domain/profiles/shipped';
import type { RegisterTypeCode } from '../../domain/registers/register-types';
import { custodianAgencies, custodianNote, resolveCustodianAgency, type CustodianDecision } from '../../domain/runs/custodians';
import { createRouter, DEFAULT_ROUTING_RULES } from '../../domain/units/routing';
import { readRowBatchesInThread } from '../../formats/tabular/read-rows-thread';
import type { SheetCell, SheetRow } from '../../formats/tabular/read-rows';
import { sha256OfFile } from '../files/hashing';
import {
  createSheetReader,
  EXCEPTION_HEADERS,
  EXCEPTIONS_FILE,
  EXCEPTIONS_INFO_SHEET,
  LEVEL_FOLDERS,
  MANIFEST_FILE,
  newSheet,
  placedCells,
  SplitCellsNotConserved,
  SplitRowsNotConserved,
  SplitRun,
  unitLabel,
  type SheetState,
  type SplitAgency,
  type SplitManifest,
} from './split-export';

/** The split as it first came out: its manifest and exceptions workbook, which every application starts from. */
export const SPLIT_BASE_DIR = '.split-base';

/** One exception row the coordinator placed by hand, named by where it came from (its "Trang gốc" and "Dòng gốc"). */
export interface HandPlacement {
  sheet: string;
  row: number;
  agencyCode: string;
  placedBy: string;
  placedAt: string;
}

/** What became of a row placed by hand: placed, or still an exception and why (the error's code and parameters: see placementRefusalVi). */
export interface PlacementOutcome {
  sheet: string;
  row: number;
  agencyCode: string;
  placed: boolean;
  code?: string;
  params?: object;
  messageVi?: string;
}

export const PlacementUnitNeedsDecision = defineError<{ unit: string }>(
  'PLACEMENT_UNIT_NEEDS_DECISION',
  'validation',
  (p) => `the row belongs to former unit ${p.unit}, whose custodian is decided for the whole unit`,
  (p) => `Dòng thuộc đơn vị cũ ${p.unit}: sổ của đơn vị này được giao nguyên cho một cơ quan lưu giữ theo quyết định (hotich run decide-custodians), không xếp tay từng dòng.`,
);

export const PlacementRowDecided = defineError<{ unit: string }>(
  'PLACEMENT_ROW_DECIDED',
  'validation',
  (p) => `the row is placed by the custodian decision for unit ${p.unit}`,
  (p) => `Dòng đã được xếp theo quyết định cơ quan lưu giữ sổ của đơn vị cũ ${p.unit}; không xếp tay.`,
);

/**
 * Why a row placed by hand stayed an exception, in Vietnamese, made again from the code and
 * parameters kept for it: the errors a placement can end in are declared by this module and those
 * it loads, so the text is theirs and never stored twice.
 */
export function placementRefusalVi(code: string, params: object): string {
  const def = declaredErrors().find((d) => d.code === code);
  if (!def) throw new Error(`no error is declared with code ${code}`);
  return def.vietnamese(params).normalize('NFC');
}

export const SplitBaseMissing = defineError<{ dir: string }>(
  'SPLIT_BASE_MISSING',
  'conflict',
  (p) => `${p.dir} holds no finished split`,
  (p) => `Thư mục ${p.dir} chưa có kết quả tách hoàn chỉnh; tách dữ liệu trước khi áp dụng quyết định.`,
);

export const SplitExceptionsUnreadable = defineError<{ expected: number; read: number }>(
  'SPLIT_EXCEPTIONS_UNREADABLE',
  'integrity',
  (p) => `the exceptions workbook read back ${p.read} rows or cells where ${p.expected} were written`,
  (p) => `Đọc lại tệp ngoại lệ được ${p.read} dòng/ô, trong khi đã ghi ${p.expected}; không áp dụng quyết định.`,
);

export interface ApplyOptions {
  outDir: string;
  provinceCode: string;
  registerType?: RegisterTypeCode;
  profile?: ImportProfile;
  /** The current decision of each decided unit. */
  custodians: readonly CustodianDecision[];
  /** The current placement of each row placed by hand (the latest for a row). */
  placements: readonly HandPlacement[];
  onProgress?: (rows: number) => void;
}

export interface ApplyResult {
  manifest: SplitManifest;
  placements: PlacementOutcome[];
  /** Agencies whose folder was rewritten (or removed), with the files it holds now. */
  changed: SplitAgency[];
}

const dmy = (iso: string) => `${iso.slice(8, 10)}/${iso.slice(5, 7)}/${iso.slice(0, 4)}`;
const readJson = <T>(file: string) => JSON.parse(fs.readFileSync(file, 'utf8')) as T;
const writeHidden = (file: string, text: string) => {
  const tmp = path.join(path.dirname(file), `.${path.basename(file)}.partial`);
  fs.writeFileSync(tmp, text);
  fs.renameSync(tmp, file);
};

/** The base of the split, kept the first time decisions are applied (hard links: the files are never changed in place). */
function splitBase(out: string): { manifest: SplitManifest; exceptions: string } {
  const base = path.join(out, SPLIT_BASE_DIR);
  if (!fs.existsSync(base)) {
    if (!fs.existsSync(path.join(out, MANIFEST_FILE))) throw SplitBaseMissing({ dir: out });
    const tmp = `${base}.partial`;
    fs.rmSync(tmp, { recursive: true, force: true });
    fs.mkdirSync(tmp);
    fs.linkSync(path.join(out, MANIFEST_FILE), path.join(tmp, MANIFEST_FILE));
    fs.linkSync(path.join(out, EXCEPTIONS_FILE), path.join(tmp, EXCEPTIONS_FILE));
    fs.renameSync(tmp, base);
  }
  return { manifest: readJson<SplitManifest>(path.join(base, MANIFEST_FILE)), exceptions: path.join(base, EXCEPTIONS_FILE) };
}

/** An exception sheet's rows as they were received: the row behind the prefix columns, under its own sheet name and row number. */
export function receivedRow(cells: readonly SheetCell[]): { prefix: SheetCell[]; row: SheetRow } {
  const prefix = cells.slice(0, EXCEPTION_HEADERS.length);
  return { prefix, row: { sheet: String(prefix[2] ?? ''), row: Number(prefix[3]), cells: cells.slice(EXCEPTION_HEADERS.length) } };
}

/** A folder swapped in whole: the old one moved aside, the new one renamed in, the old one removed. */
function swapFolder(target: string, built: string | undefined): void {
  const old = path.join(path.dirname(target), `.${path.basename(target)}.old`);
  fs.rmSync(old, { recursive: true, force: true });
  if (fs.existsSync(target)) fs.renameSync(target, old);
  if (built) fs.renameSync(built, target);
  fs.rmSync(old, { recursive: true, force: true });
}

/** After a crash between the two renames of `swapFolder`: the old folder goes back where the new one is missing. */
function recoverSwaps(out: string): void {
  for (const level of Object.values(LEVEL_FOLDERS)) {
    const dir = path.join(out, level);
    if (!fs.existsSync(dir)) continue;
    for (const name of fs.readdirSync(dir)) {
      const m = /^\.(.+)\.(old|partial)$/.exec(name);
      if (!m) continue;
      const target = path.join(dir, m[1]!);
      if (m[2] === 'old' && !fs.existsSync(target)) fs.renameSync(path.join(dir, name), target);
      else fs.rmSync(path.join(dir, name), { recursive: true, force: true });
    }
  }
}

function mergeAgency(base: SplitAgency | undefined, extra: SplitAgency | undefined): SplitAgency | undefined {
  if (!base) return extra;
  if (!extra) return base;
  return {
    ...base,
    rows: base.rows + extra.rows,
    cells: { in: base.cells.in + extra.cells.in, out: base.cells.out + extra.cells.out },
    files: [...base.files, ...extra.files].sort((x, y) => x.path.localeCompare(y.path)),
  };
}

export async function applyDecisions(opts: ApplyOptions): Promise<ApplyResult> {
  const out = path.resolve(opts.outDir);
  const profile = opts.profile ?? SHIPPED_PROFILES['c06-default']!;
  const base = splitBase(out);
  recoverSwaps(out);
  const work = path.join(out, '.apply.partial');
  fs.rmSync(work, { recursive: true, force: true });
  fs.mkdirSync(path.join(work, '.spill'), { recursive: true });

  const decisions = new Map(opts.custodians.map((d) => [d.unitCode, d]));
  const placements = new Map(opts.placements.map((p) => [`${p.sheet}!${p.row}`, p]));
  const route = createRouter({ ...DEFAULT_ROUTING_RULES, custodians: custodianAgencies(opts.custodians) });
  const reader = createSheetReader(profile, opts.registerType, route, opts.provinceCode);
  const run = new SplitRun(work, { name: base.manifest.input.name, sha256: base.manifest.input.sha256 });
  const placedByUnit = new Map<string, number>();
  const outcomes: PlacementOutcome[] = [];
  let rowsRead = 0;
  let cellsRead = 0;

  const refusePlacement = (p: HandPlacement, e: { code: string; messageVi: string; params?: object }) =>
    outcomes.push({ sheet: p.sheet, row: p.row, agencyCode: p.agencyCode, placed: false, code: e.code, params: e.params ?? {}, messageVi: e.messageVi });

  const dataRow = (s: SheetState, prefix: SheetCell[], row: SheetRow): void => {
    const outcome = reader.classify(s, row);
    const placement = placements.get(`${row.sheet}!${row.row}`);
    if (outcome.kind === 'place' && outcome.routed?.custodianOf) {
      const unit = outcome.routed.custodianOf;
      const decision = decisions.get(unit.code)!;
      if (placement) refusePlacement(placement, PlacementRowDecided({ unit: unitLabel(unit) }));
      const cells = placedCells(outcome.plan, row, outcome.bookYear, unitLabel(outcome.routed.registeringUnit), true, custodianNote(decision));
      const tag = { label: `${unit.code} - ${unit.name} (cũ)`, placedBy: { custodianOf: unit.code } };
      const lost = run.place(outcome.agency, outcome.plan, s, row, cells, tag);
      if (!lost) placedByUnit.set(unit.code, (placedByUnit.get(unit.code) ?? 0) + 1);
      return;
    }
    if (placement) {
      const pending = outcome.kind === 'refuse' ? outcome.routed?.pending : undefined;
      if (pending) refusePlacement(placement, PlacementUnitNeedsDecision({ unit: unitLabel(pending.unit) }));
      else if (outcome.kind === 'refuse' && (!outcome.plan || outcome.code === 'BOOK_YEAR_UNKNOWN')) refusePlacement(placement, outcome);
      else {
        let agency;
        try {
          agency = resolveCustodianAgency(placement.agencyCode, opts.provinceCode);
        } catch (e) {
          if (!isAppError(e)) throw e;
          refusePlacement(placement, e);
        }
        if (agency && outcome.plan) {
          const values = outcome.values ?? {};
          const written = [values.agencyCode, values.districtCode, values.agencyName].filter((v) => typeof v === 'string' && v.trim()).join(' - ');
          const note = `Xếp tay bởi ${placement.placedBy} ngày ${dmy(placement.placedAt)} vào ${agency.name}`;
          const lost = run.place(agency, outcome.plan, s, row, placedCells(outcome.plan, row, outcome.bookYear, written, false, note), { label: 'xếp tay', placedBy: { hand: true } });
          if (lost) refusePlacement(placement, lost);
          else outcomes.push({ sheet: placement.sheet, row: placement.row, agencyCode: agency.code, placed: true });
          return;
        }
      }
    }
    run.keepException(s, prefix, row);
  };

  let finished: Awaited<ReturnType<SplitRun['finish']>>;
  try {
    let sheet: SheetState | undefined;
    let header: SheetCell[] = [];
    for await (const batch of readRowBatchesInThread(base.exceptions)) {
      for (const r of batch) {
        if (r.sheet === EXCEPTIONS_INFO_SHEET) continue;
        if (r.row === 1) {
          header = r.cells.slice(EXCEPTION_HEADERS.length);
          sheet = undefined;
          continue;
        }
        const { prefix, row } = receivedRow(r.cells);
        let n = 0;
        for (const c of row.cells) if (!isBlankCell(c)) n++;
        if (n === 0 && isBlankCell(prefix[0])) continue;
        rowsRead++;
        cellsRead += n;
        if (!sheet || sheet.name !== row.sheet) {
          sheet = newSheet(row.sheet);
          reader.startSheet(sheet, [header]);
        }
        dataRow(sheet, prefix, row);
        if (rowsRead % 5000 === 0) opts.onProgress?.(rowsRead);
      }
      await run.drain();
    }
    finished = await run.finish();
  } catch (e) {
    await run.abort();
    throw e;
  }
  const baseManifest = base.manifest;
  if (rowsRead !== baseManifest.exceptionRows) throw SplitExceptionsUnreadable({ expected: baseManifest.exceptionRows, read: rowsRead });
  if (cellsRead !== baseManifest.exceptions.cells) throw SplitExceptionsUnreadable({ expected: baseManifest.exceptions.cells, read: cellsRead });
  const rowsWritten = baseManifest.rowsWritten + run.written;
  if (baseManifest.input.rows !== rowsWritten + run.exceptionRows) throw SplitRowsNotConserved({ input: baseManifest.input.rows, written: rowsWritten, exceptions: run.exceptionRows });
  const cellsWritten = baseManifest.cells.written + run.cells.written;
  if (baseManifest.cells.in !== cellsWritten + run.cells.exceptions) throw SplitCellsNotConserved({ input: baseManifest.cells.in, written: cellsWritten, exceptions: run.cells.exceptions });

  // Each agency's folder as it must now be, against what it is: only those that differ are rebuilt.
  const current = fs.existsSync(path.join(out, MANIFEST_FILE)) ? readJson<SplitManifest>(path.join(out, MANIFEST_FILE)) : baseManifest;
  const baseAgencies = new Map(baseManifest.agencies.map((a) => [a.code, a]));
  const extraAgencies = new Map(finished.agencies.map((a) => [a.code, a]));
  const currentAgencies = new Map(current.agencies.map((a) => [a.code, a]));
  const agencies: SplitAgency[] = [];
  const changed: SplitAgency[] = [];
  for (const code of new Set([...baseAgencies.keys(), ...extraAgencies.keys(), ...currentAgencies.keys()])) {
    const merged = mergeAgency(baseAgencies.get(code), extraAgencies.get(code));
    if (merged) agencies.push(merged);
    const now = currentAgencies.get(code);
    if (isDeepStrictEqual(merged, now)) continue;
    const folder = (merged ?? now)!.folder;
    const target = path.join(out, folder);
    let built: string | undefined;
    if (merged) {
      built = path.join(path.dirname(target), `.${path.basename(target)}.partial`);
      fs.rmSync(built, { recursive: true, force: true });
      fs.mkdirSync(built, { recursive: true });
      for (const f of baseAgencies.get(code)?.files ?? []) fs.linkSync(path.join(out, f.path), path.join(built, path.posix.basename(f.path)));
      for (const f of extraAgencies.get(code)?.files ?? []) fs.renameSync(path.join(work, f.path), path.join(built, path.posix.basename(f.path)));
      fs.writeFileSync(path.join(built, MANIFEST_FILE), `${JSON.stringify(merged, null, 2)}\n`);
    }
    swapFolder(target, built);
    changed.push(merged ?? { ...now!, rows: 0, cells: { in: 0, out: 0 }, files: [] });
  }
  agencies.sort((a, b) => a.level.localeCompare(b.level) || a.code.localeCompare(b.code));
  fs.renameSync(path.join(work, EXCEPTIONS_FILE), path.join(out, EXCEPTIONS_FILE));
  fs.rmSync(work, { recursive: true, force: true });

  const placedByHand = outcomes.filter((o) => o.placed).length;
  const manifest: SplitManifest = {
    ...baseManifest,
    rowsWritten,
    exceptionRows: run.exceptionRows,
    cells: { in: baseManifest.cells.in, out: cellsWritten + run.cells.exceptions, written: cellsWritten, exceptions: run.cells.exceptions },
    agencies,
    exceptions: { ...finished.exceptions, sha256: (await sha256OfFile(path.join(out, EXCEPTIONS_FILE))).sha256 },
    custodians: [...decisions.values()].sort((a, b) => a.unitCode.localeCompare(b.unitCode)).map((d) => ({ ...d, rows: placedByUnit.get(d.unitCode) ?? 0 })),
    ...(outcomes.length ? { placements: { placed: placedByHand, refused: outcomes.length - placedByHand } } : {}),
  };
  writeHidden(path.join(out, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
  opts.onProgress?.(rowsRead);
  return { manifest, placements: outcomes, changed };
}
