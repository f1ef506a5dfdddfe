/** How the auditor's screens name runs, their phases and statuses, and write times: in the page's language, times in Việt Nam's. */
import type { ReactNode } from 'react';
import { Link } from 'react-router';
import { EXECUTION_STATUSES, PHASE_VI, WORKFLOW_KINDS, type ExecutionStatus, type WorkflowKind } from '../../../../domain/audit/run-search';
import { vietnamTime } from '../../../../domain/text/vietnam-time';
import type { AgencyPhase, RunPhase } from '../../lib/api-types';
import type { Translate } from '../../lib/i18n/i18n';

export const isKind = (k: string | undefined): k is WorkflowKind => !!k && (WORKFLOW_KINDS as readonly string[]).includes(k);
const isStatus = (s: string): s is ExecutionStatus => (EXECUTION_STATUSES as readonly string[]).includes(s);

/** The phases a run of a kind passes through, in order. */
export const phasesOf = (kind: WorkflowKind): string[] => Object.keys(PHASE_VI[kind]);

export function kindLabel(t: Translate, kind: string | undefined, fallback?: string): string {
  return isKind(kind) ? t(`audit.kind.${kind}`) : (fallback ?? kind ?? '—');
}

export function phaseLabel(t: Translate, kind: string | undefined, phase: string | undefined, fallback?: string): string {
  if (!phase) return '—';
  if (!isKind(kind) || !(phase in PHASE_VI[kind])) return fallback ?? phase;
  if (kind === 'province-run') return t(`runPhase.${phase as RunPhase}`);
  if (kind === 'agency') return t(`agencyPhase.${phase as AgencyPhase}`);
  return t(`audit.platformPhase.${phase as 'recording' | 'waiting' | 'done'}`);
}

export const statusLabel = (t: Translate, status: string, fallback?: string) => (isStatus(status) ? t(`audit.status.${status}`) : (fallback ?? status));

/** An instant as dd/mm/yyyy hh:mm in Việt Nam (UTC+7), whatever the browser's zone; the exact instant in its tooltip. */
export function VnTime({ at }: { at: string }) {
  return (
    <time dateTime={at} title={at}>
      {vietnamTime(at)}
    </time>
  );
}

/** The page's address of a run's timeline, at one of its events: the workflow id's parts stay path segments. */
export function timelinePath(workflowId: string, event?: { runId: string; eventId: number }): string {
  const path = `/audit/timeline/${workflowId.split('/').map(encodeURIComponent).join('/')}`;
  return event ? `${path}#${eventAnchor(event.runId, event.eventId)}` : path;
}

export const eventAnchor = (runId: string, eventId: number) => `e-${runId}-${eventId}`;
export const trailPath = (recordId: number) => `/audit/records/${recordId}`;

export function TimelineLink({ workflowId, children }: { workflowId: string; children?: ReactNode }) {
  return <Link to={timelinePath(workflowId)}>{children ?? workflowId}</Link>;
}
