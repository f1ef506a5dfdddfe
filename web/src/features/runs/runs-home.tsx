/** The coordinator's home: the province's runs, newest first, each with its phase, and where to start a new one. */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { ErrorMessage } from '../../components/error-message';
import { RunPhaseBadge } from '../../components/phase-badge';
import type { RunList } from '../../lib/api-types';
import { formatBytes, formatDateTime } from '../../lib/format';
import { useI18n } from '../../lib/i18n/i18n';
import { useRunStatus } from '../../lib/run-status';
import { useSession } from '../../lib/session';
import { listRuns } from './api';

type RunItem = RunList['items'][number];

function RunRow({ run }: { run: RunItem }) {
  const { t, lang } = useI18n();
  const status = useRunStatus(run.runId);
  const phase = status.data?.progress.phase;
  const released = phase === 'releasing' || phase === 'in_progress' || phase === 'completed';
  return (
    <tr>
      <td>
        <Link to={`/runs/${run.runId}`}>{run.runId}</Link>
      </td>
      <td>
        {run.package ? (
          <>
            {run.package.name} <span className="muted">({formatBytes(run.package.sizeBytes, lang)})</span>
          </>
        ) : (
          <span className="muted">{t('runs.notReceived')}</span>
        )}
      </td>
      <td>{formatDateTime(run.package?.receivedAt ?? run.startedAt)}</td>
      <td>{run.package?.confirmedBy ? t('runs.confirmedBy', { name: run.package.confirmedBy, at: formatDateTime(run.package.confirmedAt!) }) : <span className="muted">{t('runs.notConfirmed')}</span>}</td>
      <td>{status.data ? <RunPhaseBadge phase={status.data.progress.phase} /> : status.isError ? <span className="bad">{t('runs.phaseUnknown')}</span> : t('common.loading')}</td>
      <td>{released && <Link to={`/runs/${run.runId}/board`}>{t('runs.openBoard')}</Link>}</td>
    </tr>
  );
}

export function RunsHome() {
  const { t } = useI18n();
  const { user } = useSession();
  const province = user.provinceCode!;
  const runs = useQuery({ queryKey: ['runs', province], queryFn: ({ signal }) => listRuns(province, signal) });
  return (
    <section aria-labelledby="runs-title">
      <div className="page-head">
        <h1 id="runs-title">{t('runs.title', { province })}</h1>
        <Link className="button primary" to="/runs/new">
          {t('runs.new')}
        </Link>
      </div>
      <p className="muted">{t('runs.intro')}</p>
      {runs.isError && <ErrorMessage error={runs.error} onRetry={() => void runs.refetch()} />}
      {runs.isPending && <p className="loading">{t('common.loading')}</p>}
      {runs.data && runs.data.items.length === 0 && <p>{t('runs.none')}</p>}
      {runs.data && runs.data.items.length > 0 && (
        <table>
          <caption className="visually-hidden">{t('runs.tableCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('runs.col.run')}</th>
              <th scope="col">{t('runs.col.package')}</th>
              <th scope="col">{t('runs.col.received')}</th>
              <th scope="col">{t('runs.col.handover')}</th>
              <th scope="col">{t('runs.col.phase')}</th>
              <th scope="col">{t('runs.col.board')}</th>
            </tr>
          </thead>
          <tbody>
            {runs.data.items.map((r) => (
              <RunRow key={r.runId} run={r} />
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
