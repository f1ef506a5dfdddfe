/**
 * A small real workflow that exercises the whole platform: an activity writes to PostgreSQL,
 * then the workflow waits for a person (an update carrying who acknowledged), then ends.
 * `hotich smoke` starts it; tests use it to prove that a waiting workflow survives a crash.
 */
import { condition, defineQuery, defineUpdate, proxyActivities, setHandler, workflowInfo } from '@temporalio/workflow';
import type { PlatformActivities } from '../activities/platform/platform-check';
import { describeRun, markPhase } from './search-attributes';

export interface PlatformCheckInput {
  requestedBy: string;
}

export interface PlatformCheckState {
  phase: 'recording' | 'waiting' | 'done';
  auditSeq?: number;
  acknowledgedBy?: string;
}

export const platformCheckStatus = defineQuery<PlatformCheckState>('platformCheckStatus');
export const acknowledgePlatformCheck = defineUpdate<PlatformCheckState, [{ by: string }]>('acknowledgePlatformCheck');

const { recordPlatformCheck } = proxyActivities<PlatformActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { maximumAttempts: 10 },
});

export async function platformCheck(input: PlatformCheckInput): Promise<PlatformCheckState> {
  const state: PlatformCheckState = { phase: 'recording' };
  describeRun({ kind: 'platform-check' }, state.phase);
  setHandler(platformCheckStatus, () => state);
  setHandler(
    acknowledgePlatformCheck,
    ({ by }) => {
      state.acknowledgedBy = by;
      return state;
    },
    {
      validator: ({ by }) => {
        if (typeof by !== 'string' || by.trim() === '') throw new Error('acknowledgement needs the name of who acknowledged');
      },
    },
  );

  state.auditSeq = await recordPlatformCheck({ workflowId: workflowInfo().workflowId, requestedBy: input.requestedBy });
  state.phase = 'waiting';
  markPhase(state.phase);
  await condition(() => state.acknowledgedBy !== undefined);
  state.phase = 'done';
  markPhase(state.phase);
  return state;
}
