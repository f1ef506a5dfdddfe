/** The phase of a run or of an agency's part, in words and in a colour that never carries the meaning alone. */
import type { AgencyPhase, RunPhase } from '../lib/api-types';
import { useI18n } from '../lib/i18n/i18n';

const RUN_TONE: Record<RunPhase, string> = {
  receiving: 'working',
  awaiting_handover: 'waiting',
  splitting: 'working',
  awaiting_release: 'waiting',
  releasing: 'working',
  in_progress: 'working',
  completed: 'done',
  failed: 'failed',
  cancelled: 'ended',
};

const AGENCY_TONE: Record<AgencyPhase, string> = {
  waiting_release: 'waiting',
  scheduled: 'waiting',
  awaiting_import: 'waiting',
  in_review: 'working',
  completed: 'done',
  cancelled: 'ended',
};

export function RunPhaseBadge({ phase }: { phase: RunPhase }) {
  const { t } = useI18n();
  return <span className={`badge badge-${RUN_TONE[phase]}`}>{t(`runPhase.${phase}`)}</span>;
}

export function AgencyPhaseBadge({ phase }: { phase: AgencyPhase }) {
  const { t } = useI18n();
  return <span className={`badge badge-${AGENCY_TONE[phase]}`}>{t(`agencyPhase.${phase}`)}</span>;
}
