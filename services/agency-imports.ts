/**
 * What an official does in Step 3, for the API and the CLI alike: put a file into the store,
 * import it (an Excel file or a zip of scanned pages) into the agency's current run (an update of its AgencyWorkflow, so the history
 * shows who imported what), read the agency's imports, and fetch an import's error workbook.
 */
import type { Readable } from 'node:stream';
import { WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { Pool } from 'pg';
import type { ContentStore } from '../activities/files/content-store';
import { defineError } from '../domain/errors';
import type { ExcelImportResult, ImportActor, StoredSource } from '../domain/imports/import-types';
import type { RegisterTypeCode } from '../domain/registers/register-types';
import type { AgencyRunState } from '../domain/runs/province-run';
import type { ScanImportReport } from '../domain/scans/scan-import';
import { agencyRunProgress, importExcel, importScans } from '../workflows/definitions';
import { appErrorOf } from '../workflows/failures';
import { queryProgress } from './workflow-progress';
import { AgencyRunEnded } from '../domain/runs/run-errors';

export const AgencyRunMissing = defineError<{ agencyCode: string }>(
  'IMPORT_NO_AGENCY_RUN',
  'conflict',
  (p) => `agency ${p.agencyCode} has no released run to import into`,
  (p) => `Cơ quan mã ${p.agencyCode} chưa được giao dữ liệu trong lượt chạy nào (điều phối viên chưa duyệt kết quả tách), nên chưa nhập được.`,
);

export const AgencyProgressUnavailable = defineError<{ agencyCode: string; reason: string }>(
  'AGENCY_PROGRESS_UNAVAILABLE',
  'unavailable',
  (p) => `progress of agency ${p.agencyCode}'s run cannot be read now: ${p.reason}`,
  (p) => `Tạm thời chưa đọc được tiến độ công việc của cơ quan mã ${p.agencyCode} (chưa có worker nào đang chạy hoặc worker vừa khởi động lại); thử lại sau ít giây.`,
);

export const ImportNotFound = defineError<{ importId: number }>(
  'IMPORT_NOT_FOUND',
  'not_found',
  (p) => `no import ${p.importId}`,
  (p) => `Không có lần nhập dữ liệu số ${p.importId}.`,
);

export const ImportHasNoRejections = defineError<{ importId: number }>(
  'IMPORT_NO_REJECTED_ROWS',
  'not_found',
  (p) => `import ${p.importId} rejected no rows`,
  (p) => `Lần nhập số ${p.importId} không có dòng nào bị từ chối.`,
);

export interface ImportRow {
  id: number;
  kind: 'excel' | 'scans';
  agencyCode: string;
  provinceCode: string;
  registerType: string | null;
  actor: string;
  sourceName: string;
  sourceSha256: string;
  status: string;
  counts: Record<string, number>;
  errorFile: string | null;
  failure: { code: string; messageVi: string } | null;
  startedAt: string;
  finishedAt: string | null;
}

async function coded<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    throw appErrorOf(e) ?? e;
  }
}

/**
 * An update of an agency run, its coded failure turned back into our error. A run that has
 * ended reaches no validator (Temporal answers "not found"): it is refused as the run's guard
 * refuses work after its end, with how it ended, instead of as an unhandled error.
 */
export async function agencyUpdate<T>(handle: WorkflowHandle, agencyCode: string, work: Promise<T>): Promise<T> {
  try {
    return await coded(work);
  } catch (e) {
    if (!(e instanceof WorkflowNotFoundError)) throw e;
    const ended = (await handle.describe()).status.name;
    throw AgencyRunEnded({ agency: agencyCode, phase: ended === 'COMPLETED' ? 'completed' : 'cancelled' }, { cause: e });
  }
}

export function createAgencyImports({ temporal, pool, store }: { temporal: Client; pool: Pool; store: ContentStore }) {
  /** The agency's latest run: imports go to the part of the province run the agency is working on. */
  const currentRun = async (agencyCode: string): Promise<string> => {
    const r = await pool.query<{ workflow_id: string }>(
      `SELECT workflow_id FROM workflow_registry WHERE kind = 'agency' AND agency_code = $1 ORDER BY created_at DESC LIMIT 1`,
      [agencyCode],
    );
    if (!r.rows[0]) throw AgencyRunMissing({ agencyCode });
    return r.rows[0].workflow_id;
  };

  return {
    currentRun,

    async store(stream: Readable, name: string): Promise<StoredSource> {
      const put = await store.put(stream);
      return { sha256: put.sha256, name };
    },

    async importExcel(req: { agencyCode: string; registerType: RegisterTypeCode; source: StoredSource; by: ImportActor }): Promise<ExcelImportResult> {
      const handle = temporal.workflow.getHandle(await currentRun(req.agencyCode));
      return agencyUpdate(handle, req.agencyCode, handle.executeUpdate(importExcel, { args: [{ by: req.by, registerType: req.registerType, source: req.source }] }));
    },

    /** `unitCode`: the former unit whose books the zip holds, for an agency that merged several. */
    async importScans(req: { agencyCode: string; zip: StoredSource; by: ImportActor; unitCode?: string }): Promise<ScanImportReport> {
      const handle = temporal.workflow.getHandle(await currentRun(req.agencyCode));
      return agencyUpdate(handle, req.agencyCode, handle.executeUpdate(importScans, { args: [{ by: req.by, zip: req.zip, unitCode: req.unitCode }] }));
    },

    async state(agencyCode: string): Promise<AgencyRunState> {
      const handle = temporal.workflow.getHandle(await currentRun(agencyCode));
      return coded(queryProgress(temporal, handle, agencyRunProgress, (reason) => AgencyProgressUnavailable({ agencyCode, reason })));
    },

    async get(importId: number): Promise<ImportRow> {
      const r = await pool.query<Record<string, unknown>>(
        `SELECT i.*, a.province_code FROM imports i JOIN agencies a ON a.code = i.agency_code WHERE i.id = $1`,
        [importId],
      );
      const row = r.rows[0];
      if (!row) throw ImportNotFound({ importId });
      return {
        id: Number(row.id),
        kind: row.kind as ImportRow['kind'],
        agencyCode: row.agency_code as string,
        provinceCode: row.province_code as string,
        registerType: row.register_type as string | null,
        actor: row.actor as string,
        sourceName: row.source_name as string,
        sourceSha256: row.source_sha256 as string,
        status: row.status as string,
        counts: row.counts as Record<string, number>,
        errorFile: row.error_file as string | null,
        failure: row.failure as ImportRow['failure'],
        startedAt: (row.started_at as Date).toISOString(),
        finishedAt: row.finished_at ? (row.finished_at as Date).toISOString() : null,
      };
    },

    /** The rejected rows of an import, as the workbook the official fixes and imports again. */
    errorWorkbook(row: ImportRow): { fileName: string; stream: Readable } {
      if (!row.errorFile) throw ImportHasNoRejections({ importId: row.id });
      const base = row.sourceName.replace(/\.[^.]+$/, '');
      return { fileName: `${base} - dòng bị từ chối.xlsx`, stream: store.open(row.errorFile) };
    },
  };
}
export type AgencyImports = ReturnType<typeof createAgencyImports>;
