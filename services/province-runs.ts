/**
 * What a coordinator does with a province run, for the API and the CLI alike: register a
 * package (an inbox file or a staged upload), read progress, confirm the handover, release
 * the split, cancel, and fetch an agency's folder or the exceptions workbook. Thin: checks
 * and decisions live in the workflow and the domain; this module only reaches them.
 */
import type { ReviewSettings } from '../domain/review/review-types';
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { ServiceError, WorkflowNotFoundError, type Client, type WorkflowHandle } from '@temporalio/client';
import type { Pool } from 'pg';
import yazl from 'yazl';
import { assertPackageName } from '../activities/receive/package-inspection';
import { resolveInboxFile, stagedFile } from '../activities/receive/receive-package';
import os from 'node:os';
import { runFolders } from '../activities/split/split-package';
import { EXCEPTIONS_FILE, MANIFEST_FILE, type AppliedCustodian, type SplitAgency, type SplitManifest } from '../activities/split/split-export';
import { readCustodianTable } from '../activities/split/custodian-table';
import { placementRefusalVi } from '../activities/split/apply-decisions';
import { readPlacementWorkbook } from '../activities/split/placements-workbook';
import { custodianTableDecisions, neededUnitsOf, type CustodianDecisionInput, type CustodianLineOutcome, type DecisionNeeded } from '../domain/runs/custodians';
import { sha256OfFile } from '../activities/files/hashing';
import type { DataPaths } from '../activities/files/data-paths';
import { createHashingTap } from '../activities/files/hashing';
import {
  isProvinceRunId,
  provinceOfRun,
  provinceRunId,
  provinceRunWorkflowId,
  stepsOf,
  type AgencySchedule,
  type DecisionBatchResult,
  type HandoverDetails,
  type PackageSource,
  type ProvinceRunInput,
  type ProvinceRunProgress,
} from '../domain/runs/province-run';
import { queryProgress } from './workflow-progress';
import { ImportRegisterTypeInvalid, RunAgencyNotFound, RunAlreadyEnded, RunDecisionsNotOpen, RunNotFound, RunProgressUnavailable, RunSplitNotReady, Sha256Invalid } from '../domain/runs/run-errors';
import { isRegisterTypeCode } from '../domain/registers/register-types';
import { isAppError } from '../domain/errors';
import { requireProvinceCode } from '../domain/units/province-code';
import { cancelRun, confirmHandover, decideCustodians, placeExceptions, provinceRunProgress, releaseSplit } from '../workflows/definitions';
import { appErrorOf } from '../workflows/failures';
import { provinceRun } from '../workflows/province-run';
import { createWorkflowRegistry } from '../api/repositories/workflows';

export interface ProvinceRunsDeps {
  temporal: Client;
  pool: Pool;
  paths: DataPaths;
  taskQueue: string;
  /** Passed to every agency run the province run starts. */
  review: ReviewSettings;
}

export interface StartRunRequest extends HandoverDetails {
  provinceCode: string;
  source: PackageSource;
  originalName: string;
  sha256: string;
  startedBy: string;
  /** The register type of a package of one type whose sheets or files do not say it. */
  registerType?: string;
}

export interface RunStatus {
  workflowId: string;
  /** Temporal's view: RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED… */
  status: string;
  progress: ProvinceRunProgress;
  steps: ReturnType<typeof stepsOf>;
}

/** A former unit as the coordinator sees it: what needs deciding, and what was decided, with the rows it placed. */
export interface CustodianView extends DecisionNeeded {
  decision?: AppliedCustodian;
}

export interface CustodianList {
  runId: string;
  units: CustodianView[];
  undecided: number;
  /** Rows still waiting for a decision. */
  undecidedRows: number;
  exceptionRows: number;
  placements?: { placed: number; refused: number };
}

/** Rows a placement workbook asked for that stayed exceptions, and why. */
export interface PlacementResult extends DecisionBatchResult {
  refusedRows: Array<{ sheet: string; row: number; agencyCode: string; code: string; messageVi: string }>;
}

/** A decisions table taken: the batch, and what each of its lines came to. */
export interface CustodianTableResult extends DecisionBatchResult {
  lines: CustodianLineOutcome[];
}

/** The split's exception rows by reason: each code with its rows and its Vietnamese wordings. */
export interface ExceptionReasons {
  exceptionRows: number;
  reasons: Array<{ code: string; rows: number; wordings: Array<{ messageVi: string; rows: number }> }>;
}

/** A file the receive step would take as a package (by its name's extension). */
function isPackageName(name: string): boolean {
  try {
    assertPackageName(name);
    return true;
  } catch {
    return false;
  }
}

/** The result of `check`, or its error once `discard` has run. */
function refusedDiscarding<T>(discard: () => void, check: () => T): T {
  try {
    return check();
  } catch (e) {
    discard();
    throw e;
  }
}

/** Turns a coded failure that crossed Temporal back into our error; anything else passes unchanged. */
async function coded<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    throw appErrorOf(e) ?? e;
  }
}

/** Readers choose a format by a file's extension: a staged upload is read under the name it came with. */
async function withNamedFile<T>(file: string, name: string, read: (named: string) => Promise<T>): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hotich-upload-'));
  try {
    const named = path.join(dir, `upload${path.extname(name).toLowerCase()}`);
    fs.symlinkSync(path.resolve(file), named);
    return await read(named);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

export function createProvinceRuns({ temporal, pool, paths, taskQueue, review }: ProvinceRunsDeps) {
  const registry = createWorkflowRegistry(pool);

  /** Run ids reach file paths: anything but the id's own shape is refused first. */
  const checked = (runId: string): string => {
    if (!isProvinceRunId(runId)) throw RunNotFound({ runId });
    return runId;
  };
  const handleOf = (runId: string): WorkflowHandle<typeof provinceRun> => temporal.workflow.getHandle<typeof provinceRun>(provinceRunWorkflowId(checked(runId)));

  /** The run's split manifest as it stands (rewritten as decisions are applied). */
  const manifestOf = async (runId: string): Promise<SplitManifest> => {
    const file = path.join(runFolders(paths, checked(runId)).split, MANIFEST_FILE);
    if (!fs.existsSync(file)) throw RunSplitNotReady({ runId });
    return JSON.parse(await fs.promises.readFile(file, 'utf8')) as SplitManifest;
  };

  const status = async (runId: string): Promise<RunStatus> => {
    const handle = handleOf(runId);
    try {
      // Query first: a phase the query shows as ended is then also ended in the description.
      // A query needs a worker: none running, or one just lost, is a pause, not a failure.
      const progress = await queryProgress(temporal, handle, provinceRunProgress, (reason) => RunProgressUnavailable({ runId, reason }));
      const described = await handle.describe();
      return { workflowId: handle.workflowId, status: described.status.name, progress, steps: stepsOf(progress) };
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) throw RunNotFound({ runId });
      if (e instanceof ServiceError) throw RunProgressUnavailable({ runId, reason: e.message }, { cause: e });
      throw e;
    }
  };

  /** One agency of a finished split, from the run's manifest. */
  const splitAgency = async (runId: string, agencyCode: string): Promise<{ split: string; agency: SplitAgency }> => {
    const split = runFolders(paths, checked(runId)).split;
    const manifest = await manifestOf(runId);
    const agency = manifest.agencies.find((a) => a.code === agencyCode);
    if (!agency) throw RunAgencyNotFound({ runId, agency: agencyCode });
    return { split, agency };
  };

  /** A decision sent to a run that has ended reaches no validator: it is refused as the validator refuses it, from the run's last phase. */
  const decisionsOpen = (runId: string) => async (e: unknown): Promise<never> => {
    if (!(e instanceof WorkflowNotFoundError)) throw e;
    throw RunDecisionsNotOpen({ phase: (await status(runId)).progress.phase });
  };

  return {
    /**
     * The packages waiting in the inbox (a folder and the folders in it), newest first: what a
     * coordinator may register with an inbox path. Names only; nothing is opened.
     */
    async inboxFiles(limit = 500): Promise<{ files: Array<{ path: string; sizeBytes: number; modifiedAt: string }>; truncated: boolean }> {
      const found: Array<{ path: string; sizeBytes: number; modifiedAt: string; at: number }> = [];
      const walk = async (dir: string, prefix: string, depth: number) => {
        const entries = await fs.promises.readdir(dir, { withFileTypes: true }).catch((e: NodeJS.ErrnoException) => {
          if (e.code === 'ENOENT') return [];
          throw e;
        });
        for (const e of entries) {
          if (e.name.startsWith('.')) continue;
          const relative = prefix ? `${prefix}/${e.name}` : e.name;
          if (e.isDirectory() && depth > 0) await walk(path.join(dir, e.name), relative, depth - 1);
          else if (e.isFile() && isPackageName(e.name)) {
            const stat = await fs.promises.stat(path.join(dir, e.name));
            found.push({ path: relative, sizeBytes: stat.size, modifiedAt: stat.mtime.toISOString(), at: stat.mtimeMs });
          }
        }
      };
      await walk(paths.inbox, '', 1);
      found.sort((a, b) => b.at - a.at || a.path.localeCompare(b.path));
      return { files: found.slice(0, limit).map(({ at: _at, ...f }) => f), truncated: found.length > limit };
    },

    /** Streams an upload to the staging folder, hashing it on the way; nothing is held whole in memory. */
    async stageUpload(source: Readable): Promise<{ token: string; sha256: string; sizeBytes: number }> {
      fs.mkdirSync(paths.staging, { recursive: true });
      const token = randomUUID();
      const file = stagedFile(paths, token);
      const tap = createHashingTap();
      const out = fs.createWriteStream(file, { mode: 0o600 });
      try {
        await pipeline(source, tap.stream, out);
      } catch (e) {
        // As in the content store: a refused upload may fail before its file is open, and a late open would leave it behind.
        if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
        fs.rmSync(file, { force: true });
        throw e;
      }
      const { sha256, size } = tap.digest();
      return { token, sha256, sizeBytes: size };
    },

    /** An upload staged for as long as `use` reads it, then removed: a decisions table or a returned exceptions workbook. */
    async withUpload<T>(source: Readable, use: (file: string) => Promise<T>): Promise<T> {
      const { token } = await this.stageUpload(source);
      const file = stagedFile(paths, token);
      try {
        return await use(file);
      } finally {
        fs.rmSync(file, { force: true });
      }
    },

    /** Starts the run of a package, or finds the run that already has it. */
    async start(req: StartRunRequest): Promise<{ runId: string; workflowId: string; existing: boolean }> {
      const discardStaged = () => {
        if (req.source.kind === 'staged') fs.rmSync(stagedFile(paths, req.source.token), { force: true });
      };
      // A refused request keeps nothing of what it uploaded.
      const { provinceCode, sha256, registerType } = refusedDiscarding(discardStaged, () => {
        const code = requireProvinceCode(req.provinceCode);
        const sum = req.sha256.trim().toLowerCase();
        if (!/^[0-9a-f]{64}$/.test(sum)) throw Sha256Invalid({ value: req.sha256 });
        const type = req.registerType?.trim().toUpperCase();
        if (type !== undefined && !isRegisterTypeCode(type)) throw ImportRegisterTypeInvalid({ value: req.registerType! });
        assertPackageName(req.originalName);
        if (req.source.kind === 'inbox') resolveInboxFile(paths.inbox, req.source.path);
        return { provinceCode: code, sha256: sum, registerType: type };
      });
      const runId = provinceRunId(provinceCode, sha256);
      const workflowId = provinceRunWorkflowId(runId);

      const current = await temporal.workflow.getHandle(workflowId).describe().catch((e: unknown) => {
        if (e instanceof WorkflowNotFoundError) return undefined;
        throw e;
      });
      // A run that failed (a wrong checksum, a bad file) may be registered again once fixed.
      if (current && !['FAILED', 'CANCELLED', 'TERMINATED', 'TIMED_OUT'].includes(current.status.name)) {
        discardStaged();
        return { runId, workflowId, existing: true };
      }
      const input: ProvinceRunInput = {
        runId,
        provinceCode,
        source: req.source,
        originalName: path.basename(req.originalName),
        declaredSha256: sha256,
        deliveredBy: req.deliveredBy,
        channel: req.channel,
        startedBy: req.startedBy,
        review,
        ...(registerType ? { registerType } : {}),
      };
      await registry.register({ workflowId, kind: 'province-run', provinceCode, agencyCode: null, startedBy: req.startedBy });
      await temporal.workflow.start(provinceRun, {
        taskQueue,
        workflowId,
        args: [input],
        workflowIdReusePolicy: 'ALLOW_DUPLICATE_FAILED_ONLY',
        workflowIdConflictPolicy: 'USE_EXISTING',
      });
      return { runId, workflowId, existing: false };
    },

    status,

    async confirmHandover(runId: string, by: string): Promise<ProvinceRunProgress> {
      return coded(handleOf(runId).executeUpdate(confirmHandover, { args: [{ by }] }));
    },

    async release(runId: string, by: string, schedules?: Record<string, AgencySchedule>, opts: { autoImport?: boolean; withoutUndecided?: boolean } = {}): Promise<ProvinceRunProgress> {
      return coded(handleOf(runId).executeUpdate(releaseSplit, { args: [{ by, schedules, autoImport: opts.autoImport, withoutUndecided: opts.withoutUndecided }] }));
    },

    /** The former units of the split whose custodian the coordinator decides, with what is decided. */
    async custodians(runId: string): Promise<CustodianList> {
      const manifest = await manifestOf(runId);
      const decided = new Map((manifest.custodians ?? []).map((c) => [c.unitCode, c]));
      const units = manifest.decisionsNeeded.map((d) => ({ ...d, ...(decided.has(d.unitCode) ? { decision: decided.get(d.unitCode)! } : {}) }));
      const waiting = units.filter((u) => !u.decision);
      return {
        runId,
        units,
        undecided: waiting.length,
        undecidedRows: waiting.reduce((n, u) => n + u.rows, 0),
        exceptionRows: manifest.exceptionRows,
        ...(manifest.placements ? { placements: manifest.placements } : {}),
      };
    },

    /** One batch of custodian decisions (one unit, or a table's), an update of the run. */
    async decideCustodians(runId: string, by: string, decisions: CustodianDecisionInput[]): Promise<DecisionBatchResult> {
      return coded(handleOf(runId).executeUpdate(decideCustodians, { args: [{ by, decisions }] }).catch(decisionsOpen(runId)));
    },

    /**
     * A decisions table (CSV or Excel) given as a file; `name` is the name it came with (its
     * extension says its format). Each line is checked against the split's units first, so a
     * refusal names every wrong line; the run's update then checks the batch again and takes it.
     */
    async decideCustodiansFromTable(runId: string, by: string, file: string, name: string): Promise<CustodianTableResult> {
      const lines = await withNamedFile(file, name, (named) => readCustodianTable(named, name));
      const manifest = await manifestOf(runId);
      const { decisions, outcomes } = custodianTableDecisions(provinceOfRun(runId), neededUnitsOf(manifest.decisionsNeeded), lines, name);
      return { ...(await this.decideCustodians(runId, by, decisions)), lines: outcomes };
    },

    /** The exception rows by reason code, most rows first, each with the Vietnamese wordings its rows carry. */
    async exceptionReasons(runId: string): Promise<ExceptionReasons> {
      const { exceptionRows, exceptions } = await manifestOf(runId);
      const reasons = Object.entries(exceptions.byReason)
        .map(([code, rows]) => ({ code, rows, wordings: exceptions.wordings?.[code] ?? [] }))
        .sort((a, b) => b.rows - a.rows || a.code.localeCompare(b.code));
      return { exceptionRows, reasons };
    },

    /** A returned exceptions workbook: checked against the run's split, then its placements as an update of the run. */
    async placeExceptions(runId: string, by: string, file: string, name: string): Promise<PlacementResult> {
      const split = runFolders(paths, checked(runId)).split;
      if (!fs.existsSync(path.join(split, MANIFEST_FILE))) throw RunSplitNotReady({ runId });
      const placements = await withNamedFile(file, name, (named) => readPlacementWorkbook(named, split, name));
      const { sha256 } = await sha256OfFile(file);
      const result = await coded(handleOf(runId).executeUpdate(placeExceptions, { args: [{ by, workbookSha256: sha256, placements }] }).catch(decisionsOpen(runId)));
      const refused = await pool.query<{ sheet: string; source_row: number; agency_code: string; reason_code: string; reason_params: object | null }>(
        `SELECT sheet, source_row, agency_code, reason_code, reason_params FROM exception_placements WHERE run_id = $1 AND workbook_sha256 = $2 AND placed = false ORDER BY sheet, source_row`,
        [runId, sha256],
      );
      return {
        ...result,
        refusedRows: refused.rows.map((r) => ({ sheet: r.sheet, row: r.source_row, agencyCode: r.agency_code, code: r.reason_code, messageVi: placementRefusalVi(r.reason_code, r.reason_params ?? {}) })),
      };
    },

    async cancel(runId: string, by: string, reason: string): Promise<ProvinceRunProgress> {
      return coded(handleOf(runId).executeUpdate(cancelRun, { args: [{ by, reason }] })).catch(async (e: unknown) => {
        // A run that has ended reaches no validator: refused as the validator refuses it, from the run's last phase.
        if (!(e instanceof WorkflowNotFoundError)) throw e;
        throw RunAlreadyEnded({ phase: (await status(runId)).progress.phase }, { cause: e });
      });
    },

    /** Waits until the run leaves the given phases (or ends), reporting progress on the way. */
    async waitWhile(runId: string, phases: ReadonlyArray<ProvinceRunProgress['phase']>, onProgress?: (s: RunStatus) => void, pollMs = 1000): Promise<RunStatus> {
      for (;;) {
        const s = await status(runId).catch((e: unknown) => {
          if (isAppError(e) && e.code === RunProgressUnavailable.code) return undefined;
          throw e;
        });
        if (s) {
          onProgress?.(s);
          if (!phases.includes(s.progress.phase) || s.status !== 'RUNNING') return s;
        }
        await new Promise((r) => setTimeout(r, pollMs));
      }
    },

    /** The split files of one agency, with the rows of each, as the split's manifest lists them. */
    async agencyFiles(runId: string, agencyCode: string): Promise<{ code: string; name: string; folder: string; rows: number; files: Array<{ name: string; registerType: string; rows: number; sha256: string }> }> {
      const { agency } = await splitAgency(runId, agencyCode);
      const files = agency.files.map((f) => ({ name: path.posix.basename(f.path), registerType: f.registerType, rows: f.rows, sha256: f.sha256 }));
      return { code: agency.code, name: agency.name, folder: path.posix.basename(agency.folder), rows: agency.rows, files };
    },

    /** The split folder of one agency as a zip stream, with its manifest; or the exceptions workbook. */
    async agencyZip(runId: string, agencyCode: string): Promise<{ fileName: string; stream: Readable }> {
      const { split, agency } = await splitAgency(runId, agencyCode);
      const zip = new yazl.ZipFile();
      const folderName = path.posix.basename(agency.folder);
      for (const f of agency.files) zip.addFile(path.join(split, f.path), `${folderName}/${path.posix.basename(f.path)}`, { compress: true });
      zip.addFile(path.join(split, agency.folder, MANIFEST_FILE), `${folderName}/${MANIFEST_FILE}`);
      zip.end();
      return { fileName: `${runId} - ${folderName}.zip`, stream: zip.outputStream as unknown as Readable };
    },

    exceptionsFile(runId: string): string {
      const file = path.join(runFolders(paths, checked(runId)).split, EXCEPTIONS_FILE);
      if (!fs.existsSync(file)) throw RunSplitNotReady({ runId });
      return file;
    },
  };
}
export type ProvinceRuns = ReturnType<typeof createProvinceRuns>;
