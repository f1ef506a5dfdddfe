/**
 * Step 4's last part for an official: what the agency has sent to CSDLHTĐT and what waits, per
 * book and in all; the latest batches with the target's receipts and its last error; sending the
 * approved records now instead of when the batch fills.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Link } from 'react-router';
import { BookName } from '../../components/book-name';
import { ErrorMessage } from '../../components/error-message';
import { Loading } from '../../components/loading';
import { agencyKeys, bookPath, booksQuery } from '../../lib/agency';
import { formatDateTime } from '../../lib/format';
import { useI18n } from '../../lib/i18n/i18n';
import type { MessageKey } from '../../lib/i18n/vi';
import { useSession } from '../../lib/session';
import { transferNow, transfersQuery } from './api';

const STATES = ['imported', 'approved', 'transferred', 'rejected'] as const;

export function TransfersPage() {
  const { t, n } = useI18n();
  const code = useSession().user.agencyCode!;
  const queryClient = useQueryClient();
  const transfers = useQuery(transfersQuery(code));
  const books = useQuery(booksQuery(code));
  const [sending, setSending] = useState<{ busy: boolean; error?: unknown; done?: boolean }>({ busy: false });

  async function sendNow() {
    setSending({ busy: true });
    try {
      await transferNow(code);
      setSending({ busy: false, done: true });
    } catch (error) {
      setSending({ busy: false, error });
    }
    void queryClient.invalidateQueries({ queryKey: agencyKeys.all(code) });
  }

  const withTransfers = (books.data?.books ?? []).filter((b) => b.counts.approved + b.counts.transferred > 0);
  return (
    <section aria-labelledby="transfers-title">
      <h1 id="transfers-title">{t('transfers.title')}</h1>
      {transfers.isError ? (
        <ErrorMessage error={transfers.error} onRetry={() => void transfers.refetch()} />
      ) : !transfers.data ? (
        <Loading />
      ) : (
        <>
          <div className="counters" aria-label={t('transfers.byState')}>
            {STATES.map((s) => (
              <p key={s} className="counter">
                <span className="counter-value">{n(transfers.data.byState[s] ?? 0)}</span>
                <span className="counter-label">{t(`state.${s}`)}</span>
              </p>
            ))}
          </div>
          <p>
            <button type="button" className="primary" onClick={() => void sendNow()} disabled={sending.busy || (transfers.data.byState.approved ?? 0) === 0}>
              {t('transfers.sendNow')}
            </button>{' '}
            <span className="muted">{t('transfers.sendNowHelp')}</span>
          </p>
          {sending.error !== undefined && <ErrorMessage error={sending.error} />}
          {sending.done && (
            <p className="success" role="status">
              {t('transfers.sent')}
            </p>
          )}

          <h2 id="batches-title">{t('transfers.batches')}</h2>
          {transfers.data.batches.length === 0 ? (
            <p className="muted">{t('transfers.noBatches')}</p>
          ) : (
            <table aria-labelledby="batches-title">
              <thead>
                <tr>
                  <th scope="col">{t('transfers.batch')}</th>
                  <th scope="col">{t('transfers.status')}</th>
                  <th scope="col" className="num">{t('transfers.records')}</th>
                  <th scope="col" className="num">{t('transfers.accepted')}</th>
                  <th scope="col" className="num">{t('transfers.rejected')}</th>
                  <th scope="col" className="num">{t('transfers.attempts')}</th>
                  <th scope="col">{t('transfers.created')}</th>
                  <th scope="col">{t('transfers.finished')}</th>
                  <th scope="col">{t('transfers.lastError')}</th>
                </tr>
              </thead>
              <tbody>
                {transfers.data.batches.map((b) => {
                  const error = b.lastError as { code?: string; messageVi?: string; at?: string } | null;
                  return (
                    <tr key={b.batchKey}>
                      <td>
                        <code>{b.batchKey}</code>
                      </td>
                      <td>{t(`transfers.status.${b.status}` as MessageKey)}</td>
                      <td className="num">{n(b.records)}</td>
                      <td className="num">{n(b.accepted)}</td>
                      <td className="num">{n(b.rejected)}</td>
                      <td className="num">{n(b.attempts)}</td>
                      <td>{formatDateTime(b.createdAt)}</td>
                      <td>{b.finishedAt ? formatDateTime(b.finishedAt) : '—'}</td>
                      <td>{error ? `${error.messageVi ?? ''} (${error.code ?? ''})${error.at ? ` — ${formatDateTime(error.at)}` : ''}` : '—'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )}

          <h2 id="book-transfers-title">{t('transfers.perBook')}</h2>
          {withTransfers.length === 0 ? (
            <p className="muted">{t('transfers.noBooks')}</p>
          ) : (
            <table aria-labelledby="book-transfers-title">
              <thead>
                <tr>
                  <th scope="col">{t('book.book')}</th>
                  <th scope="col" className="num">{t('queue.approved')}</th>
                  <th scope="col" className="num">{t('queue.transferred')}</th>
                  <th scope="col" className="num">{t('transfers.ofRecords')}</th>
                </tr>
              </thead>
              <tbody>
                {withTransfers.map((b) => (
                  <tr key={`${b.registerType}/${b.unitCode}/${b.bookYear}/${b.bookKey}`}>
                    <td>
                      <Link to={bookPath(b)}>
                        <BookName book={b} bookNumber={b.bookNumber} />
                      </Link>
                    </td>
                    <td className="num">{n(b.counts.approved)}</td>
                    <td className="num">{n(b.counts.transferred)}</td>
                    <td className="num">{n(b.counts.records)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </section>
  );
}
