/**
 * AgencyWorkflow (id `agency/<agencyCode>/<runId>`): one civil-registration agency's part of a
 * province run. It opens at the agency's import slot (when the coordinator set one) and takes
 * the agency's imports (Step 3) as updates, so the history shows who imported which file and
 * what came of it. A register book with data moves on to review (Step 4) while more imports
 * keep coming. It tells the province run each time its phase changes.
 */
import { CancellationScope, condition, currentUpdateInfo, getExternalWorkflowHandle, isCancellation, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { ExcelImportActivities } from '../activities/imports/import-excel';
import type { SplitSourceActivities } from '../activities/imports/split-sources';
import type { RunEventActivities } from '../activities/runs/run-events';
import type { ScanActivities } from '../activities/scans/import-scans';
import type { AgencyImportEntry, ExcelImportResult, ImportActor, StoredSource } from '../domain/imports/import-types';
import { isRegisterTypeCode, type RegisterTypeCode } from '../domain/registers/register-types';
import type { AgencyPhase, AgencyProgress, AgencyRunState, AgencySchedule } from '../domain/runs/province-run';
import { AgencyRunEnded, ImportOtherAgency, ImportRegisterTypeInvalid, RunActorMissing } from '../domain/runs/run-errors';
import { agencyPhaseSignal, agencyRunProgress, importExcel, importScans } from './definitions';
import { appFailure } from './failures';

export interface AgencyRunInput {
  runId: string;
  provinceCode: string;
  parentWorkflowId: string;
  agency: Omit<AgencyProgress, 'phase' | 'schedule'>;
  schedule?: AgencySchedule;
  /** Set when the coordinator chose at release that the agency's split files import themselves. */
  autoImport?: { by: string };
}

/** The latest imports kept in the state; every import stays in the history and in PostgreSQL. */
const IMPORTS_KEPT = 50;

const { importExcel: runExcelImport } = proxyActivities<ExcelImportActivities>({
  startToCloseTimeout: '2 hours',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumAttempts: 5 },
});
const { importScans: runScanImport } = proxyActivities<ScanActivities>({
  // A 2 GiB zip of pages is stored entry by entry; a lost worker is noticed by the missing heartbeat.
  startToCloseTimeout: '4 hours',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumAttempts: 5 },
});
const { agencySplitSources } = proxyActivities<SplitSourceActivities>({ startToCloseTimeout: '30 minutes', retry: { maximumAttempts: 5 } });
const { registerWorkflow } = proxyActivities<RunEventActivities>({ startToCloseTimeout: '1 minute' });

const ENDED: readonly AgencyPhase[] = ['completed', 'cancelled'];

export async function agencyRun(input: AgencyRunInput): Promise<AgencyRunState> {
  const state: AgencyRunState = { ...input.agency, phase: input.schedule ? 'scheduled' : 'awaiting_import', schedule: input.schedule, importsDone: 0, imports: [], books: [] };
  setHandler(agencyRunProgress, () => state);
  // Signalled by workflow id, so it reaches the province run after it has continued as new.
  const parent = getExternalWorkflowHandle(input.parentWorkflowId);
  const enter = async (phase: AgencyPhase) => {
    if (state.phase === phase) return;
    state.phase = phase;
    // A province run that has already ended has nobody to tell.
    await parent.signal(agencyPhaseSignal, { code: state.code, phase }).catch(() => undefined);
  };

  const remember = (entry: AgencyImportEntry) => {
    state.importsDone++;
    state.imports = [...state.imports, entry].slice(-IMPORTS_KEPT);
  };
  const openBooks = (type: RegisterTypeCode, result: ExcelImportResult) => {
    for (const b of result.books) {
      const known = state.books.find((k) => k.registerType === type && k.unitCode === b.unitCode && k.bookYear === b.bookYear && k.bookKey === b.bookKey);
      if (known) known.records = b.records;
      else state.books.push({ registerType: type, unitCode: b.unitCode, bookYear: b.bookYear, bookKey: b.bookKey, bookNumber: b.bookNumber, records: b.records, stage: 'in_review' });
    }
  };
  const importOne = async (by: string, registerType: RegisterTypeCode, source: StoredSource, importKey: string) => {
    const result = await runExcelImport({ importKey, agencyCode: state.code, registerType, actor: by, workflowId: workflowInfo().workflowId, source });
    remember({ importId: result.importId, kind: 'excel', by, at: new Date().toISOString(), sourceSha256: source.sha256, sourceName: source.name, registerType, counts: { ...result.counts } });
    openBooks(registerType, result);
    // An import before the slot opens the agency early: the slot is a recommendation, not a lock.
    if (state.books.length > 0) await enter('in_review');
    else if (state.phase === 'scheduled') await enter('awaiting_import');
    return result;
  };

  /** Who may import, and when: an official of this agency or a coordinator, while the agency's part is open. */
  const validateActor = (by: ImportActor | undefined) => {
    if (typeof by?.username !== 'string' || by.username.trim() === '') throw appFailure(RunActorMissing({}));
    if (by.agencyCode !== undefined && by.agencyCode !== state.code) throw appFailure(ImportOtherAgency({ agency: state.code, own: by.agencyCode }));
    if (ENDED.includes(state.phase)) throw appFailure(AgencyRunEnded({ agency: state.code, phase: state.phase }));
  };
  const importKey = () => `${workflowInfo().workflowId}/${currentUpdateInfo()!.id}`;

  setHandler(importExcel, async ({ by, registerType, source }) => importOne(by.username.trim(), registerType, source, importKey()), {
    validator: ({ by, registerType }) => {
      validateActor(by);
      if (!isRegisterTypeCode(String(registerType))) throw appFailure(ImportRegisterTypeInvalid({ value: String(registerType) }));
    },
  });

  setHandler(
    importScans,
    async ({ by, zip, unitCode }) => {
      const actor = by.username.trim();
      const report = await runScanImport({ importKey: importKey(), agencyCode: state.code, unitCode, actor, workflowId: workflowInfo().workflowId, zip });
      const { entries, attached, alreadyAttached, replaced, unmatched, rejected, missingPages } = report.counts;
      remember({ importId: report.importId, kind: 'scans', by: actor, at: new Date().toISOString(), sourceSha256: zip.sha256, sourceName: zip.name, counts: { entries, attached, alreadyAttached, replaced, unmatched, rejected, missingPages } });
      if (state.phase === 'scheduled') await enter('awaiting_import');
      return report;
    },
    { validator: ({ by }) => validateActor(by) },
  );

  try {
    await registerWorkflow({ workflowId: workflowInfo().workflowId, kind: 'agency', provinceCode: input.provinceCode, agencyCode: state.code, startedBy: input.parentWorkflowId });
    if (input.schedule) {
      const wait = Date.parse(input.schedule.startsAt) - Date.now();
      if (wait > 0) await condition(() => state.phase !== 'scheduled', wait);
      await enter(state.books.length > 0 ? 'in_review' : 'awaiting_import');
    }
    if (input.autoImport) {
      const sources = await agencySplitSources({ runId: input.runId, agencyCode: state.code });
      for (const s of sources) await importOne(input.autoImport.by, s.registerType, s.source, `${workflowInfo().workflowId}/auto/${s.source.sha256}`);
    }
    // Step 4 (review and transfer) ends this wait.
    await condition(() => state.phase === 'completed');
    return state;
  } catch (e) {
    if (!isCancellation(e)) throw e;
    await CancellationScope.nonCancellable(() => enter('cancelled'));
    throw e;
  }
}
