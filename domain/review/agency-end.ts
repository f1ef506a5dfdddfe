/**
 * When an agency's part of a province run is done, so that its run may end by itself. Three
 * things must hold at once:
 *
 * - every file the split wrote for the agency has been imported: for each register type, as
 *   many distinct files (by SHA-256) as the split wrote of it (a type past 65,535 rows has
 *   several). The file imported need not be the split's own bytes: a split file corrected in
 *   Excel counts as the file it corrects, as nothing tells which of a type's files it was;
 * - no import is in flight: an import accepted but still running brings records the run must
 *   still review;
 * - every book is decided: each record of each book is transferred or rejected (agencyFinished).
 *
 * An agency the split wrote no file for (a run started on its own, importing by hand only)
 * has no expected files to wait for, and nothing tells when its official has imported
 * everything: its run never ends by itself. Any run also ends when a coordinator closes it.
 */
import type { RegisterTypeCode } from '../registers/register-types';
import { agencyFinished } from './review-rules';
import type { ReviewBook } from './review-types';

/** The split files an agency's run waits for, and the files imported so far that count toward them. */
export interface SplitFilesProgress {
  /** Files the split wrote for the agency, by register type. */
  expected: Partial<Record<RegisterTypeCode, number>>;
  /** Distinct files imported as each expected type, at most as many as expected: more change nothing. */
  imported: Partial<Record<RegisterTypeCode, string[]>>;
}

export function expectSplitFiles(files: ReadonlyArray<{ registerType: RegisterTypeCode }>): SplitFilesProgress {
  const expected: SplitFilesProgress['expected'] = {};
  for (const f of files) expected[f.registerType] = (expected[f.registerType] ?? 0) + 1;
  return { expected, imported: {} };
}

/** The progress after an Excel file of a register type was imported. */
export function withImportedFile(progress: SplitFilesProgress, registerType: RegisterTypeCode, sha256: string): SplitFilesProgress {
  const seen = progress.imported[registerType] ?? [];
  if (seen.includes(sha256) || seen.length >= (progress.expected[registerType] ?? 0)) return progress;
  return { ...progress, imported: { ...progress.imported, [registerType]: [...seen, sha256] } };
}

/** Split files still to import, by register type (types with none left are left out). */
export function splitFilesLeft(progress: SplitFilesProgress): Partial<Record<RegisterTypeCode, number>> {
  const left: Partial<Record<RegisterTypeCode, number>> = {};
  for (const [type, n] of Object.entries(progress.expected) as Array<[RegisterTypeCode, number]>) {
    const missing = n - (progress.imported[type]?.length ?? 0);
    if (missing > 0) left[type] = missing;
  }
  return left;
}

export interface AgencyWork {
  /** Undefined until the run has read the split's files for the agency. */
  splitFiles: SplitFilesProgress | undefined;
  importsInFlight: number;
  books: readonly ReviewBook[];
}

/** Whether the agency's run may end by itself now (see the module's comment). */
export function agencyWorkDone({ splitFiles, importsInFlight, books }: AgencyWork): boolean {
  if (!splitFiles || Object.keys(splitFiles.expected).length === 0) return false;
  return Object.keys(splitFilesLeft(splitFiles)).length === 0 && importsInFlight === 0 && agencyFinished(books);
}
