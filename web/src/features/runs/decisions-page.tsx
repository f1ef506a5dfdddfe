/**
 * What the coordinator decides on a split before (and, for what is left, after) releasing it:
 * who keeps the books of each divided commune and abolished district, and where the exception
 * rows they recognise go. Both are updates of the run, checked there; the page shows what it says.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { Link, useParams } from 'react-router';
import { ErrorMessage } from '../../components/error-message';
import { RunPhaseBadge } from '../../components/phase-badge';
import type { RunPhase } from '../../lib/api-types';
import { useI18n } from '../../lib/i18n/i18n';
import { useRunStatus } from '../../lib/run-status';
import { custodiansOf } from './api';
import { custodiansKey, CustodiansSection } from './custodians-section';
import { PlacementsSection } from './placements-section';

/** The phases in which the run takes decisions (workflows/province-run.ts refuses them in others, with its reason). */
const DECISIONS_OPEN: readonly RunPhase[] = ['awaiting_release', 'releasing', 'in_progress'];

export function DecisionsPage() {
  const { t } = useI18n();
  const { runId = '' } = useParams();
  const status = useRunStatus(runId);
  const split = status.data?.progress.split;
  const custodians = useQuery({
    // Read again whenever the run has applied another batch of decisions.
    queryKey: [...custodiansKey(runId), status.data?.progress.custodians?.applied],
    queryFn: ({ signal }) => custodiansOf(runId, signal),
    enabled: split !== undefined,
    // The screen stays while a new list is read: an upload's report is not lost to a loading line.
    placeholderData: keepPreviousData,
  });

  if (status.isPending) return <p className="loading">{t('common.loading')}</p>;
  if (status.isError && !status.data) return <ErrorMessage error={status.error} onRetry={() => void status.refetch()} />;
  const p = status.data!.progress;
  const open = DECISIONS_OPEN.includes(p.phase);
  const released = p.release !== undefined;
  return (
    <section aria-labelledby="decisions-title">
      <div className="page-head">
        <h1 id="decisions-title">{t('decisions.title', { runId })}</h1>
        <RunPhaseBadge phase={p.phase} />
        <Link to={`/runs/${runId}`}>{t('decisions.toRun')}</Link>
      </div>
      <p className="help">{t('decisions.intro')}</p>
      {!split && <p className="notice">{t('decisions.notSplit')}</p>}
      {split && !open && (
        <p className="notice" role="status">
          {t('decisions.closed')}
        </p>
      )}
      {open && released && (
        <p className="notice" role="status">
          {t('decisions.released')}
        </p>
      )}
      {custodians.isError && <ErrorMessage error={custodians.error} onRetry={() => void custodians.refetch()} />}
      {custodians.isPending && split && <p className="loading">{t('common.loading')}</p>}
      {custodians.data &&
        (custodians.data.units.length === 0 ? (
          <section aria-labelledby="custodians-title" className="panel">
            <h2 id="custodians-title">{t('custodians.title')}</h2>
            <p>{t('custodians.none')}</p>
          </section>
        ) : (
          <CustodiansSection runId={runId} provinceCode={p.provinceCode} list={custodians.data} open={open} released={released} />
        ))}
      {split && <PlacementsSection runId={runId} exceptionRows={split.exceptionRows} placed={custodians.data?.placements} open={open} />}
    </section>
  );
}
