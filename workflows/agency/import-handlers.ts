/**
 * Step 3 in an agency's run: an official (or a coordinator) imports an Excel file of a register
 * type or a .zip of scanned pages, each as an update, so the history shows who imported which
 * file and what came of it. A book with data is open for review from then on.
 */
import { condition, patched, setHandler } from '@temporalio/workflow';
import type { ExcelImportActivities } from '../../activities/imports/import-excel';
import type { SplitSourceActivities } from '../../activities/imports/split-sources';
import type { ScanActivities } from '../../activities/scans/import-scans';
import { importActorRole, type AgencyImportEntry, type ExcelImportResult, type ImportActor, type ImportActorRole, type StoredSource } from '../../domain/imports/import-types';
import { storedSourceProblem } from '../../domain/imports/stored-source';
import { isRegisterTypeCode, type RegisterTypeCode } from '../../domain/registers/register-types';
import { reviseSplitFiles, withImportedFile } from '../../domain/review/agency-end';
import { bookId } from '../../domain/review/review-types';
import { ImportOtherAgency, ImportRegisterTypeInvalid, RunActorMissing } from '../../domain/runs/run-errors';
import { importExcel, importScans, splitFilesChanged } from '../definitions';
import { appFailure } from '../failures';
import type { AgencyContext } from './agency-context';
import { notEnded, updateKey } from './guards';

/** The latest imports kept in the state; every import stays in the history and in PostgreSQL. */
const IMPORTS_KEPT = 50;
const REOPENED_BOOKS_TOUCHED = 'touch-books-reopened-by-pages';

export interface ImportActivities {
  importExcel: ExcelImportActivities['importExcel'];
  importScans: ScanActivities['importScans'];
  agencySplitFiles: SplitSourceActivities['agencySplitFiles'];
  agencySplitSources: SplitSourceActivities['agencySplitSources'];
}

export interface Imports {
  /**
   * The agency's import slot has opened: from now on split files the run is told of later are
   * imported at once when the coordinator released the split with its imports.
   */
  openSlot(): void;
  /** Imports split files of the agency (by SHA-256) as `by`, one after another (the automatic import of a released run), each counted in flight. */
  importSplitFiles(by: string, only: readonly string[]): Promise<void>;
}

export function setImportHandlers(run: AgencyContext, activities: ImportActivities): Imports {
  const { state, workflowId } = run;

  /** An import counts as in flight from its acceptance, and starts once the run knows the split files it expects. */
  const inFlight = async <T>(work: () => Promise<T>): Promise<T> => {
    run.importsInFlight++;
    try {
      await condition(() => state.splitFiles !== undefined);
      return await work();
    } finally {
      run.importsInFlight--;
    }
  };
  const remember = (entry: AgencyImportEntry) => {
    state.importsDone++;
    state.imports = [...state.imports, entry].slice(-IMPORTS_KEPT);
  };
  /** An import before the slot opens the agency early: the slot is a recommendation, not a lock. */
  const opened = async () => {
    if (state.books.length > 0) await run.enter('in_review');
    else if (state.phase === 'scheduled') await run.enter('awaiting_import');
  };
  const importOne = async (by: { username: string; role: ImportActorRole }, type: RegisterTypeCode, source: StoredSource, importKey: string) => {
    const result: ExcelImportResult = await activities.importExcel({ importKey, runId: run.input.runId, agencyCode: state.code, registerType: type, actor: by.username, actorRole: by.role, workflowId, source });
    remember({ importId: result.importId, kind: 'excel', by: by.username, at: run.nowIso(), sourceSha256: source.sha256, sourceName: source.name, registerType: type, counts: { ...result.counts } });
    state.splitFiles = withImportedFile(state.splitFiles!, type, source.sha256);
    const imported = new Set(result.books.map((b) => bookId({ registerType: type, ...b })));
    // A re-import can send records back to review: every book's counts are read again.
    await run.refreshBooks((b) => imported.has(bookId(b)));
    await opened();
    return result;
  };

  /** Who may import, and when: an official of this agency or a coordinator, while the agency's part is open. */
  const validateActor = (by: ImportActor | undefined) => {
    if (typeof by?.username !== 'string' || by.username.trim() === '') throw appFailure(RunActorMissing({}));
    if (by.agencyCode !== undefined && by.agencyCode !== state.code) throw appFailure(ImportOtherAgency({ agency: state.code, own: by.agencyCode }));
    notEnded(run);
  };
  /** The stored file an import names, as the upload and the CLI make it: the activities take it on trust. */
  const validateSource = (source: StoredSource | undefined) => {
    const problem = storedSourceProblem(source);
    if (problem) throw appFailure(problem);
  };

  setHandler(
    importExcel,
    async ({ by, registerType: type, source }) => {
      const key = updateKey(run);
      return inFlight(() => importOne({ username: by.username.trim(), role: importActorRole(by) }, type, source, key));
    },
    {
      validator: ({ by, registerType: type, source }) => {
        validateActor(by);
        if (!isRegisterTypeCode(String(type))) throw appFailure(ImportRegisterTypeInvalid({ value: String(type) }));
        validateSource(source);
      },
    },
  );

  setHandler(
    importScans,
    async ({ by, zip, unitCode }) => {
      const actor = by.username.trim();
      const importKey = updateKey(run);
      const report = await inFlight(() => activities.importScans({ importKey, agencyCode: state.code, unitCode, actor, actorRole: importActorRole(by), workflowId, zip }));
      const { entries, attached, alreadyAttached, replaced, unmatched, rejected, missingPages } = report.counts;
      remember({ importId: report.importId, kind: 'scans', by: actor, at: run.nowIso(), sourceSha256: zip.sha256, sourceName: zip.name, counts: { entries, attached, alreadyAttached, replaced, unmatched, rejected, missingPages } });
      // New pages make records approvable, and reopen rejected ones: their books count again, and their idle clocks start again.
      if (attached + replaced > 0) {
        const before = new Map(state.books.map((b) => [bookId(b), { ...b.counts }]));
        // Runs from before rejected records were reopened by a page touch only the books whose pages were awaited.
        const reopening = patched(REOPENED_BOOKS_TOUCHED);
        await run.refreshBooks((b) => before.get(bookId(b))?.awaitingScan !== b.counts.awaitingScan || (reopening && before.get(bookId(b))?.imported !== b.counts.imported));
      }
      await opened();
      return report;
    },
    { validator: ({ by, zip }) => (validateActor(by), validateSource(zip)) },
  );

  /** Whether the slot has opened: files a decision gives the run before it are imported with the others when it opens. */
  let slotOpened = run.input.carried !== undefined;
  const importSplitFiles = async (by: string, only: readonly string[]) => {
    if (only.length === 0) return;
    const sources = await activities.agencySplitSources({ runId: run.input.runId, agencyCode: state.code, only: [...only] });
    // As the coordinator who released the split with its imports.
    for (const s of sources) await inFlight(() => importOne({ username: by, role: 'coordinator' }, s.registerType, s.source, `${workflowId}/auto/${s.source.sha256}`));
  };

  setHandler(
    splitFilesChanged,
    ({ autoImport }) =>
      // In flight while it reads: the run does not end on the files it knew before.
      inFlight(async () => {
        const revised = reviseSplitFiles(state.splitFiles!, await activities.agencySplitFiles({ runId: run.input.runId, agencyCode: state.code }));
        state.splitFiles = revised.progress;
        if (autoImport && slotOpened) await importSplitFiles(autoImport.by, revised.added.map((f) => f.sha256));
        return state.splitFiles!;
      }),
    {
      validator: ({ autoImport }) => {
        notEnded(run);
        if (autoImport && (typeof autoImport.by !== 'string' || autoImport.by.trim() === '')) throw appFailure(RunActorMissing({}));
      },
    },
  );

  return {
    openSlot: () => {
      slotOpened = true;
    },
    importSplitFiles,
  };
}
