/**
 * The board of every agency of a run: its phase, the rows the split gave it, its records
 * imported, with a page, approved, rejected and transferred, and its overdue books; filtered by
 * phase and overdue books, searched by code or name, sorted, and light at 700 agencies (only the
 * rows in view are in the page). Above it, the records approved and transferred per day. An
 * agency's part can be ended here.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { ErrorMessage } from '../../components/error-message';
import { AgencyPhaseBadge, RunPhaseBadge } from '../../components/phase-badge';
import { VirtualTable, type Column } from '../../components/virtual-table';
import type { AgencyPhase, AgencyProgress } from '../../lib/api-types';
import { useI18n } from '../../lib/i18n/i18n';
import { runStatusKey, useRunStatus } from '../../lib/run-status';
import { ActivityChart } from './activity-chart';
import { agencyCounts, perDay } from './api';
import { BOARD_SORTS, boardRows, filterRows, sortRows, totalsOf, type BoardFilter, type BoardRow, type BoardSort } from './board-model';
import { CloseAgencyDialog } from './close-agency-dialog';

const PHASES: readonly AgencyPhase[] = ['waiting_release', 'scheduled', 'awaiting_import', 'in_review', 'completed', 'cancelled'];
const OPEN: readonly AgencyPhase[] = ['scheduled', 'awaiting_import', 'in_review'];
const CHART_DAYS = 30;
const ROW_HEIGHT = 36;
/** Rows of the table in view at 1366×768 below the chart and the filters. */
const TABLE_ROWS = 9;

export function BoardPage() {
  const { t, n } = useI18n();
  const { runId = '' } = useParams();
  const queryClient = useQueryClient();
  const status = useRunStatus(runId);
  const counts = useQuery({ queryKey: ['agency-counts', runId], queryFn: ({ signal }) => agencyCounts(runId, signal), refetchInterval: 30_000 });
  const days = useQuery({ queryKey: ['per-day', runId], queryFn: ({ signal }) => perDay(runId, CHART_DAYS, signal), refetchInterval: 60_000 });
  const [filter, setFilter] = useState<BoardFilter>({ phase: 'all', overdueOnly: false, query: '' });
  const [sort, setSort] = useState<BoardSort>('code');
  const [closing, setClosing] = useState<AgencyProgress | null>(null);
  const [closed, setClosed] = useState<string | null>(null);

  const agencies = status.data?.progress.agencies;
  const rows = useMemo(() => boardRows(agencies ?? [], counts.data?.items), [agencies, counts.data]);
  const shown = useMemo(() => sortRows(filterRows(rows, filter), sort), [rows, filter, sort]);
  const totals = useMemo(() => totalsOf(shown), [shown]);
  const all = useMemo(() => totalsOf(rows), [rows]);

  if (status.isPending) return <p className="loading">{t('common.loading')}</p>;
  if (!status.data) return <ErrorMessage error={status.error} onRetry={() => void status.refetch()} />;
  const p = status.data.progress;

  const num = (pick: (c: NonNullable<BoardRow['counts']>) => number) => (r: BoardRow) => (r.counts ? n(pick(r.counts)) : '…');
  const columns: Column<BoardRow>[] = [
    { key: 'code', header: t('agency.code'), width: '4.6rem', render: (r) => r.code },
    { key: 'name', header: t('agency.name'), width: 'auto', render: (r) => r.name, title: (r) => r.name },
    { key: 'phase', header: t('board.phase'), width: '16.5rem', render: (r) => <AgencyPhaseBadge phase={r.phase} />, title: (r) => t(`agencyPhase.${r.phase}`) },
    { key: 'rows', header: t('board.rows'), width: '5.6rem', className: 'num', render: (r) => n(r.rows) },
    { key: 'records', header: t('board.records'), width: '5.6rem', className: 'num', render: num((c) => c.records) },
    { key: 'withPage', header: t('board.withPage'), width: '5.6rem', className: 'num', render: num((c) => c.withPage) },
    { key: 'approved', header: t('board.approved'), width: '5.6rem', className: 'num', render: num((c) => c.approved) },
    { key: 'rejected', header: t('board.rejected'), width: '5rem', className: 'num', render: num((c) => c.rejected) },
    { key: 'transferred', header: t('board.transferred'), width: '6.6rem', className: 'num', render: num((c) => c.transferred) },
    {
      key: 'overdue',
      header: t('board.overdue'),
      width: '5.4rem',
      className: 'num',
      render: (r) =>
        r.overdueBooks ? (
          <Link to={`/notifications?agency=${r.code}`} className="bad" aria-label={t('board.overdueOf', { count: r.overdueBooks, name: r.name })}>
            {n(r.overdueBooks)}
          </Link>
        ) : (
          '0'
        ),
    },
    {
      key: 'actions',
      header: <span className="visually-hidden">{t('board.actions')}</span>,
      width: '6rem',
      render: (r) =>
        OPEN.includes(r.phase) && (
          <button type="button" className="small danger" onClick={() => setClosing(r)} aria-label={t('board.closeOf', { name: r.name })}>
            {t('board.close')}
          </button>
        ),
    },
  ];
  const footer = (
    <tr className="totals-row" style={{ height: ROW_HEIGHT }} aria-rowindex={shown.length + 2}>
      <th scope="row" colSpan={3}>
        {t('board.totals', { count: totals.agencies })}
      </th>
      <td className="num">{n(totals.rows)}</td>
      <td className="num">{n(totals.records)}</td>
      <td className="num">{n(totals.withPage)}</td>
      <td className="num">{n(totals.approved)}</td>
      <td className="num">{n(totals.rejected)}</td>
      <td className="num">{n(totals.transferred)}</td>
      <td className="num">{n(totals.overdueBooks)}</td>
      <td />
    </tr>
  );

  return (
    <section aria-labelledby="board-title" className="board">
      <div className="page-head">
        <h1 id="board-title">{t('board.title', { runId })}</h1>
        <RunPhaseBadge phase={p.phase} />
        <Link to={`/runs/${runId}`}>{t('board.toRun')}</Link>
      </div>
      {counts.isError && <ErrorMessage error={counts.error} onRetry={() => void counts.refetch()} />}
      {closed && (
        <p className="success" role="status">
          {t('board.closed', { name: closed })}
        </p>
      )}
      <div className="board-top">
        <dl className="kpis">
          <div>
            <dt>{t('board.kpiAgencies')}</dt>
            <dd>{t('board.kpiAgenciesValue', { done: p.agencies.filter((a) => a.phase === 'completed').length, total: p.agencies.length })}</dd>
          </div>
          <div>
            <dt>{t('board.records')}</dt>
            <dd>{n(all.records)}</dd>
          </div>
          <div>
            <dt>{t('board.approved')}</dt>
            <dd>{n(all.approved)}</dd>
          </div>
          <div>
            <dt>{t('board.transferred')}</dt>
            <dd>{n(all.transferred)}</dd>
          </div>
          <div>
            <dt>{t('board.overdue')}</dt>
            <dd className={all.overdueBooks > 0 ? 'bad' : undefined}>{n(all.overdueBooks)}</dd>
          </div>
        </dl>
        {days.data ? <ActivityChart days={days.data.days} /> : days.isError ? <ErrorMessage error={days.error} /> : <p className="loading">{t('common.loading')}</p>}
      </div>

      <div className="table-tools" role="search" aria-label={t('board.filters')}>
        <label className="inline-field">
          <span>{t('board.search')}</span>
          <input type="search" value={filter.query} onChange={(e) => setFilter({ ...filter, query: e.target.value })} placeholder={t('board.searchPlaceholder')} />
        </label>
        <label className="inline-field">
          <span>{t('board.phase')}</span>
          <select value={filter.phase} onChange={(e) => setFilter({ ...filter, phase: e.target.value as BoardFilter['phase'] })}>
            <option value="all">{t('board.allPhases')}</option>
            {PHASES.map((ph) => (
              <option key={ph} value={ph}>
                {t(`agencyPhase.${ph}`)}
              </option>
            ))}
          </select>
        </label>
        <label className="choice">
          <input type="checkbox" checked={filter.overdueOnly} onChange={(e) => setFilter({ ...filter, overdueOnly: e.target.checked })} />
          {t('board.overdueOnly')}
        </label>
        <label className="inline-field">
          <span>{t('board.sort')}</span>
          <select value={sort} onChange={(e) => setSort(e.target.value as BoardSort)}>
            {BOARD_SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`board.sort.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <span className="muted" role="status">
          {t('board.showing', { shown: shown.length, total: rows.length })}
        </span>
      </div>
      <VirtualTable
        columns={columns}
        rows={shown}
        rowKey={(r) => r.code}
        label={t('board.tableLabel')}
        rowHeight={ROW_HEIGHT}
        // Header, rows and totals: no taller than its rows need, no taller than the screen has room for.
        height={ROW_HEIGHT * (Math.min(TABLE_ROWS, Math.max(1, shown.length)) + 2) + 12}
        footer={footer}
        empty={t('board.noMatch')}
      />
      {closing && (
        <CloseAgencyDialog
          agency={closing}
          onClose={() => setClosing(null)}
          onClosed={() => {
            setClosed(closing.name);
            setClosing(null);
            void queryClient.invalidateQueries({ queryKey: runStatusKey(runId) });
            void queryClient.invalidateQueries({ queryKey: ['agency-counts', runId] });
          }}
        />
      )}
    </section>
  );
}
