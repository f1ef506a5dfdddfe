/** Step 1's record: the package and what the handover minutes say, checked; the coordinator confirms it here. */
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { ErrorMessage } from '../../components/error-message';
import type { RunStatus } from '../../lib/api-types';
import { formatBytes, formatDateTime } from '../../lib/format';
import { useI18n } from '../../lib/i18n/i18n';
import { runStatusKey } from '../../lib/run-status';
import { confirmHandover, handoverOf } from './api';

export function HandoverPanel({ status }: { status: RunStatus }) {
  const { t, lang } = useI18n();
  const queryClient = useQueryClient();
  const { runId, phase } = status.progress;
  const record = useQuery({ queryKey: ['handover', runId, phase], queryFn: ({ signal }) => handoverOf(runId, signal), enabled: phase !== 'receiving' });
  const confirm = useMutation({
    mutationFn: () => confirmHandover(runId),
    onSuccess: (progress) => queryClient.setQueryData<RunStatus>(runStatusKey(runId), (old) => (old ? { ...old, progress } : old)),
    onSettled: () => queryClient.invalidateQueries({ queryKey: runStatusKey(runId) }),
  });
  const awaiting = phase === 'awaiting_handover';
  const r = record.data?.record;
  if (!r && !record.isError) return null;
  return (
    <section aria-labelledby="handover-title" className="panel">
      <details open={awaiting || r?.status === 'quarantined'}>
        <summary>
          <h2 id="handover-title">{t('handover.title')}</h2>
          {r && (
            <span className="muted">
              {' '}
              {r.originalName} · {formatBytes(r.sizeBytes, lang)} · {r.confirmedBy ? t('handover.confirmedBy', { name: r.confirmedBy, at: formatDateTime(r.confirmedAt!) }) : t('handover.notConfirmed')}
            </span>
          )}
        </summary>
        {record.isError && <ErrorMessage error={record.error} onRetry={() => void record.refetch()} />}
        {r && (
          <dl className="facts">
            <dt>{t('handover.package')}</dt>
            <dd>
              {r.originalName} ({formatBytes(r.sizeBytes, lang)})
            </dd>
            <dt>{t('handover.deliveredBy')}</dt>
            <dd>{r.deliveredBy}</dd>
            <dt>{t('handover.channel')}</dt>
            <dd>{r.channel}</dd>
            <dt>{t('handover.received')}</dt>
            <dd>{t('handover.receivedBy', { name: r.receivedBy, at: formatDateTime(r.receivedAt) })}</dd>
            <dt>{t('handover.declaredSha')}</dt>
            <dd className="mono break">{r.declaredSha256}</dd>
            <dt>{t('handover.actualSha')}</dt>
            <dd className="mono break">
              {r.actualSha256}{' '}
              {r.status === 'accepted' ? <strong className="ok">{t('handover.shaMatches')}</strong> : <strong className="bad">{t('handover.shaDiffers')}</strong>}
            </dd>
            {r.files.length > 1 && (
              <>
                <dt>{t('handover.files', { count: r.files.length })}</dt>
                <dd>
                  <ul className="plain">
                    {r.files.map((f) => (
                      <li key={f.name}>
                        {f.name} <span className="muted">({formatBytes(f.size, lang)})</span>
                      </li>
                    ))}
                  </ul>
                </dd>
              </>
            )}
          </dl>
        )}
        {awaiting && (
          <div className="confirm-box">
            <p>{t('handover.confirmHelp')}</p>
            {confirm.isError && <ErrorMessage error={confirm.error} />}
            <button type="button" className="primary" disabled={confirm.isPending} onClick={() => confirm.mutate()}>
              {confirm.isPending ? t('handover.confirming') : t('handover.confirm')}
            </button>
          </div>
        )}
      </details>
    </section>
  );
}
