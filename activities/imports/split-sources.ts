/**
 * The agency's own split files: listed when its run starts (the files the run waits to see
 * imported), put into the content store for auto-import (chosen by the coordinator at release)
 * so each is imported like a file an official delivered, and told to the agency's run when a
 * decision after release changes them.
 */
import fs from 'node:fs';
import path from 'node:path';
import { Context } from '@temporalio/activity';
import { WorkflowFailedError, WorkflowNotFoundError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { StoredSource } from '../../domain/imports/import-types';
import type { RegisterTypeCode } from '../../domain/registers/register-types';
import { splitFilesAfter, type SplitFilesProgress } from '../../domain/review/agency-end';
import { AgencyRunEnded } from '../../domain/runs/run-errors';
import type { agencyRun } from '../../workflows/agency-run';
import { agencyRunProgress, splitFilesChanged } from '../../workflows/definitions';
import { appErrorOf } from '../../workflows/failures';
import type { ContentStore } from '../files/content-store';
import type { DataPaths } from '../files/data-paths';
import { MANIFEST_FILE, type SplitFile, type SplitManifest } from '../split/split-export';
import { runFolders } from '../split/split-package';

/** How often a wait on another workflow tells Temporal this activity is alive. */
const HEARTBEAT_MS = 10_000;

/** What telling an agency's run of its changed files came to: the run took them, or it had ended and what it had been given. */
export type AgencyRunExtension = { extended: true } | { extended: false; earlierSplitFiles?: SplitFilesProgress; newFiles: number };

export function createSplitSourceActivities({ store, paths }: { store: ContentStore; paths: DataPaths }) {
  const agencyFiles = (runId: string, agencyCode: string): SplitFile[] => {
    const split = runFolders(paths, runId).split;
    if (!fs.existsSync(path.join(split, MANIFEST_FILE))) return [];
    const manifest = JSON.parse(fs.readFileSync(path.join(split, MANIFEST_FILE), 'utf8')) as SplitManifest;
    return manifest.agencies.find((a) => a.code === agencyCode)?.files ?? [];
  };

  return {
    /** None when the run has no split: an agency run started on its own. */
    async agencySplitFiles(input: { runId: string; agencyCode: string }): Promise<Array<{ registerType: RegisterTypeCode; name: string; sha256: string }>> {
      return agencyFiles(input.runId, input.agencyCode).map((f) => ({ registerType: f.registerType, name: path.basename(f.path), sha256: f.sha256 }));
    },

    /** The agency's split files put into the store, those of `only` (SHA-256) when given. */
    async agencySplitSources(input: { runId: string; agencyCode: string; only?: string[] }): Promise<Array<{ registerType: RegisterTypeCode; source: StoredSource }>> {
      const split = runFolders(paths, input.runId).split;
      const sources = [];
      for (const f of agencyFiles(input.runId, input.agencyCode)) {
        if (input.only && !input.only.includes(f.sha256)) continue;
        const put = await store.put(fs.createReadStream(path.join(split, f.path)));
        sources.push({ registerType: f.registerType, source: { sha256: put.sha256, name: path.basename(f.path) } });
      }
      return sources;
    },

    /**
     * Tells the agency's run that the split changed its files (an update, named by `updateId`
     * so a retry is the same update). A run that has ended, or is ending, refuses: then, once it
     * has closed, says what it had been given and how many of the agency's files are new to it.
     */
    async extendAgencyRun(input: { runId: string; agencyCode: string; workflowId: string; updateId: string; autoImport?: { by: string } }): Promise<AgencyRunExtension> {
      const ctx = Context.current();
      const handle = ctx.client.workflow.getHandle<typeof agencyRun>(input.workflowId);
      const beat = setInterval(() => ctx.heartbeat(), HEARTBEAT_MS);
      const cancellable = <T>(work: Promise<T>) => Promise.race([work, ctx.cancelled]);
      try {
        try {
          await cancellable(handle.executeUpdate(splitFilesChanged, { updateId: input.updateId, args: [{ autoImport: input.autoImport }] }));
          return { extended: true };
        } catch (e) {
          if (!(e instanceof WorkflowNotFoundError) && appErrorOf(e)?.code !== AgencyRunEnded.code) {
            // Taken, and its handler failed: it reads the files first, so an auto-import that failed leaves the run
            // waiting for the file, its history and the import saying why. Sent again, the same update only fails again.
            if (e instanceof WorkflowUpdateFailedError) return { extended: true };
            throw e;
          }
        }
        // A run closed by cancellation or termination has no result, but still answers what it was given.
        const ended = await cancellable(handle.result().catch((e: unknown) => (e instanceof WorkflowFailedError ? handle.query(agencyRunProgress) : Promise.reject(e))));
        const { added } = splitFilesAfter(ended.splitFiles, agencyFiles(input.runId, input.agencyCode));
        return { extended: false, ...(ended.splitFiles ? { earlierSplitFiles: ended.splitFiles } : {}), newFiles: added.length };
      } finally {
        clearInterval(beat);
      }
    },
  };
}
export type SplitSourceActivities = ReturnType<typeof createSplitSourceActivities>;
