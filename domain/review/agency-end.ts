/**
 * When an agency's part of a province run is done, so that its run may end by itself. Three
 * things must hold at once:
 *
 * - every file the split wrote for the agency has been imported: for each register type, as
 *   many distinct files (by SHA-256) as the split wrote of it (a type past 65,535 rows has
 *   several). The file imported need not be the split's own bytes: a split file corrected in
 *   Excel counts as the file it corrects, as nothing tells which of a type's files it was.
 *   A decision of the coordinator after release can give the agency more files while its run
 *   goes on: they are waited for too (reviseSplitFiles), or, when its run has ended, a new run
 *   of the agency waits for them alone (splitFilesAfter);
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

/** One file the split wrote for the agency. */
export interface SplitFileRef {
  registerType: RegisterTypeCode;
  sha256: string;
}

/** The split files an agency's run waits for, and the files imported so far that count toward them. */
export interface SplitFilesProgress {
  /** Files the split wrote for the agency that the run waits for, by register type (their SHA-256). */
  expected: Partial<Record<RegisterTypeCode, string[]>>;
  /** Distinct files imported as each expected type, at most as many as expected: more change nothing. */
  imported: Partial<Record<RegisterTypeCode, string[]>>;
  /** Split files of the agency the run knows of but does not wait for: those an earlier run of the agency was given. */
  earlier: Partial<Record<RegisterTypeCode, string[]>>;
}

type ByType = Partial<Record<RegisterTypeCode, string[]>>;

const byType = (files: readonly SplitFileRef[]): ByType => {
  const out: ByType = {};
  for (const f of files) (out[f.registerType] ??= []).push(f.sha256);
  return out;
};
const without = (lists: ByType, gone: ReadonlySet<string>): ByType => {
  const out: ByType = {};
  for (const [type, shas] of Object.entries(lists) as Array<[RegisterTypeCode, string[]]>) {
    const kept = shas.filter((s) => !gone.has(s));
    if (kept.length) out[type] = kept;
  }
  return out;
};
const shasOf = (lists: ByType) => new Set(Object.values(lists).flat());

export function expectSplitFiles(files: readonly SplitFileRef[]): SplitFilesProgress {
  return { expected: byType(files), imported: {}, earlier: {} };
}

/**
 * The progress once the split has rewritten the agency's files while its run goes on (a
 * custodian decision or rows placed by hand after release): a file new to the run is waited
 * for; a file the split no longer holds (a file of hand-placed rows that took more rows comes
 * back under a new SHA-256) is no longer waited for, and its old version, if imported as it
 * was, no longer counts: the new version must be imported. Returns the files new to the run.
 */
export function reviseSplitFiles(progress: SplitFilesProgress, files: readonly SplitFileRef[]): { progress: SplitFilesProgress; added: SplitFileRef[] } {
  const known = new Set([...shasOf(progress.expected), ...shasOf(progress.earlier)]);
  const now = new Set(files.map((f) => f.sha256));
  const gone = new Set([...known].filter((s) => !now.has(s)));
  const added = files.filter((f) => !known.has(f.sha256));
  const expected = without(progress.expected, gone);
  for (const f of added) (expected[f.registerType] ??= []).push(f.sha256);
  // Fewer files of a type than imports counted for it: the imports of the files themselves count first.
  const imported: ByType = {};
  for (const [type, shas] of Object.entries(without(progress.imported, gone)) as Array<[RegisterTypeCode, string[]]>) {
    const wanted = expected[type] ?? [];
    const kept = [...shas.filter((s) => wanted.includes(s)), ...shas.filter((s) => !wanted.includes(s))].slice(0, wanted.length);
    if (kept.length) imported[type] = kept;
  }
  return { progress: { expected, imported, earlier: without(progress.earlier, gone) }, added };
}

/**
 * The progress of a run started again for an agency whose earlier run had ended when the split
 * gave it more files: it waits only for the files the earlier run was never given; those it was
 * given were imported then, or left when a coordinator closed the agency's part.
 */
export function splitFilesAfter(earlierRun: SplitFilesProgress | undefined, files: readonly SplitFileRef[]): { progress: SplitFilesProgress; added: SplitFileRef[] } {
  const given = earlierRun ? new Set([...shasOf(earlierRun.expected), ...shasOf(earlierRun.earlier)]) : new Set<string>();
  const added = files.filter((f) => !given.has(f.sha256));
  return { progress: { expected: byType(added), imported: {}, earlier: byType(files.filter((f) => given.has(f.sha256))) }, added };
}

/** The progress after an Excel file of a register type was imported. */
export function withImportedFile(progress: SplitFilesProgress, registerType: RegisterTypeCode, sha256: string): SplitFilesProgress {
  const seen = progress.imported[registerType] ?? [];
  if (seen.includes(sha256) || seen.length >= (progress.expected[registerType]?.length ?? 0)) return progress;
  return { ...progress, imported: { ...progress.imported, [registerType]: [...seen, sha256] } };
}

/** Split files still to import, by register type (types with none left are left out). */
export function splitFilesLeft(progress: SplitFilesProgress): Partial<Record<RegisterTypeCode, number>> {
  const left: Partial<Record<RegisterTypeCode, number>> = {};
  for (const [type, shas] of Object.entries(progress.expected) as Array<[RegisterTypeCode, string[]]>) {
    const missing = shas.length - (progress.imported[type]?.length ?? 0);
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
