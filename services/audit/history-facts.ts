/**
 * A workflow history as the facts an auditor reads in it: the run's start and end, each update
 * (who asked what, and what came of it), each signal, each activity (its input and result), the
 * local activities' results, children started, and the search attributes set. Payloads are
 * decoded as the workflows wrote them (JSON); the bookkeeping events of Temporal itself (workflow
 * tasks, timers, patch markers) are left out.
 */
import { arrayFromPayloads, defaultPayloadConverter } from '@temporalio/common';
import type { History } from '@temporalio/common/lib/proto-utils';

export type HistoryEvent = NonNullable<History['events']>[number];

/** A failure as our coded errors cross Temporal (workflows/failures.ts): the code and the Vietnamese message. */
export interface FailureFact {
  code?: string;
  message: string;
  messageVi?: string;
}

export type Outcome = { eventId: number; at: string } & ({ ok: true; result: unknown } | { ok: false; failure: FailureFact });

interface At {
  eventId: number;
  at: string;
}

export type HistoryFact = At &
  (
    | { kind: 'started'; workflowType: string; workflowId?: string; args: unknown[]; parentWorkflowId?: string; continuedFromRunId?: string }
    | { kind: 'update'; name: string; updateId: string; args: unknown[]; outcome?: Outcome }
    | { kind: 'signal'; name: string; args: unknown[] }
    | { kind: 'activity'; activityType: string; args: unknown[]; outcome?: Outcome }
    | { kind: 'local-activity'; activityType: string; outcome: Outcome }
    | { kind: 'child'; workflowType: string; workflowId: string }
    | { kind: 'attributes'; values: Record<string, unknown> }
    | { kind: 'cancel-requested'; identity?: string }
    | { kind: 'ended'; how: 'completed' | 'failed' | 'cancelled' | 'terminated' | 'timed-out' | 'continued-as-new'; result?: unknown; failure?: FailureFact; newRunId?: string; reason?: string }
  );

type LongLike = number | string | { toNumber(): number } | null | undefined;

export const int = (v: LongLike): number => (v == null ? 0 : typeof v === 'object' ? v.toNumber() : Number(v));

const decode = (payloads: Parameters<typeof arrayFromPayloads>[1]) => arrayFromPayloads(defaultPayloadConverter, payloads);

type ProtoFailure = {
  message?: string | null;
  cause?: ProtoFailure | null;
  applicationFailureInfo?: { type?: string | null; details?: { payloads?: Parameters<typeof arrayFromPayloads>[1] } | null } | null;
} | null | undefined;

const CODE = /^[A-Z][A-Z0-9_]+$/;

/** The first coded failure along the chain, else the outermost message. */
export function failureFact(f: ProtoFailure): FailureFact {
  for (let c = f; c; c = c.cause) {
    const type = c.applicationFailureInfo?.type;
    if (type && CODE.test(type)) {
      const detail = (decode(c.applicationFailureInfo?.details?.payloads)[0] ?? {}) as { messageVi?: string };
      return { code: type, message: c.message ?? '', messageVi: detail.messageVi };
    }
  }
  return { message: f?.message ?? '' };
}

/** Int64 fields come as Long objects or, where protobufjs has no Long class at hand (Jest's module registry), as numbers. */
export const eventTime = (e: HistoryEvent) => new Date(int(e.eventTime?.seconds as LongLike) * 1000 + Math.floor((e.eventTime?.nanos ?? 0) / 1e6)).toISOString();

/** The facts of one run's history, in the order of the events that opened them. */
export function historyFacts(history: History): HistoryFact[] {
  const facts: HistoryFact[] = [];
  const updates = new Map<string, Extract<HistoryFact, { kind: 'update' }>>();
  const activities = new Map<number, Extract<HistoryFact, { kind: 'activity' }>>();
  for (const e of history.events ?? []) {
    const at: At = { eventId: int(e.eventId as LongLike), at: eventTime(e) };
    const settle = (scheduledEventId: LongLike, outcome: { ok: true; result: unknown } | { ok: false; failure: FailureFact }) => {
      const a = activities.get(int(scheduledEventId));
      if (a) a.outcome = { ...at, ...outcome };
    };
    if (e.workflowExecutionStartedEventAttributes) {
      const s = e.workflowExecutionStartedEventAttributes;
      facts.push({
        ...at,
        kind: 'started',
        workflowType: s.workflowType?.name ?? '',
        workflowId: s.workflowId || undefined,
        args: decode(s.input?.payloads),
        parentWorkflowId: s.parentWorkflowExecution?.workflowId || undefined,
        continuedFromRunId: s.continuedExecutionRunId || undefined,
      });
    } else if (e.workflowExecutionUpdateAcceptedEventAttributes) {
      const req = e.workflowExecutionUpdateAcceptedEventAttributes.acceptedRequest;
      const fact = { ...at, kind: 'update' as const, name: req?.input?.name ?? '', updateId: req?.meta?.updateId ?? '', args: decode(req?.input?.args?.payloads) };
      updates.set(fact.updateId, fact);
      facts.push(fact);
    } else if (e.workflowExecutionUpdateCompletedEventAttributes) {
      const c = e.workflowExecutionUpdateCompletedEventAttributes;
      const u = updates.get(c.meta?.updateId ?? '');
      if (u) {
        u.outcome = c.outcome?.failure
          ? { ...at, ok: false, failure: failureFact(c.outcome.failure) }
          : { ...at, ok: true, result: decode(c.outcome?.success?.payloads)[0] };
      }
    } else if (e.workflowExecutionSignaledEventAttributes) {
      const s = e.workflowExecutionSignaledEventAttributes;
      facts.push({ ...at, kind: 'signal', name: s.signalName ?? '', args: decode(s.input?.payloads) });
    } else if (e.activityTaskScheduledEventAttributes) {
      const s = e.activityTaskScheduledEventAttributes;
      const fact = { ...at, kind: 'activity' as const, activityType: s.activityType?.name ?? '', args: decode(s.input?.payloads) };
      activities.set(at.eventId, fact);
      facts.push(fact);
    } else if (e.activityTaskCompletedEventAttributes) {
      const c = e.activityTaskCompletedEventAttributes;
      settle(c.scheduledEventId as LongLike, { ok: true, result: decode(c.result?.payloads)[0] });
    } else if (e.activityTaskFailedEventAttributes) {
      const c = e.activityTaskFailedEventAttributes;
      settle(c.scheduledEventId as LongLike, { ok: false, failure: failureFact(c.failure) });
    } else if (e.activityTaskTimedOutEventAttributes) {
      const c = e.activityTaskTimedOutEventAttributes;
      settle(c.scheduledEventId as LongLike, { ok: false, failure: failureFact(c.failure) });
    } else if (e.activityTaskCanceledEventAttributes) {
      const c = e.activityTaskCanceledEventAttributes;
      settle(c.scheduledEventId as LongLike, { ok: false, failure: { message: 'cancelled' } });
    } else if (e.markerRecordedEventAttributes?.markerName === 'core_local_activity') {
      const m = e.markerRecordedEventAttributes;
      const data = (decode(m.details?.data?.payloads)[0] ?? {}) as { activity_type?: string };
      facts.push({
        ...at,
        kind: 'local-activity',
        activityType: data.activity_type ?? '',
        outcome: m.failure ? { ...at, ok: false, failure: failureFact(m.failure) } : { ...at, ok: true, result: decode(m.details?.result?.payloads)[0] },
      });
    } else if (e.startChildWorkflowExecutionInitiatedEventAttributes) {
      const s = e.startChildWorkflowExecutionInitiatedEventAttributes;
      facts.push({ ...at, kind: 'child', workflowType: s.workflowType?.name ?? '', workflowId: s.workflowId ?? '' });
    } else if (e.upsertWorkflowSearchAttributesEventAttributes) {
      const fields = e.upsertWorkflowSearchAttributesEventAttributes.searchAttributes?.indexedFields ?? {};
      facts.push({ ...at, kind: 'attributes', values: Object.fromEntries(Object.entries(fields).map(([k, p]) => [k, defaultPayloadConverter.fromPayload(p)])) });
    } else if (e.workflowExecutionCancelRequestedEventAttributes) {
      facts.push({ ...at, kind: 'cancel-requested', identity: e.workflowExecutionCancelRequestedEventAttributes.identity || undefined });
    } else if (e.workflowExecutionCompletedEventAttributes) {
      facts.push({ ...at, kind: 'ended', how: 'completed', result: decode(e.workflowExecutionCompletedEventAttributes.result?.payloads)[0] });
    } else if (e.workflowExecutionFailedEventAttributes) {
      facts.push({ ...at, kind: 'ended', how: 'failed', failure: failureFact(e.workflowExecutionFailedEventAttributes.failure) });
    } else if (e.workflowExecutionCanceledEventAttributes) {
      facts.push({ ...at, kind: 'ended', how: 'cancelled' });
    } else if (e.workflowExecutionTerminatedEventAttributes) {
      facts.push({ ...at, kind: 'ended', how: 'terminated', reason: e.workflowExecutionTerminatedEventAttributes.reason || undefined });
    } else if (e.workflowExecutionTimedOutEventAttributes) {
      facts.push({ ...at, kind: 'ended', how: 'timed-out' });
    } else if (e.workflowExecutionContinuedAsNewEventAttributes) {
      facts.push({ ...at, kind: 'ended', how: 'continued-as-new', newRunId: e.workflowExecutionContinuedAsNewEventAttributes.newExecutionRunId || undefined });
    }
  }
  return facts;
}
