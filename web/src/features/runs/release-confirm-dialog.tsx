/**
 * Release with former units still undecided: the run refuses it unless the coordinator confirms
 * leaving their rows as exceptions (RUN_CUSTODIANS_UNDECIDED). The dialog lists those units
 * with their rows, and says that each can still be decided after release.
 */
import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';
import { Dialog } from '../../components/dialog';
import { ErrorMessage } from '../../components/error-message';
import { useI18n } from '../../lib/i18n/i18n';
import { custodiansOf } from './api';
import { custodiansKey } from './custodians-section';

export function ReleaseConfirmDialog({ runId, pending, error, onConfirm, onClose }: { runId: string; pending: boolean; error: unknown; onConfirm(): void; onClose(): void }) {
  const { t, n } = useI18n();
  const list = useQuery({ queryKey: [...custodiansKey(runId), 'release'], queryFn: ({ signal }) => custodiansOf(runId, signal) });
  const waiting = list.data?.units.filter((u) => !u.decision) ?? [];
  return (
    <Dialog open id="release-confirm" title={t('release.confirmTitle')} onClose={onClose}>
      {list.isPending && <p className="loading">{t('common.loading')}</p>}
      {list.isError && <ErrorMessage error={list.error} />}
      {list.data && (
        <>
          <p>{t('release.confirmExplain', { count: waiting.length, rows: list.data.undecidedRows })}</p>
          <div className="dialog-scroll">
            <table className="compact">
              <caption>{t('release.confirmList')}</caption>
              <thead>
                <tr>
                  <th scope="col">{t('custodians.col.code')}</th>
                  <th scope="col">{t('custodians.col.unit')}</th>
                  <th scope="col" className="num">
                    {t('custodians.col.rows')}
                  </th>
                </tr>
              </thead>
              <tbody>
                {waiting.map((u) => (
                  <tr key={u.unitCode}>
                    <td className="mono">{u.unitCode}</td>
                    <td>
                      {u.unitName} <span className="muted">({t(`custodians.level.${u.level}`)})</span>
                    </td>
                    <td className="num">{n(u.rows)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        </>
      )}
      {error !== null && <ErrorMessage error={error} />}
      <div className="actions">
        <button type="button" className="primary" disabled={!list.data || pending} onClick={onConfirm}>
          {pending ? t('release.submitting') : t('release.confirmSubmit', { count: waiting.length })}
        </button>
        <Link className="button" to={`/runs/${runId}/decisions`}>
          {t('release.confirmBack')}
        </Link>
        <button type="button" onClick={onClose}>
          {t('common.cancel')}
        </button>
      </div>
    </Dialog>
  );
}
