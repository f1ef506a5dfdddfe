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
import { runFolders } from '../activities/split/split-package';
import { EXCEPTIONS_FILE, MANIFEST_FILE, type SplitAgency } from '../activities/split/split-export';
import type { DataPaths } from '../activities/files/data-paths';
import { createHashingTap } from '../activities/files/hashing';
import {
  isProvinceRunId,
  provinceRunId,
  provinceRunWorkflowId,
  stepsOf,
  type AgencySchedule,
  type HandoverDetails,
  type PackageSource,
  type ProvinceRunInput,
  type ProvinceRunProgress,
} from '../domain/runs/province-run';
import { RunAgencyNotFound, RunNotFound, RunProgressUnavailable, RunSplitNotReady, Sha256Invalid } from '../domain/runs/run-errors';
import { isAppError } from '../domain/errors';
import { requireProvinceCode } from '../domain/units/province-code';
import { cancelRun, confirmHandover, provinceRunProgress, releaseSplit } from '../workflows/definitions';
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
}

export interface RunStatus {
  workflowId: string;
  /** Temporal's view: RUNNING, COMPLETED, FAILED, CANCELLED, TERMINATED… */
  status: string;
  progress: ProvinceRunProgress;
  steps: ReturnType<typeof stepsOf>;
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

/** Turns a coded failure that crossed Temporal back into our error; anything else passes unchanged. */
async function coded<T>(work: Promise<T>): Promise<T> {
  try {
    return await work;
  } catch (e) {
    throw appErrorOf(e) ?? e;
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

  const status = async (runId: string): Promise<RunStatus> => {
    const handle = handleOf(runId);
    try {
      // Query first: a phase the query shows as ended is then also ended in the description.
      const progress = await handle.query(provinceRunProgress);
      const described = await handle.describe();
      return { workflowId: handle.workflowId, status: described.status.name, progress, steps: stepsOf(progress) };
    } catch (e) {
      if (e instanceof WorkflowNotFoundError) throw RunNotFound({ runId });
      // A query needs a worker: none running, or one just lost, is a pause, not a failure.
      if (e instanceof ServiceError) throw RunProgressUnavailable({ runId, reason: e.message }, { cause: e });
      throw e;
    }
  };

  /** One agency of a finished split, from the run's manifest. */
  const splitAgency = async (runId: string, agencyCode: string): Promise<{ split: string; agency: SplitAgency }> => {
    const split = runFolders(paths, checked(runId)).split;
    if (!fs.existsSync(path.join(split, MANIFEST_FILE))) throw RunSplitNotReady({ runId });
    const manifest = JSON.parse(await fs.promises.readFile(path.join(split, MANIFEST_FILE), 'utf8')) as { agencies: SplitAgency[] };
    const agency = manifest.agencies.find((a) => a.code === agencyCode);
    if (!agency) throw RunAgencyNotFound({ runId, agency: agencyCode });
    return { split, agency };
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
      try {
        await pipeline(source, tap.stream, fs.createWriteStream(file, { mode: 0o600 }));
      } catch (e) {
        fs.rmSync(file, { force: true });
        throw e;
      }
      const { sha256, size } = tap.digest();
      return { token, sha256, sizeBytes: size };
    },

    /** Starts the run of a package, or finds the run that already has it. */
    async start(req: StartRunRequest): Promise<{ runId: string; workflowId: string; existing: boolean }> {
      const provinceCode = requireProvinceCode(req.provinceCode);
      const sha256 = req.sha256.trim().toLowerCase();
      if (!/^[0-9a-f]{64}$/.test(sha256)) throw Sha256Invalid({ value: req.sha256 });
      assertPackageName(req.originalName);
      if (req.source.kind === 'inbox') resolveInboxFile(paths.inbox, req.source.path);
      const runId = provinceRunId(provinceCode, sha256);
      const workflowId = provinceRunWorkflowId(runId);
      const discardStaged = () => {
        if (req.source.kind === 'staged') fs.rmSync(stagedFile(paths, req.source.token), { force: true });
      };

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

    async release(runId: string, by: string, schedules?: Record<string, AgencySchedule>, opts: { autoImport?: boolean } = {}): Promise<ProvinceRunProgress> {
      return coded(handleOf(runId).executeUpdate(releaseSplit, { args: [{ by, schedules, autoImport: opts.autoImport }] }));
    },

    async cancel(runId: string, by: string, reason: string): Promise<ProvinceRunProgress> {
      return coded(handleOf(runId).executeUpdate(cancelRun, { args: [{ by, reason }] }));
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
