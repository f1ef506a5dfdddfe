/**
 * Step 3: an official's Excel file (.xls or .xlsx) of one register type, imported into the
 * agency's records. Rows are read as a stream, checked against the data dictionary, and the
 * valid ones loaded in one transaction (COPY, then set-based decisions); rejected rows come
 * back as a workbook to fix and import again. Every row read is counted once: inserted,
 * updated, unchanged or rejected. Idempotent: the import key names the import, and a retry of
 * a finished import returns what it reported.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import type { Pool, PoolClient } from 'pg';
import { defineError, isAppError } from '../../domain/errors';
import { canonicalValues, checkImportRow, compileImportPlan, ERROR_HEADERS, type ImportPlan, type ImportTarget } from '../../domain/imports/import-row';
import { ImportAgencyUnknown } from '../../domain/imports/import-errors';
import type { ExcelImportInput, ExcelImportResult, StoredSource } from '../../domain/imports/import-types';
import { isBlankRow } from '../../domain/profiles/cell-conservation';
import { findHeaderRow, type Cell } from '../../domain/profiles/sheet-mapping';
import { SHIPPED_PROFILES } from '../../domain/profiles/shipped';
import { recordSearchText } from '../../domain/registers/record-search';
import type { Problem } from '../../domain/registers/validate-record';
import { readRowBatches, type SheetRow } from '../../formats/tabular/read-rows';
import { createStreamingXlsxWriter } from '../../formats/xlsx/streaming-xlsx-writer';
import type { ContentStore } from '../files/content-store';
import { RECORD_ACTIONS, type RecordState } from '../../domain/records/life-cycle';
import { endAction } from '../audit/record-action';
import { openStaging, type Staging } from './record-merge';
import { attachWaitingScans } from '../scans/attach-waiting-scans';
import { custodianAgencies } from '../../domain/runs/custodians';
import { currentCustodians } from '../runs/custodian-decisions';
import { checkOut } from '../../db/transaction';

export const ImportFormatUnsupported = defineError<{ name: string }>(
  'IMPORT_FORMAT_UNSUPPORTED',
  'validation',
  (p) => `${p.name}: only .xls and .xlsx files can be imported`,
  (p) => `Tệp "${p.name}" không nhập được: chỉ nhận tệp Excel .xls hoặc .xlsx.`,
);

export const ImportFileEmpty = defineError<{ name: string }>(
  'IMPORT_FILE_EMPTY',
  'validation',
  (p) => `${p.name} holds no data rows`,
  (p) => `Tệp "${p.name}" không có dòng dữ liệu nào để nhập.`,
);

const IMPORT_PROFILE = SHIPPED_PROFILES['c06-default']!;
const PROGRESS_EVERY = 5000;
const LOCKED_MESSAGE_VI: Partial<Record<RecordState, string>> = {
  approved: 'Bản ghi này đã được phê duyệt: không thể thay đổi bằng cách nhập lại. Nếu dữ liệu sai, đề nghị xử lý ở bước kiểm tra, phê duyệt.',
  transferred: 'Bản ghi này đã được chuyển vào Cơ sở dữ liệu hộ tịch điện tử: không thể thay đổi bằng cách nhập lại.',
};

interface SheetState {
  index: number;
  name: string;
  pending: SheetRow[];
  headerRow?: number;
  headerCells?: Cell[];
  plan?: ImportPlan;
  /** Cells of the widest rejected row: the error workbook keeps every one of them. */
  rejectedWidth: number;
}

type Rejections = Map<string, Problem[]>;
const rowRef = (sheet: number, row: number) => `${sheet}:${row}`;


/** The readers choose a format by extension, and the store keeps bytes under their hash alone. */
function linkAsNamed(store: ContentStore, source: StoredSource): { file: string; dispose(): void } {
  const ext = path.extname(source.name).toLowerCase();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotich-import-'));
  const file = path.join(dir, `source${ext}`);
  fs.symlinkSync(store.localPath(source.sha256), file);
  return { file, dispose: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

interface ImportDeps {
  pool: Pool;
  store: ContentStore;
}

async function targetOf(pool: Pool, input: ExcelImportInput): Promise<ImportTarget> {
  if (!(path.extname(input.source.name).toLowerCase() in MEDIA_TYPES)) throw ImportFormatUnsupported({ name: input.source.name });
  const r = await pool.query<{ name: string; province_code: string }>('SELECT name, province_code FROM agencies WHERE code = $1', [input.agencyCode]);
  const agency = r.rows[0];
  if (!agency) throw ImportAgencyUnknown({ agencyCode: input.agencyCode });
  const custodians = custodianAgencies(await currentCustodians(pool, input.runId));
  return { agencyCode: input.agencyCode, agencyName: agency.name, provinceCode: agency.province_code, registerType: input.registerType, custodians };
}

/** The import's row, created on first use; a finished one carries the result to return again. */
async function claimImport(pool: Pool, input: ExcelImportInput): Promise<{ id: number; finished?: ExcelImportResult }> {
  await pool.query(
    `INSERT INTO imports (import_key, kind, agency_code, register_type, actor, workflow_id, source_name, source_sha256)
     VALUES ($1, 'excel', $2, $3, $4, $5, $6, $7) ON CONFLICT (import_key) DO NOTHING`,
    [input.importKey, input.agencyCode, input.registerType, input.actor, input.workflowId ?? null, input.source.name, input.source.sha256],
  );
  const r = await pool.query<{ id: string; status: string; report: { result?: ExcelImportResult } }>('SELECT id, status, report FROM imports WHERE import_key = $1', [input.importKey]);
  const row = r.rows[0]!;
  return { id: Number(row.id), finished: row.status === 'completed' ? row.report.result : undefined };
}

/** Reads the file, checks every row, and stages the valid ones; returns what a person must fix. */
async function readAndStage(
  file: string,
  target: ImportTarget,
  stage: (row: { sheet: number; row: number; outcome: Extract<ReturnType<typeof checkImportRow>, { ok: true }> }) => Promise<void>,
  onProgress: (rows: number) => void,
): Promise<{ sheets: SheetState[]; rejections: Rejections; read: number; blankRows: number }> {
  const sheets: SheetState[] = [];
  const rejections: Rejections = new Map();
  const firstRowOf = new Map<string, number>();
  let read = 0;
  let blankRows = 0;
  const scanRows = IMPORT_PROFILE.headerRow.mode === 'find' ? IMPORT_PROFILE.headerRow.scanRows : 1;

  const dataRow = async (sheet: SheetState, r: SheetRow) => {
    if (isBlankRow(r.cells)) {
      blankRows++;
      return;
    }
    read++;
    const outcome = checkImportRow(sheet.plan!, r.cells, r.row, firstRowOf);
    if (outcome.ok) await stage({ sheet: sheet.index, row: r.row, outcome });
    else {
      rejections.set(rowRef(sheet.index, r.row), outcome.problems);
      sheet.rejectedWidth = Math.max(sheet.rejectedWidth, r.cells.length);
    }
    if (read % PROGRESS_EVERY === 0) onProgress(read);
  };
  /** The header is looked for among a sheet's first rows; a sheet with nothing in them holds no data. */
  const settleHeader = async (sheet: SheetState) => {
    const rows = sheet.pending;
    sheet.pending = [];
    if (rows.every((r) => isBlankRow(r.cells))) return;
    const at = findHeaderRow(rows.map((r) => r.cells), IMPORT_PROFILE, sheet.name, target.registerType);
    sheet.headerRow = rows[at]!.row;
    sheet.headerCells = rows[at]!.cells;
    sheet.plan = compileImportPlan(sheet.headerCells, IMPORT_PROFILE, sheet.name, target);
    for (const r of rows.slice(at + 1)) await dataRow(sheet, r);
  };

  let current: SheetState | undefined;
  for await (const batch of readRowBatches(file)) {
    for (const r of batch) {
      if (current?.name !== r.sheet) {
        if (current && !current.plan) await settleHeader(current);
        current = { index: sheets.length, name: r.sheet, pending: [], rejectedWidth: 0 };
        sheets.push(current);
      }
      if (current.plan) await dataRow(current, r);
      else if (current.pending.push(r) >= scanRows) await settleHeader(current);
    }
  }
  if (current && !current.plan) await settleHeader(current);
  onProgress(read);
  return { sheets, rejections, read, blankRows };
}

/** The rejected rows, each with the columns it came with and what is wrong, in one sheet per input sheet. */
async function writeErrorWorkbook(file: string, out: string, sheets: readonly SheetState[], rejections: Rejections): Promise<void> {
  const writer = createStreamingXlsxWriter(out);
  const byName = new Map(sheets.filter((s) => s.plan).map((s) => [s.name, s]));
  const opened = new Set<number>();
  for await (const batch of readRowBatches(file)) {
    for (const r of batch) {
      const sheet = byName.get(r.sheet);
      const problems = sheet && rejections.get(rowRef(sheet.index, r.row));
      if (!sheet || !problems) continue;
      // A row wider than its header keeps its cells past it, under no header, as it came.
      const width = Math.max(sheet.headerCells!.length, sheet.rejectedWidth);
      if (!opened.has(sheet.index)) {
        opened.add(sheet.index);
        const header = Array.from({ length: width }, (_, i) => cellText(sheet.headerCells![i]));
        writer.addSheet(`${sheet.index + 1}. ${sheet.name}`, [[...header, ERROR_HEADERS.message, ERROR_HEADERS.code]]);
      }
      const cells = Array.from({ length: width }, (_, i) => cellText(r.cells[i]));
      writer.addRow([...cells, problems.map((p) => p.messageVi).join(' '), [...new Set(problems.map((p) => p.code))].join(', ')]);
      await writer.drain();
    }
  }
  await writer.close();
}

function cellText(c: Cell | undefined): string {
  return c === null || c === undefined ? '' : c instanceof Date ? c.toISOString() : String(c);
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

async function registerFile(c: PoolClient, file: StoredSource & { size: number; mediaType: string }, target: ImportTarget): Promise<void> {
  await c.query(`INSERT INTO files (sha256, size_bytes, media_type) VALUES ($1, $2, $3) ON CONFLICT (sha256) DO NOTHING`, [file.sha256, file.size, file.mediaType]);
  await c.query(`INSERT INTO file_owners (sha256, province_code, agency_code, original_name) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING`, [
    file.sha256,
    target.provinceCode,
    target.agencyCode,
    file.name,
  ]);
}

const MEDIA_TYPES: Record<string, string> = {
  '.xls': 'application/vnd.ms-excel',
  '.xlsx': 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

export async function runExcelImport(deps: ImportDeps, input: ExcelImportInput, onProgress: (rows: number) => void = () => undefined): Promise<ExcelImportResult> {
  const target = await targetOf(deps.pool, input);
  const claimed = await claimImport(deps.pool, input);
  if (claimed.finished) return claimed.finished;
  const source = linkAsNamed(deps.store, input.source);
  const { client, release } = await checkOut(deps.pool);
  let staging: Staging | undefined;
  try {
    await client.query('BEGIN');
    // Two attempts alive at once (one given up for lost, still running): the later waits here and returns what the first did.
    const mine = await client.query<{ status: string; report: { result?: ExcelImportResult } }>('SELECT status, report FROM imports WHERE id = $1 FOR UPDATE', [claimed.id]);
    if (mine.rows[0]!.status === 'completed') {
      await client.query('ROLLBACK');
      return mine.rows[0]!.report.result!;
    }
    staging = await openStaging(client, { agencyCode: target.agencyCode, registerType: target.registerType, importId: claimed.id });
    const read = await readAndStage(
      source.file,
      target,
      ({ sheet, row, outcome }) => {
        const data = canonicalValues(outcome.values);
        return staging!.write({ sheet, row, key: outcome.key, data, dataSha256: sha256(data), notes: JSON.stringify(outcome.notes), searchText: recordSearchText(outcome.values) });
      },
      onProgress,
    );
    const merged = await staging.finish();
    if (read.read === 0) throw ImportFileEmpty({ name: input.source.name });

    for (const l of merged.locked) {
      read.rejections.set(rowRef(l.sheet, l.row), [{ field: 'registrationNumber', code: 'RECORD_LOCKED', severity: 'error', messageVi: LOCKED_MESSAGE_VI[l.state] ?? LOCKED_MESSAGE_VI.approved! }]);
    }
    const attachedWaitingScans = await attachWaitingScans(client, target.agencyCode, claimed.id);

    const rejectedByCode: Record<string, number> = {};
    for (const problems of read.rejections.values()) for (const code of new Set(problems.map((p) => p.code))) rejectedByCode[code] = (rejectedByCode[code] ?? 0) + 1;
    let errorFile: StoredSource | undefined;
    if (read.rejections.size > 0) {
      const out = path.join(path.dirname(source.file), 'errors.xlsx');
      await writeErrorWorkbook(source.file, out, read.sheets, read.rejections);
      const stored = await deps.store.put(fs.createReadStream(out));
      errorFile = { sha256: stored.sha256, name: `${path.basename(input.source.name, path.extname(input.source.name))} - dòng bị từ chối.xlsx` };
      await registerFile(client, { ...errorFile, size: stored.size, mediaType: MEDIA_TYPES['.xlsx']! }, target);
    }
    const size = fs.statSync(source.file).size;
    await registerFile(client, { ...input.source, size, mediaType: MEDIA_TYPES[path.extname(input.source.name).toLowerCase()]! }, target);

    const result: ExcelImportResult = {
      importId: claimed.id,
      importKey: input.importKey,
      agencyCode: target.agencyCode,
      registerType: target.registerType,
      source: input.source,
      counts: { read: read.read, inserted: merged.inserted, updated: merged.updated, unchanged: merged.unchanged, rejected: read.rejections.size },
      blankRows: read.blankRows,
      rejectedByCode,
      errorFile,
      books: merged.books,
      attachedWaitingScans,
    };
    await client.query(
      `UPDATE imports SET status = 'completed', counts = $2, report = $3, error_file = $4, finished_at = now() WHERE id = $1`,
      [claimed.id, JSON.stringify(result.counts), JSON.stringify({ result }), errorFile?.sha256 ?? null],
    );
    const actor = { actor: input.actor, actorRole: input.actorRole ?? 'official', provinceCode: target.provinceCode, agencyCode: target.agencyCode, workflowId: input.workflowId } as const;
    await endAction(client, {
      audit: [
        {
          ...actor,
          action: RECORD_ACTIONS.import.audit,
          subject: { kind: 'file', id: input.source.sha256 },
          details: { importId: claimed.id, importKey: input.importKey, registerType: target.registerType, sourceName: input.source.name, counts: result.counts },
          key: `import:${input.importKey}`,
        },
        ...merged.reopened.map((r) => ({
          ...actor,
          action: RECORD_ACTIONS.reimport.audit,
          subject: { kind: 'record', id: String(r.recordId) } as const,
          recordId: r.recordId,
          stateBefore: r.before,
          stateAfter: r.after,
          details: { importId: claimed.id },
        })),
      ],
    });
    await client.query('COMMIT');
    return result;
  } catch (e) {
    await staging?.abort();
    await client.query('ROLLBACK').catch(() => undefined);
    if (isAppError(e)) {
      await deps.pool.query(`UPDATE imports SET status = 'failed', failure = $2, finished_at = now() WHERE id = $1`, [
        claimed.id,
        JSON.stringify({ code: e.code, messageVi: e.messageVi }),
      ]);
    }
    throw e;
  } finally {
    release();
    source.dispose();
  }
}

export function createExcelImportActivities(deps: ImportDeps) {
  return {
    async importExcel(input: ExcelImportInput): Promise<ExcelImportResult> {
      const ctx = Context.current();
      return runExcelImport(deps, input, (rows) => {
        ctx.heartbeat({ rows });
        if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason;
      });
    },
  };
}
export type ExcelImportActivities = ReturnType<typeof createExcelImportActivities>;
