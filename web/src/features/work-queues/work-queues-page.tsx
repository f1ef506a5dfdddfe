/**
 * The official's home: the agency's books in review as work queues (waiting to be checked,
 * without a page, rejected, approved and waiting for the transfer, transferred), the books the
 * official holds, and what they did today against what is left.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link } from 'react-router';
import { BookName } from '../../components/book-name';
import { ErrorMessage } from '../../components/error-message';
import { Loading } from '../../components/loading';
import { isNoAgencyRun, NoAgencyRun } from '../../components/no-agency-run';
import { agencyQuery, bookPath, booksQuery, readyToCheck } from '../../lib/agency';
import type { BookView } from '../../lib/api-types';
import { formatDateTime } from '../../lib/format';
import { useI18n } from '../../lib/i18n/i18n';
import type { MessageKey } from '../../lib/i18n/vi';
import { useSession } from '../../lib/session';
import { compareVietnamese } from '../../../../domain/text/collation';
import { myDecisionsQuery } from './api';

type Queue = 'mine' | 'unclaimed' | 'all' | 'done';
const QUEUES: readonly Queue[] = ['mine', 'unclaimed', 'all', 'done'];

const workLeft = (b: BookView) => b.counts.imported > 0;

function inQueue(q: Queue, b: BookView, me: string): boolean {
  switch (q) {
    case 'mine':
      return b.claim?.by === me;
    case 'unclaimed':
      return !b.claim && workLeft(b);
    case 'all':
      return true;
    case 'done':
      return !workLeft(b);
  }
}

export function WorkQueuesPage() {
  const { t, n } = useI18n();
  const { user } = useSession();
  const code = user.agencyCode!;
  const agency = useQuery(agencyQuery(code));
  const books = useQuery(booksQuery(code));
  const mine = useQuery(myDecisionsQuery(code));
  const [queue, setQueue] = useState<Queue>('mine');

  const list = books.data?.books;
  const sorted = useMemo(() => {
    const name = (b: BookView) => t(`registerType.${b.registerType}`);
    return [...(list ?? [])].sort((a, b) => compareVietnamese(name(a), name(b)) || a.bookYear - b.bookYear || a.unitCode.localeCompare(b.unitCode) || compareVietnamese(a.bookNumber, b.bookNumber));
  }, [list, t]);
  const totals = useMemo(() => {
    const sum = { ready: 0, awaitingScan: 0, rejected: 0, approved: 0, transferred: 0 };
    for (const b of list ?? []) {
      sum.ready += readyToCheck(b);
      sum.awaitingScan += b.counts.awaitingScan;
      sum.rejected += b.counts.rejected;
      sum.approved += b.counts.approved;
      sum.transferred += b.counts.transferred;
    }
    return sum;
  }, [list]);
  const shown = sorted.filter((b) => inQueue(queue, b, user.username));
  const remaining = totals.ready + totals.awaitingScan;

  return (
    <section aria-labelledby="queues-title">
      <h1 id="queues-title">
        {t('queues.title')}
        {agency.data && <span className="muted"> — {agency.data.name}</span>}
      </h1>
      {isNoAgencyRun(books.error) ? (
        <NoAgencyRun />
      ) : books.isError ? (
        <ErrorMessage error={books.error} onRetry={() => void books.refetch()} />
      ) : !books.data ? (
        <Loading />
      ) : (
        <>
          <div className="counters" aria-label={t('queues.counters')}>
            <p className="counter">
              <span className="counter-value">{mine.data ? n(mine.data.records) : '…'}</span>
              <span className="counter-label">{t('queues.doneToday')}</span>
            </p>
            <p className="counter">
              <span className="counter-value">{n(remaining)}</span>
              <span className="counter-label">{t('queues.remaining', { awaitingScan: totals.awaitingScan })}</span>
            </p>
            {books.data.phase !== 'in_review' && <p className="notice">{t(`phase.${books.data.phase}`)}</p>}
          </div>
          <table className="queue-totals">
            <caption className="visually-hidden">{t('queues.totalsCaption')}</caption>
            <thead>
              <tr>
                {(['ready', 'awaitingScan', 'rejected', 'approved', 'transferred'] as const).map((k) => (
                  <th key={k} scope="col" className="num">
                    {t(`queue.${k}`)}
                  </th>
                ))}
              </tr>
            </thead>
            <tbody>
              <tr>
                {(['ready', 'awaitingScan', 'rejected', 'approved', 'transferred'] as const).map((k) => (
                  <td key={k} className="num">
                    {n(totals[k])}
                  </td>
                ))}
              </tr>
            </tbody>
          </table>

          <h2 id="books-title">{t('queues.books')}</h2>
          <div className="segmented" role="group" aria-label={t('queues.filter')}>
            {QUEUES.map((q) => (
              <button key={q} type="button" aria-pressed={queue === q} onClick={() => setQueue(q)}>
                {t(`queues.filter.${q}` as MessageKey)} ({n(sorted.filter((b) => inQueue(q, b, user.username)).length)})
              </button>
            ))}
          </div>
          {shown.length === 0 ? (
            <p className="muted">{t(`queues.empty.${queue}` as MessageKey)}</p>
          ) : (
            <table aria-labelledby="books-title">
              <thead>
                <tr>
                  <th scope="col">{t('book.book')}</th>
                  <th scope="col">{t('book.unit')}</th>
                  <th scope="col" className="num">{t('queue.ready')}</th>
                  <th scope="col" className="num">{t('queue.awaitingScan')}</th>
                  <th scope="col" className="num">{t('queue.rejected')}</th>
                  <th scope="col" className="num">{t('queue.approved')}</th>
                  <th scope="col" className="num">{t('queue.transferred')}</th>
                  <th scope="col">{t('book.holder')}</th>
                </tr>
              </thead>
              <tbody>
                {shown.map((b) => (
                  <tr key={`${b.registerType}/${b.unitCode}/${b.bookYear}/${b.bookKey}`}>
                    <td>
                      <Link to={bookPath(b)}>
                        <BookName book={b} bookNumber={b.bookNumber} />
                      </Link>
                    </td>
                    <td>{b.unitCode}</td>
                    <td className="num">{n(readyToCheck(b))}</td>
                    <td className="num">{n(b.counts.awaitingScan)}</td>
                    <td className="num">{n(b.counts.rejected)}</td>
                    <td className="num">{n(b.counts.approved)}</td>
                    <td className="num">{n(b.counts.transferred)}</td>
                    <td>{b.claim ? (b.claim.by === user.username ? t('book.heldByMe') : t('book.heldBy', { user: b.claim.by, since: formatDateTime(b.claim.since) })) : '—'}</td>
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
