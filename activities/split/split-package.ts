/**
 * Step 2 as an activity: splits the run's stored package with the same library as
 * `hotich split`. It heartbeats the rows read (a lost worker is noticed within the heartbeat
 * timeout), tells the run how far it got every few seconds, and stops when the run is
 * cancelled. A retry starts over in a fresh hidden folder; a finished split is only renamed
 * into place once complete, so a retry never counts a row twice or exposes half a tree.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import type { Pool } from 'pg';
import { inTransaction } from '../../db/transaction';
import type { RegisterTypeCode } from '../../domain/registers/register-types';
import type { SplitSummary } from '../../domain/runs/province-run';
import type { ContentStore } from '../files/content-store';
import type { DataPaths } from '../files/data-paths';
import { splitExport, type SplitManifest } from './split-export';
import { splitProgressSignal } from '../../workflows/definitions';

export interface SplitPackageInput {
  runId: string;
  workflowId: string;
  provinceCode: string;
  packageSha256: string;
  packageName: string;
  actor: string;
  /** For sheets that do not say their register type (see `SplitOptions.registerType`). */
  registerType?: RegisterTypeCode;
}

const PROGRESS_SIGNAL_MS = 5000;

/** Where a run keeps its files: the package (a link into the store, under its received name) and the split tree. */
export function runFolders(paths: DataPaths, runId: string): { root: string; packageDir: string; split: string } {
  const root = path.join(paths.runs, runId);
  return { root, packageDir: path.join(root, 'package'), split: path.join(root, 'split') };
}

function summaryOf(manifest: SplitManifest): SplitSummary {
  return {
    inputRows: manifest.input.rows,
    rowsWritten: manifest.rowsWritten,
    exceptionRows: manifest.exceptionRows,
    exceptionsByReason: manifest.exceptions.byReason,
    agencies: manifest.agencies.map((a) => ({ code: a.code, name: a.name, level: a.level, rows: a.rows, files: a.files.length })),
  };
}

export function createSplitActivities({ pool, store, paths }: { pool: Pool; store: ContentStore; paths: DataPaths }) {
  return {
    async splitPackage(input: SplitPackageInput): Promise<SplitSummary> {
      const folders = runFolders(paths, input.runId);
      fs.mkdirSync(folders.packageDir, { recursive: true });
      // The readers pick the format by the file's extension; the store keeps bytes under their hash.
      const packageFile = path.join(folders.packageDir, path.basename(input.packageName));
      if (!fs.existsSync(packageFile)) fs.symlinkSync(store.localPath(input.packageSha256), packageFile);

      const ctx = Context.current();
      const run = ctx.client.workflow.getHandle(input.workflowId);
      let lastSignal = 0;
      const manifest = await splitExport({
        provinceCode: input.provinceCode,
        input: packageFile,
        outDir: folders.split,
        registerType: input.registerType,
        onProgress: (rows) => {
          ctx.heartbeat({ rows });
          if (ctx.cancellationSignal.aborted) throw ctx.cancellationSignal.reason;
          const now = Date.now();
          if (now - lastSignal >= PROGRESS_SIGNAL_MS) {
            lastSignal = now;
            // Progress is a courtesy: a lost signal only delays the number the coordinator sees.
            run.signal(splitProgressSignal, rows).catch(() => undefined);
          }
        },
      });

      await inTransaction(pool, async (c) => {
        for (const a of manifest.agencies) {
          await c.query(
            `INSERT INTO agencies (code, name, level, province_code) VALUES ($1, $2, $3, $4)
             ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level, province_code = EXCLUDED.province_code`,
            [a.code, a.name, a.level, input.provinceCode],
          );
        }
        const logged = await c.query(`SELECT 1 FROM audit_log WHERE action = 'split.completed' AND subject = $1`, [input.workflowId]);
        if (!logged.rowCount) {
          await c.query(`INSERT INTO audit_log (actor, action, subject, details) VALUES ($1, 'split.completed', $2, $3)`, [
            input.actor,
            input.workflowId,
            JSON.stringify({ inputSha256: manifest.input.sha256, inputRows: manifest.input.rows, rowsWritten: manifest.rowsWritten, exceptionRows: manifest.exceptionRows, agencies: manifest.agencies.length }),
          ]);
        }
      });
      return summaryOf(manifest);
    },
  };
}
export type SplitActivities = ReturnType<typeof createSplitActivities>;
