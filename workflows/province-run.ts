/**
 * ProvinceRunWorkflow (id `province/<code>/<runId>`): Step 1 receive → the coordinator confirms
 * the handover → Step 2 split → the coordinator reviews and releases (with a schedule per
 * agency) → one agency run per agency, started a few at a time → tracks each agency's phase.
 * The state is counters and one small entry per agency; rows and files stay in PostgreSQL and
 * the file store. History is bounded by continuing as new while agencies work.
 */
import {
  ApplicationFailure,
  CancellationScope,
  condition,
  continueAsNew,
  getExternalWorkflowHandle,
  isCancellation,
  allHandlersFinished,
  ParentClosePolicy,
  proxyActivities,
  setHandler,
  startChild,
  workflowInfo,
} from '@temporalio/workflow';
import type { SplitSourceActivities } from '../activities/imports/split-sources';
import type { ReceiveActivities } from '../activities/receive/receive-package';
import type { SplitActivities } from '../activities/split/split-package';
import type { RunEventActivities } from '../activities/runs/run-events';
import { isAppError, type AppError } from '../domain/errors';
import type { SplitFilesProgress } from '../domain/review/agency-end';
import { checkCustodianDecisions, CustodianAlreadyReleased, type CustodianDecision } from '../domain/runs/custodians';
import { agencyWorkflowId, type AgencyProgress, type AgencySchedule, type CustodianProgress, type DecisionBatchResult, type ProvinceRunInput, type ProvinceRunProgress, type RunPhase } from '../domain/runs/province-run';
import {
  CancelReasonMissing,
  RunCustodiansUndecided,
  RunDecisionsNotOpen,
  RunPlacementsEmpty,
  RunActorMissing,
  RunAlreadyEnded,
  RunNotAwaitingHandover,
  RunNotAwaitingRelease,
  ScheduleAgencyUnknown,
  ScheduleTimeInvalid,
} from '../domain/runs/run-errors';
import { agencyRun } from './agency-run';
import { agencyPhaseSignal, cancelRun, confirmHandover, decideCustodians, placeExceptions, provinceRunProgress, releaseSplit, splitProgressSignal } from './definitions';
import { appFailure, runFailureOf } from './failures';
import { describeRun, markPhase } from './search-attributes';

/** Agency runs started at once: a province can have 600+ agencies. */
export const CHILD_START_BATCH = 25;
/** Continue as new before the history grows past this many events. */
const HISTORY_LIMIT = 10_000;

const { receivePackage, recordHandoverConfirmed } = proxyActivities<ReceiveActivities>({
  startToCloseTimeout: '30 minutes',
  retry: { maximumAttempts: 5 },
});
const { recordRunEvent, registerWorkflows } = proxyActivities<RunEventActivities>({ startToCloseTimeout: '1 minute' });
const { splitPackage } = proxyActivities<SplitActivities>({
  // A 1,000,000-row package splits in minutes; a lost worker is noticed by the missing heartbeat.
  startToCloseTimeout: '4 hours',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', maximumAttempts: 10 },
  cancellationType: 'WAIT_CANCELLATION_COMPLETED',
});

const { recordDecisions, applyRunDecisions } = proxyActivities<SplitActivities>({
  // Rewrites only the agencies a decision changes, from the split's exceptions: minutes at most.
  startToCloseTimeout: '1 hour',
  heartbeatTimeout: '30 seconds',
  retry: { initialInterval: '2 seconds', maximumAttempts: 10 },
});

const { extendAgencyRun } = proxyActivities<SplitSourceActivities>({
  // Waits, heartbeating, for the agency's run to take the new files (imported too with auto-import), or to close.
  startToCloseTimeout: '4 hours',
  heartbeatTimeout: '1 minute',
  retry: { initialInterval: '2 seconds', maximumInterval: '5 minutes' },
});

const ENDED = ['completed', 'failed', 'cancelled'] as const;
/** The phases in which the split's decisions are taken: once split, until the run ends. */
const DECISIONS_OPEN = ['awaiting_release', 'releasing', 'in_progress'] as const;

function reject(e: AppError<object>): never {
  throw appFailure(e);
}

function requireActor(by: unknown): void {
  if (typeof by !== 'string' || by.trim() === '') reject(RunActorMissing({}));
}

/** A domain check whose coded error becomes the update's refusal. */
function checked<T>(check: () => T): T {
  try {
    return check();
  } catch (e) {
    if (isAppError(e)) reject(e);
    throw e;
  }
}

function validateSchedules(state: ProvinceRunProgress, schedules: Record<string, AgencySchedule> | undefined): void {
  const known = new Set(state.agencies.map((a) => a.code));
  for (const [agency, s] of Object.entries(schedules ?? {})) {
    if (!known.has(agency)) reject(ScheduleAgencyUnknown({ agency }));
    if (typeof s?.startsAt !== 'string' || Number.isNaN(Date.parse(s.startsAt))) reject(ScheduleTimeInvalid({ agency, value: String(s?.startsAt) }));
  }
}

export async function provinceRun(input: ProvinceRunInput, carried?: ProvinceRunProgress): Promise<ProvinceRunProgress> {
  const { workflowId } = workflowInfo();
  const state: ProvinceRunProgress = carried ?? { runId: input.runId, provinceCode: input.provinceCode, phase: 'receiving', splitRows: 0, agencies: [] };
  let handoverBy: string | undefined;
  let release: { by: string; schedules: Record<string, AgencySchedule>; autoImport: boolean } | undefined;
  let splitScope: CancellationScope | undefined;
  let tellScope: CancellationScope | undefined;
  const now = () => new Date(Date.now()).toISOString();
  const enter = (phase: RunPhase) => {
    state.phase = phase;
    markPhase(phase);
  };
  describeRun({ kind: 'province-run', provinceCode: state.provinceCode }, state.phase);
  /** Decision batches apply one after another, in the order accepted. */
  let decisionQueue: Promise<unknown> = Promise.resolve();
  const inTurn = <T>(work: () => Promise<T>): Promise<T> => {
    const next = decisionQueue.then(work);
    decisionQueue = next.catch(() => undefined);
    return next;
  };
  const undecided = (c: CustodianProgress) => Object.keys(c.needed).filter((u) => !c.decided[u]);
  const requireDecisionsOpen = (): CustodianProgress => {
    if (!state.custodians || !(DECISIONS_OPEN as readonly string[]).includes(state.phase) || state.cancelled) reject(RunDecisionsNotOpen({ phase: state.phase }));
    return state.custodians!;
  };

  const autoImport = () => (state.release?.autoImport ? { by: state.release.releasedBy } : undefined);
  /** An agency's run: at release, or again for the files a decision gave it after its earlier run ended (no slot then). */
  const startAgencyRun = async (a: AgencyProgress, earlierRun?: { splitFiles?: SplitFilesProgress }) => {
    const schedule = earlierRun ? undefined : a.schedule;
    const child = await startChild(agencyRun, {
      workflowId: agencyWorkflowId(a.code, state.runId),
      // The agency's work outlives this run's history: the run continues as new while agencies work.
      parentClosePolicy: ParentClosePolicy.ABANDON,
      args: [{ runId: state.runId, provinceCode: state.provinceCode, parentWorkflowId: workflowId, agency: { code: a.code, name: a.name, level: a.level, rows: a.rows, files: a.files }, schedule, autoImport: autoImport(), earlierRun, review: input.review }],
    });
    a.phase = schedule ? 'scheduled' : 'awaiting_import';
    return child;
  };
  /** Starts agency runs for the agencies still waiting for release, a batch at a time. */
  const startAgencies = async (batch: AgencyProgress[]) => {
    // Registered before they start, so an official who imports the moment the release returns finds the agency's run.
    await registerWorkflows(batch.map((a) => ({ workflowId: agencyWorkflowId(a.code, state.runId), kind: 'agency', provinceCode: state.provinceCode, agencyCode: a.code, startedBy: workflowId })));
    await Promise.all(batch.map((a) => startAgencyRun(a)));
  };
  /**
   * Tells an agency's run that a decision after release changed its files. A run that has ended
   * (done, or closed by a coordinator) is started again for the new files alone: a decision
   * names the custodian the People's Committee chose, whatever the state of that agency's work.
   */
  const tellAgency = async (a: AgencyProgress) => {
    const told = a.filesChanged!;
    const outcome = await extendAgencyRun({ runId: state.runId, agencyCode: a.code, workflowId: agencyWorkflowId(a.code, state.runId), updateId: `split-files/${told.batch}`, autoImport: autoImport() });
    if (!outcome.extended && outcome.newFiles > 0) {
      const child = await startAgencyRun(a, { splitFiles: outcome.earlierSplitFiles });
      await recordRunEvent({ workflowId: child.workflowId, execution: child.firstExecutionRunId, actor: told.by, action: 'agency.started_again', details: { agency: a.code, batch: told.batch, newFiles: outcome.newFiles } });
    }
    // A later batch that changed the agency's files again while it was told is told in turn.
    if (a.filesChanged === told) a.filesChanged = undefined;
  };

  /**
   * Applies every decision up to `batch` to the split and takes the new counts and agencies; after release, hands new
   * agencies their run and marks those whose files changed, to be told.
   */
  const applyBatch = async (batch: number, by: string): Promise<DecisionBatchResult & { placed: number; refused: number }> => {
    const c = state.custodians!;
    const applied = await applyRunDecisions({ runId: state.runId, provinceCode: state.provinceCode, registerType: input.registerType, batch });
    const { agencies, ...counts } = applied.summary;
    state.split = counts;
    const listed = new Map(agencies.map((a) => [a.code, a]));
    // An agency that only held a unit whose decision moved elsewhere before release has nothing left.
    state.agencies = state.agencies.filter((a) => listed.has(a.code) || a.phase !== 'waiting_release');
    // What the activity saw change, and what changed since this run last counted (a retried activity finds nothing to change).
    const changed = new Set(applied.changed.map((a) => a.code));
    for (const a of agencies) {
      const known = state.agencies.find((x) => x.code === a.code);
      if (known && (known.rows !== a.rows || known.files !== a.files)) changed.add(a.code);
      if (known) Object.assign(known, { rows: a.rows, files: a.files });
      else state.agencies.push({ ...a, phase: 'waiting_release' });
    }
    if (state.release) for (const a of state.agencies) if (changed.has(a.code) && a.phase !== 'waiting_release') a.filesChanged = { batch, by };
    c.applied = Math.max(c.applied, batch);
    if (state.phase === 'in_progress') {
      for (let waiting = state.agencies.filter((a) => a.phase === 'waiting_release'); waiting.length; waiting = state.agencies.filter((a) => a.phase === 'waiting_release')) {
        await startAgencies(waiting.slice(0, CHILD_START_BATCH));
      }
    }
    return { batch, undecided: undecided(c).length, exceptionRows: counts.exceptionRows, placed: applied.placed, refused: applied.refused };
  };

  setHandler(provinceRunProgress, () => state);
  setHandler(splitProgressSignal, (rows) => {
    if (state.phase === 'splitting') state.splitRows = Math.max(state.splitRows, rows);
  });
  setHandler(agencyPhaseSignal, ({ code, phase, overdueBooks }) => {
    const agency = state.agencies.find((a) => a.code === code);
    if (!agency) return;
    agency.phase = phase;
    // An agency's part that has ended (closed with books left) has nothing overdue for the coordinator to chase.
    agency.overdueBooks = phase === 'completed' || phase === 'cancelled' ? undefined : overdueBooks || undefined;
  });
  setHandler(
    confirmHandover,
    async ({ by }) => {
      handoverBy = by.trim();
      await condition(() => state.phase !== 'awaiting_handover');
      return state;
    },
    {
      validator: ({ by }) => {
        requireActor(by);
        if (state.phase !== 'awaiting_handover' || handoverBy) reject(RunNotAwaitingHandover({ phase: state.phase }));
      },
    },
  );
  setHandler(
    releaseSplit,
    async ({ by, schedules, autoImport }) => {
      release = { by: by.trim(), schedules: schedules ?? {}, autoImport: autoImport === true };
      await condition(() => state.phase !== 'awaiting_release');
      return state;
    },
    {
      validator: ({ by, schedules, withoutUndecided }) => {
        requireActor(by);
        if (state.phase !== 'awaiting_release' || release) reject(RunNotAwaitingRelease({ phase: state.phase }));
        validateSchedules(state, schedules);
        const left = state.custodians ? undecided(state.custodians) : [];
        if (left.length && withoutUndecided !== true) reject(RunCustodiansUndecided({ count: left.length, units: left.slice(0, 10) }));
      },
    },
  );
  setHandler(
    decideCustodians,
    ({ by, decisions }) => {
      const c = state.custodians!;
      const taken: CustodianDecision[] = checkCustodianDecisions(state.provinceCode, c.needed, decisions, { by: by.trim(), at: now() });
      const batch = ++c.batches;
      for (const d of taken) c.decided[d.unitCode] = d.agencyCode;
      return inTurn(async () => {
        await recordDecisions({ runId: state.runId, workflowId, batch, custodians: taken });
        const applied = await applyBatch(batch, by.trim());
        return { batch, decided: taken.length, undecided: applied.undecided, exceptionRows: applied.exceptionRows };
      });
    },
    {
      validator: ({ by, decisions }) => {
        requireActor(by);
        const c = requireDecisionsOpen();
        const taken = checked(() => checkCustodianDecisions(state.provinceCode, c.needed, decisions, { by, at: '' }));
        // Changeable until release; after it, only units still undecided.
        if (release || state.release) for (const d of taken) if (c.decided[d.unitCode] && c.decided[d.unitCode] !== d.agencyCode) reject(CustodianAlreadyReleased({ code: d.unitCode }));
      },
    },
  );
  setHandler(
    placeExceptions,
    ({ by, workbookSha256, placements }) => {
      const c = state.custodians!;
      if (c.workbooks.includes(workbookSha256)) return Promise.resolve({ batch: c.batches, duplicate: true, undecided: undecided(c).length, exceptionRows: state.split?.exceptionRows ?? 0 });
      c.workbooks.push(workbookSha256);
      const batch = ++c.batches;
      return inTurn(async () => {
        await recordDecisions({ runId: state.runId, workflowId, batch, placements: { workbookSha256, by: by.trim(), at: now(), rows: placements } });
        const result = await applyBatch(batch, by.trim());
        c.placed += result.placed;
        return result;
      });
    },
    {
      validator: ({ by, workbookSha256, placements }) => {
        requireActor(by);
        requireDecisionsOpen();
        if (typeof workbookSha256 !== 'string' || !/^[0-9a-f]{64}$/.test(workbookSha256) || !Array.isArray(placements) || placements.length === 0) reject(RunPlacementsEmpty({}));
      },
    },
  );
  setHandler(
    cancelRun,
    ({ by, reason }) => {
      state.cancelled = { by: by.trim(), reason: reason.trim(), at: now() };
      splitScope?.cancel();
      tellScope?.cancel();
      return state;
    },
    {
      validator: ({ by, reason }) => {
        requireActor(by);
        if (typeof reason !== 'string' || reason.trim() === '') reject(CancelReasonMissing({}));
        if ((ENDED as readonly string[]).includes(state.phase) || state.cancelled) reject(RunAlreadyEnded({ phase: state.phase }));
      },
    },
  );

  const endCancelled = async (): Promise<ProvinceRunProgress> => {
    await CancellationScope.nonCancellable(async () => {
      for (const a of state.agencies) {
        if (a.phase === 'waiting_release' || a.phase === 'completed' || a.phase === 'cancelled') continue;
        await getExternalWorkflowHandle(agencyWorkflowId(a.code, state.runId)).cancel().catch(() => undefined);
        a.phase = 'cancelled';
      }
      await recordRunEvent({ workflowId, actor: state.cancelled!.by, action: 'run.cancelled', details: { reason: state.cancelled!.reason, phase: state.phase } });
    });
    enter('cancelled');
    await condition(allHandlersFinished);
    return state;
  };
  const fail = (e: unknown): never => {
    enter('failed');
    state.failure = runFailureOf(e);
    throw ApplicationFailure.create({ type: state.failure.code, message: state.failure.message, nonRetryable: true, details: [{ messageVi: state.failure.messageVi, kind: 'integrity' }] });
  };

  try {
    if (state.phase === 'receiving') {
      try {
        state.package = await receivePackage({ ...input, workflowId, executionId: workflowInfo().runId });
      } catch (e) {
        if (isCancellation(e)) throw e;
        fail(e);
      }
      enter('awaiting_handover');
      await condition(() => handoverBy !== undefined || state.cancelled !== undefined);
      if (state.cancelled) return await endCancelled();
      state.handover = { confirmedBy: handoverBy!, confirmedAt: now() };
      await recordHandoverConfirmed({ executionId: workflowInfo().runId, workflowId, by: handoverBy!, at: state.handover.confirmedAt });

      enter('splitting');
      splitScope = new CancellationScope();
      try {
        const summary = await splitScope.run(() =>
          splitPackage({
            runId: state.runId,
            workflowId,
            provinceCode: state.provinceCode,
            packageSha256: state.package!.sha256,
            packageName: state.package!.name,
            actor: handoverBy!,
            registerType: input.registerType,
          }),
        );
        const { agencies, needed, ...counts } = summary;
        state.split = counts;
        state.splitRows = summary.inputRows;
        state.agencies = agencies.map((a) => ({ ...a, phase: 'waiting_release' }));
        state.custodians = { needed, decided: {}, batches: 0, applied: 0, workbooks: [], placed: 0 };
      } catch (e) {
        if (state.cancelled && isCancellation(e)) return await endCancelled();
        fail(e);
      } finally {
        splitScope = undefined;
      }

      enter('awaiting_release');
      // Released once every decision taken before it is applied, so the agencies are those of the split as decided.
      await condition(() => (release !== undefined && state.custodians!.applied === state.custodians!.batches) || state.cancelled !== undefined);
      if (state.cancelled) return await endCancelled();
      const left = undecided(state.custodians!);
      state.release = { releasedBy: release!.by, releasedAt: now(), scheduled: Object.keys(release!.schedules).length, autoImport: release!.autoImport, ...(left.length ? { withoutUndecided: left } : {}) };
      for (const a of state.agencies) if (release!.schedules[a.code]) a.schedule = release!.schedules[a.code];
      await recordRunEvent({ workflowId, actor: release!.by, action: 'split.released', details: { agencies: state.agencies.length, scheduled: state.release.scheduled, undecidedUnits: left } });
      enter('releasing');
    }

    while (state.phase === 'releasing') {
      const batch = state.agencies.filter((a) => a.phase === 'waiting_release').slice(0, CHILD_START_BATCH);
      if (batch.length === 0) {
        enter('in_progress');
        break;
      }
      await startAgencies(batch);
      if (state.cancelled) return await endCancelled();
      if (workflowInfo().historyLength > HISTORY_LIMIT) break;
    }

    const toTell = () => state.agencies.filter((a) => a.filesChanged);
    const allDone = () => state.agencies.every((a) => a.phase === 'completed' || a.phase === 'cancelled') && toTell().length === 0;
    const historyLong = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength > HISTORY_LIMIT;
    for (;;) {
      await condition(() => allDone() || state.cancelled !== undefined || historyLong() || toTell().length > 0);
      if (state.cancelled) return await endCancelled();
      if (allDone() || historyLong()) break;
      tellScope = new CancellationScope();
      try {
        await tellScope.run(() => Promise.all(toTell().map(tellAgency)));
      } catch (e) {
        if (state.cancelled && isCancellation(e)) return await endCancelled();
        throw e;
      } finally {
        tellScope = undefined;
      }
    }
    await condition(allHandlersFinished);
    if (!allDone()) return await continueAsNew<typeof provinceRun>(input, state);
    enter('completed');
    return state;
  } catch (e) {
    if (!isCancellation(e)) throw e;
    // Cancelled through Temporal itself rather than by a coordinator's update.
    state.cancelled ??= { by: 'Temporal', reason: 'Huỷ từ Temporal', at: now() };
    await endCancelled();
    throw e;
  }
}
