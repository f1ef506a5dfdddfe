/**
 * AgencyWorkflow (id `agency/<agencyCode>/<runId>`): one civil-registration agency's part of a
 * province run. It opens at the agency's import slot (when the coordinator set one) and then
 * waits for the agency's import (Step 3) and review (Step 4). It tells the province run each
 * time its phase changes.
 */
import { CancellationScope, condition, getExternalWorkflowHandle, isCancellation, setHandler, sleep } from '@temporalio/workflow';
import type { AgencyPhase, AgencyProgress, AgencySchedule } from '../domain/runs/province-run';
import { agencyPhaseSignal, agencyRunProgress } from './definitions';

export interface AgencyRunInput {
  runId: string;
  provinceCode: string;
  parentWorkflowId: string;
  agency: Omit<AgencyProgress, 'phase' | 'schedule'>;
  schedule?: AgencySchedule;
}

export async function agencyRun(input: AgencyRunInput): Promise<AgencyProgress> {
  const state: AgencyProgress = { ...input.agency, phase: input.schedule ? 'scheduled' : 'awaiting_import', schedule: input.schedule };
  setHandler(agencyRunProgress, () => state);
  // Signalled by workflow id, so it reaches the province run after it has continued as new.
  const parent = getExternalWorkflowHandle(input.parentWorkflowId);
  const enter = async (phase: AgencyPhase) => {
    state.phase = phase;
    // A province run that has already ended has nobody to tell.
    await parent.signal(agencyPhaseSignal, { code: state.code, phase }).catch(() => undefined);
  };

  try {
    if (input.schedule) {
      const wait = Date.parse(input.schedule.startsAt) - Date.now();
      if (wait > 0) await sleep(wait);
      await enter('awaiting_import');
    }
    // Step 3 (import) and Step 4 (review) end this wait; until then the agency's folder is ready to import.
    await condition(() => state.phase === 'completed');
    return state;
  } catch (e) {
    if (!isCancellation(e)) throw e;
    await CancellationScope.nonCancellable(() => enter('cancelled'));
    throw e;
  }
}
