/**
 * One province run, Steps 1–2 as the coordinator lives them: the four steps and where the run
 * stands, the handover record to confirm, the split's progress (rows read) and its summary to
 * release with a schedule, the agencies being handed their data; then the way to the board.
 */
import { Link, useLocation, useParams } from 'react-router';
import { ErrorMessage } from '../../components/error-message';
import { RunPhaseBadge } from '../../components/phase-badge';
import type { RunStatus } from '../../lib/api-types';
import { formatDateTime } from '../../lib/format';
import { useI18n } from '../../lib/i18n/i18n';
import { useRunStatus } from '../../lib/run-status';
import { HandoverPanel } from './handover-panel';
import { SplitSummary } from './split-summary';

const STEP_KEYS = { 1: 'runs.step1', 2: 'runs.step2', 3: 'runs.step3', 4: 'runs.step4' } as const;

function Steps({ status }: { status: RunStatus }) {
  const { t } = useI18n();
  return (
    <ol className="steps" aria-label={t('runs.stepsLabel')}>
      {status.steps.map((s) => (
        <li key={s.step} className={`step step-${s.status}`} aria-current={s.status === 'active' || s.status === 'waiting' ? 'step' : undefined}>
          <span className="step-number">{t('runs.stepNumber', { n: s.step })}</span>
          <span className="step-name">{t(STEP_KEYS[s.step])}</span>
          <span className="step-status">{t(`runs.stepStatus.${s.status}`)}</span>
        </li>
      ))}
    </ol>
  );
}

function SplitProgress({ rows }: { rows: number }) {
  const { t } = useI18n();
  return (
    <section aria-labelledby="split-progress-title" className="panel">
      <h2 id="split-progress-title">{t('runs.splitting')}</h2>
      <p role="status" aria-live="polite">
        {t('runs.splitRows', { rows })}
      </p>
      {/* The total is known only when the package has been read through: the bar moves without an end. */}
      <progress aria-label={t('runs.splitting')} />
    </section>
  );
}

function ReleaseProgress({ status }: { status: RunStatus }) {
  const { t } = useI18n();
  const agencies = status.progress.agencies;
  const started = agencies.filter((a) => a.phase !== 'waiting_release').length;
  return (
    <section aria-labelledby="release-progress-title" className="panel">
      <h2 id="release-progress-title">{t('runs.releasing')}</h2>
      <p role="status" aria-live="polite">
        {t('runs.releasingCount', { started, total: agencies.length })}
      </p>
      <progress aria-label={t('runs.releasing')} max={agencies.length} value={started} />
    </section>
  );
}

export function RunPage() {
  const { t } = useI18n();
  const { runId = '' } = useParams();
  const location = useLocation();
  const status = useRunStatus(runId);
  const existing = (location.state as { existing?: boolean } | null)?.existing;

  if (status.isPending) return <p className="loading">{t('common.loading')}</p>;
  if (status.isError && !status.data) return <ErrorMessage error={status.error} onRetry={() => void status.refetch()} />;
  const s = status.data!;
  const p = s.progress;
  const released = p.release !== undefined;
  return (
    <section aria-labelledby="run-title">
      <div className="page-head">
        <h1 id="run-title">{t('runs.runTitle', { runId })}</h1>
        <RunPhaseBadge phase={p.phase} />
        {released && (
          <Link className="button primary" to={`/runs/${runId}/board`}>
            {t('runs.openBoard')}
          </Link>
        )}
      </div>
      {existing && (
        <p className="notice" role="status">
          {t('runs.existing')}
        </p>
      )}
      {status.isError && <ErrorMessage error={status.error} />}
      <Steps status={s} />
      {p.failure && (
        <div className="error-message" role="alert">
          <p>{t('runs.failed')}</p>
          <p>{p.failure.messageVi}</p>
          <p className="error-code">{t('error.code', { code: p.failure.code })}</p>
        </div>
      )}
      {p.cancelled && (
        <p className="notice" role="status">
          {t('runs.cancelled', { by: p.cancelled.by, at: formatDateTime(p.cancelled.at), reason: p.cancelled.reason })}
        </p>
      )}
      {p.phase === 'receiving' && (
        <p role="status" className="panel">
          {t('runs.receiving')}
        </p>
      )}
      <HandoverPanel status={s} />
      {p.phase === 'splitting' && <SplitProgress rows={p.splitRows} />}
      {p.phase === 'releasing' && <ReleaseProgress status={s} />}
      {p.split && <SplitSummary status={s} />}
    </section>
  );
}
