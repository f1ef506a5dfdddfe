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
import { scopeOfWorkflow } from '../../domain/audit/audit-entry';
import { recordAction } from '../audit/record-action';
import type { ContentStore } from '../files/content-store';
import type { DataPaths } from '../files/data-paths';
import { splitExport, type SplitAgency, type SplitManifest } from './split-export';
import { applyDecisions, type HandPlacement } from './apply-decisions';
import type { WorkbookPlacement } from './placements-workbook';
import { currentCustodians } from '../runs/custodian-decisions';
import { neededUnitsOf, type CustodianDecision, type NeededUnits } from '../../domain/runs/custodians';
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

const agencySummary = (a: SplitAgency) => ({ code: a.code, name: a.name, level: a.level, rows: a.rows, files: a.files.length });

function summaryOf(manifest: SplitManifest): SplitSummary {
  return {
    inputRows: manifest.input.rows,
    rowsWritten: manifest.rowsWritten,
    exceptionRows: manifest.exceptionRows,
    exceptionsByReason: manifest.exceptions.byReason,
    agencies: manifest.agencies.map(agencySummary),
  };
}

/** A batch of the coordinator's decisions, as the run accepted it: custodians, or the placements of one uploaded workbook. */
export interface DecisionBatch {
  runId: string;
  workflowId: string;
  batch: number;
  custodians?: CustodianDecision[];
  placements?: { workbookSha256: string; by: string; at: string; rows: WorkbookPlacement[] };
}

export interface AppliedDecisions {
  summary: SplitSummary;
  /** Agencies whose folder changed: their files now (none when the folder went). */
  changed: SplitSummary['agencies'];
  /** Rows placed by hand in this batch, and those that stayed exceptions. */
  placed: number;
  refused: number;
}
export function createSplitActivities({ pool, store, paths }: { pool: Pool; store: ContentStore; paths: DataPaths }) {
  return {
    async splitPackage(input: SplitPackageInput): Promise<SplitSummary & { needed: NeededUnits }> {
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

      await recordAction(pool, async (c) => {
        for (const a of manifest.agencies) {
          await c.query(
            `INSERT INTO agencies (code, name, level, province_code) VALUES ($1, $2, $3, $4)
             ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level, province_code = EXCLUDED.province_code`,
            [a.code, a.name, a.level, input.provinceCode],
          );
        }
        return {
          result: undefined,
          audit: [
            {
              provinceCode: input.provinceCode,
              actor: input.actor,
              actorRole: 'coordinator',
              action: 'split.completed',
              subject: { kind: 'workflow', id: input.workflowId },
              workflowId: input.workflowId,
              details: { inputSha256: manifest.input.sha256, inputRows: manifest.input.rows, rowsWritten: manifest.rowsWritten, exceptionRows: manifest.exceptionRows, agencies: manifest.agencies.length },
              key: `split.completed:${input.workflowId}`,
            },
          ],
        };
      });
      const needed = neededUnitsOf(manifest.decisionsNeeded);
      return { ...summaryOf(manifest), needed };
    },

    /** Keeps a batch of decisions in PostgreSQL with who, when and on what basis, and on the audit log; once, whatever the retries. */
    async recordDecisions(input: DecisionBatch): Promise<void> {
      await recordAction(pool, async (c) => {
        for (const d of input.custodians ?? []) {
          await c.query(
            `INSERT INTO custodian_decisions (run_id, batch, unit_code, unit_name, agency_code, agency_name, candidate, basis, committee_decision_number, committee_decision_date, decided_by, decided_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (run_id, batch, unit_code) DO NOTHING`,
            [input.runId, input.batch, d.unitCode, d.unitName, d.agencyCode, d.agencyName, d.candidate, d.basis ?? null, d.committeeDecision?.number || null, d.committeeDecision?.date || null, d.decidedBy, d.decidedAt],
          );
        }
        const p = input.placements;
        for (const r of p?.rows ?? []) {
          await c.query(
            `INSERT INTO exception_placements (run_id, batch, workbook_sha256, sheet, source_row, agency_code, placed_by, placed_at)
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (run_id, batch, sheet, source_row) DO NOTHING`,
            [input.runId, input.batch, p!.workbookSha256, r.sheet, r.row, r.agencyCode, p!.by, p!.at],
          );
        }
        const action = input.custodians ? 'split.custodians_decided' : 'split.exceptions_placed';
        const details = input.custodians
          ? { batch: input.batch, decisions: input.custodians.map((d) => ({ unit: d.unitCode, agency: d.agencyCode, committeeDecision: d.committeeDecision?.number })) }
          : { batch: input.batch, workbookSha256: p!.workbookSha256, rows: p!.rows.length };
        return {
          result: undefined,
          audit: [
            {
              ...scopeOfWorkflow(input.workflowId),
              actor: input.custodians?.[0]?.decidedBy ?? p!.by,
              actorRole: 'coordinator',
              action,
              subject: { kind: 'workflow', id: input.workflowId },
              workflowId: input.workflowId,
              details,
              key: `${action}:${input.workflowId}:${input.batch}`,
            },
          ],
        };
      });
    },

    /**
     * Applies every current decision of the run to its split (see applyDecisions): the same
     * decisions give the same files, so a retry places no row twice.
     */
    async applyRunDecisions(input: { runId: string; provinceCode: string; registerType?: RegisterTypeCode; batch: number }): Promise<AppliedDecisions> {
      const custodians = await currentCustodians(pool, input.runId, input.batch);
      const placements = await pool.query<{ sheet: string; source_row: number; agency_code: string; placed_by: string; placed_at: Date; batch: number }>(
        `SELECT DISTINCT ON (sheet, source_row) sheet, source_row, agency_code, placed_by, placed_at, batch
         FROM exception_placements WHERE run_id = $1 AND batch <= $2 ORDER BY sheet, source_row, batch DESC`,
        [input.runId, input.batch],
      );
      const ctx = Context.current();
      const hand: HandPlacement[] = placements.rows.map((r) => ({ sheet: r.sheet, row: r.source_row, agencyCode: r.agency_code, placedBy: r.placed_by, placedAt: r.placed_at.toISOString() }));
      const { manifest, placements: outcomes, changed } = await applyDecisions({
        outDir: runFolders(paths, input.runId).split,
        provinceCode: input.provinceCode,
        registerType: input.registerType,
        custodians,
        placements: hand,
        onProgress: (rows) => ctx.heartbeat({ rows }),
      });
      const thisBatch = new Set(placements.rows.filter((r) => r.batch === input.batch).map((r) => `${r.sheet}!${r.source_row}`));
      let placed = 0;
      let refused = 0;
      await inTransaction(pool, async (c) => {
        for (const o of outcomes) {
          if (thisBatch.has(`${o.sheet}!${o.row}`)) {
            if (o.placed) placed++;
            else refused++;
          }
          await c.query('UPDATE exception_placements SET placed = $4, reason_code = $5, reason_params = $7 WHERE run_id = $1 AND sheet = $2 AND source_row = $3 AND batch <= $6', [
            input.runId,
            o.sheet,
            o.row,
            o.placed,
            o.code ?? null,
            input.batch,
            o.params ? JSON.stringify(o.params) : null,
          ]);
        }
        for (const a of manifest.agencies) {
          await c.query(
            `INSERT INTO agencies (code, name, level, province_code) VALUES ($1, $2, $3, $4)
             ON CONFLICT (code) DO UPDATE SET name = EXCLUDED.name, level = EXCLUDED.level, province_code = EXCLUDED.province_code`,
            [a.code, a.name, a.level, input.provinceCode],
          );
        }
      });
      return { summary: summaryOf(manifest), changed: changed.map(agencySummary), placed, refused };
    },
  };
}
export type SplitActivities = ReturnType<typeof createSplitActivities>;
