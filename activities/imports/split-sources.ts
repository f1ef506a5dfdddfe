/**
 * Auto-import (chosen by the coordinator at release): the agency's own split files, put into
 * the content store so each is imported like a file an official delivered.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { StoredSource } from '../../domain/imports/import-types';
import type { RegisterTypeCode } from '../../domain/registers/register-types';
import type { ContentStore } from '../files/content-store';
import type { DataPaths } from '../files/data-paths';
import { MANIFEST_FILE, type SplitManifest } from '../split/split-export';
import { runFolders } from '../split/split-package';

export function createSplitSourceActivities({ store, paths }: { store: ContentStore; paths: DataPaths }) {
  return {
    async agencySplitSources(input: { runId: string; agencyCode: string }): Promise<Array<{ registerType: RegisterTypeCode; source: StoredSource }>> {
      const split = runFolders(paths, input.runId).split;
      const manifest = JSON.parse(fs.readFileSync(path.join(split, MANIFEST_FILE), 'utf8')) as SplitManifest;
      const files = manifest.agencies.find((a) => a.code === input.agencyCode)?.files ?? [];
      const sources = [];
      for (const f of files) {
        const put = await store.put(fs.createReadStream(path.join(split, f.path)));
        sources.push({ registerType: f.registerType, source: { sha256: put.sha256, name: path.basename(f.path) } });
      }
      return sources;
    },
  };
}
export type SplitSourceActivities = ReturnType<typeof createSplitSourceActivities>;
