/**
 * What the agency runs raised in the coordinator's province: reminders (a book idle too long)
 * and escalations (idle past the escalation time: the coordinator follows these up), newest
 * first, by kind and by agency. The filter is in the address, so the board links to an agency's.
 */
import { useQuery } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useSearchParams } from 'react-router';
import { ErrorMessage } from '../../components/error-message';
import type { ProvinceNotification } from '../../lib/api-types';
import { formatDateTime } from '../../lib/format';
import { useI18n } from '../../lib/i18n/i18n';
import { useSession } from '../../lib/session';
import { provinceNotifications, type NotificationKind } from './api';

const LIMIT = 200;

interface NotifiedBook {
  registerType?: string;
  unitCode?: string;
  bookYear?: number;
  bookNumber?: string;
}

function BookCell({ book }: { book: ProvinceNotification['book'] }) {
  const { t } = useI18n();
  const b = (book ?? {}) as NotifiedBook;
  // The year as written, not as a number the language groups (2.023).
  return <>{t('notifications.book', { type: b.registerType ?? '?', number: b.bookNumber ?? '?', year: String(b.bookYear ?? '?'), unit: b.unitCode ?? '?' })}</>;
}

export function NotificationsPage() {
  const { t } = useI18n();
  const { user } = useSession();
  const province = user.provinceCode!;
  const [params, setParams] = useSearchParams();
  const kind = (params.get('kind') as NotificationKind | null) ?? undefined;
  const agency = params.get('agency') ?? undefined;
  const [agencyInput, setAgencyInput] = useState(agency ?? '');
  const list = useQuery({
    queryKey: ['notifications', province, kind, agency],
    queryFn: ({ signal }) => provinceNotifications(province, { kind, agency, limit: LIMIT }, signal),
    refetchInterval: 60_000,
  });
  const setParam = (name: string, value: string | undefined) => {
    const next = new URLSearchParams(params);
    if (value) next.set(name, value);
    else next.delete(name);
    setParams(next, { replace: true });
  };

  return (
    <section aria-labelledby="notifications-title">
      <h1 id="notifications-title">{t('notifications.title', { province })}</h1>
      <p className="muted">{t('notifications.intro')}</p>
      <form
        className="table-tools"
        role="search"
        aria-label={t('notifications.filters')}
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          setParam('agency', agencyInput.trim() || undefined);
        }}
      >
        <label className="inline-field">
          <span>{t('notifications.kind')}</span>
          <select value={kind ?? ''} onChange={(e) => setParam('kind', e.target.value || undefined)}>
            <option value="">{t('notifications.allKinds')}</option>
            <option value="escalation">{t('notifications.kind.escalation')}</option>
            <option value="reminder">{t('notifications.kind.reminder')}</option>
          </select>
        </label>
        <label className="inline-field">
          <span>{t('notifications.agency')}</span>
          <input value={agencyInput} onChange={(e) => setAgencyInput(e.target.value)} inputMode="numeric" size={8} />
        </label>
        <button type="submit">{t('notifications.apply')}</button>
        {agency && (
          <button
            type="button"
            className="link-button"
            onClick={() => {
              setAgencyInput('');
              setParam('agency', undefined);
            }}
          >
            {t('notifications.allAgencies')}
          </button>
        )}
      </form>
      {list.isError && <ErrorMessage error={list.error} onRetry={() => void list.refetch()} />}
      {list.isPending && <p className="loading">{t('common.loading')}</p>}
      {list.data && list.data.items.length === 0 && <p role="status">{t('notifications.none')}</p>}
      {list.data && list.data.items.length > 0 && (
        <>
          <p className="muted" role="status">
            {list.data.items.length >= LIMIT ? t('notifications.latest', { count: LIMIT }) : t('notifications.count', { count: list.data.items.length })}
          </p>
          <table>
            <caption className="visually-hidden">{t('notifications.title', { province })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('notifications.at')}</th>
                <th scope="col">{t('notifications.kind')}</th>
                <th scope="col">{t('notifications.agency')}</th>
                <th scope="col">{t('notifications.bookHeader')}</th>
                <th scope="col">{t('notifications.idleSince')}</th>
                <th scope="col">{t('notifications.message')}</th>
              </tr>
            </thead>
            <tbody>
              {list.data.items.map((item) => (
                <tr key={item.id}>
                  <td>{formatDateTime(item.at)}</td>
                  <td>
                    <span className={`badge ${item.kind === 'escalation' ? 'badge-failed' : 'badge-waiting'}`}>{t(item.kind === 'escalation' ? 'notifications.kind.escalation' : 'notifications.kind.reminder')}</span>
                  </td>
                  <td>{item.agencyCode}</td>
                  <td>
                    <BookCell book={item.book} />
                  </td>
                  <td>{formatDateTime(item.idleSince)}</td>
                  <td lang="vi">{item.messageVi}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </>
      )}
    </section>
  );
}
