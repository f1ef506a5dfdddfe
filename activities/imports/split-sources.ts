/**
 * The agency's own split files: listed when its run starts (the files the run waits to see
 * imported), and, for auto-import (chosen by the coordinator at release), put into the content
 * store so each is imported like a file an official delivered.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { StoredSource } from '../../domain/imports/import-types';
import type { RegisterTypeCode } from '../../domain/registers/register-types';
import type { ContentStore } from '../files/content-store';
import type { DataPaths } from '../files/data-paths';
import { MANIFEST_FILE, type SplitFile, type SplitManifest } from '../split/split-export';
import { runFolders } from '../split/split-package';

export function createSplitSourceActivities({ store, paths }: { store: ContentStore; paths: DataPaths }) {
  const agencyFiles = (split: string, agencyCode: string): SplitFile[] => {
    const manifest = JSON.parse(fs.readFileSync(path.join(split, MANIFEST_FILE), 'utf8')) as SplitManifest;
    return manifest.agencies.find((a) => a.code === agencyCode)?.files ?? [];
  };

  return {
    /** None when the run has no split: an agency run started on its own. */
    async agencySplitFiles(input: { runId: string; agencyCode: string }): Promise<Array<{ registerType: RegisterTypeCode; name: string }>> {
      const split = runFolders(paths, input.runId).split;
      if (!fs.existsSync(path.join(split, MANIFEST_FILE))) return [];
      return agencyFiles(split, input.agencyCode).map((f) => ({ registerType: f.registerType, name: path.basename(f.path) }));
    },

    async agencySplitSources(input: { runId: string; agencyCode: string }): Promise<Array<{ registerType: RegisterTypeCode; source: StoredSource }>> {
      const split = runFolders(paths, input.runId).split;
      const sources = [];
      for (const f of agencyFiles(split, input.agencyCode)) {
        const put = await store.put(fs.createReadStream(path.join(split, f.path)));
        sources.push({ registerType: f.registerType, source: { sha256: put.sha256, name: path.basename(f.path) } });
      }
      return sources;
    },
  };
}
export type SplitSourceActivities = ReturnType<typeof createSplitSourceActivities>;
