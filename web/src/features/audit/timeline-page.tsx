/**
 * A run's timeline, read from its Temporal history by the audit API and told in plain
 * Vietnamese: who registered the package, confirmed, released, imported, decided, transferred,
 * and when (Việt Nam's time), with each entry's event in the history. Entries open the records
 * they decided (their trails) and the agency runs a province run started; the history itself
 * (JSON, for `hotich audit replay`) and the timeline (CSV) are exported. A run outside the
 * auditor's scope is "not found", as the API answers.
 */
import { useQuery } from '@tanstack/react-query';
import { useEffect, useId, useMemo, useState } from 'react';
import { Link, useLocation, useParams } from 'react-router';
import { ErrorMessage } from '../../components/error-message';
import { isApiError } from '../../lib/api-client';
import type { Timeline, TimelineEntry } from '../../lib/api-types';
import { useI18n } from '../../lib/i18n/i18n';
import { downloadHistory, timelineQuery } from './api';
import { timelineCsv } from './audit-csv';
import { ExportBar, saveText } from './export-bar';
import { eventAnchor, kindLabel, phaseLabel, statusLabel, timelinePath, trailPath, VnTime } from './labels';
import { actorsOf, filterTimeline, TIMELINE_KINDS, type TimelineFilter } from './timeline-model';

/** Rows put in the page at a time: a long agency run has thousands of entries. */
const CHUNK = 300;
/** Record links shown in a row before the rest fold away. */
const RECORDS_SHOWN = 4;

export function NotFoundAnswer({ error }: { error: unknown }) {
  const { t } = useI18n();
  const missing = isApiError(error) && error.status === 404;
  return (
    <section aria-labelledby="audit-missing-title">
      <h1 id="audit-missing-title">{missing ? t('notFound.title') : t('error.title')}</h1>
      <ErrorMessage error={error} />
      <p>
        <Link to="/">{t('audit.backToRuns')}</Link>
      </p>
    </section>
  );
}

export function TimelinePage() {
  const { t } = useI18n();
  const workflowId = useParams()['*'] ?? '';
  const timeline = useQuery({ ...timelineQuery(workflowId), enabled: workflowId.length > 0 });
  if (timeline.isError) return <NotFoundAnswer error={timeline.error} />;
  if (!timeline.data) return <p className="loading">{t('common.loading')}</p>;
  return <TimelineView timeline={timeline.data} />;
}

function TimelineView({ timeline }: { timeline: Timeline }) {
  const { t, n } = useI18n();
  const id = useId();
  const { hash } = useLocation();
  const latest = timeline.runs[timeline.runs.length - 1]!;
  const first = timeline.runs[0]!;
  const [filter, setFilter] = useState<TimelineFilter>({ kind: 'all', actor: '', query: '' });
  const shown = useMemo(() => filterTimeline(timeline.entries, filter), [timeline.entries, filter]);
  const actors = useMemo(() => actorsOf(timeline.entries), [timeline.entries]);
  const target = hash.startsWith('#e-') ? hash.slice(1) : undefined;
  const targetIndex = target ? shown.findIndex((e) => eventAnchor(e.runId, e.eventId) === target) : -1;
  const [limit, setLimit] = useState(CHUNK);
  const visible = Math.max(limit, targetIndex + 1);

  // An entry named in the address (a trail's history event) is brought into view and focused.
  useEffect(() => {
    if (!target) return;
    const row = document.getElementById(target);
    row?.scrollIntoView({ block: 'center' });
    row?.focus();
  }, [target]);

  const title = kindLabel(t, first.kind, first.kindVi ?? first.workflowType);
  const owner = first.agencyCode ? t('audit.timeline.ofAgency', { agency: first.agencyCode }) : first.provinceCode ? t('audit.timeline.ofProvince', { province: first.provinceCode }) : '';
  const csvName = `dien-bien_${timeline.workflowId.replaceAll('/', '_')}.csv`;

  return (
    <section aria-labelledby="timeline-title" className="audit-page">
      <p className="breadcrumb">
        <Link to="/">{t('audit.backToRuns')}</Link>
      </p>
      <h1 id="timeline-title">{t('audit.timeline.title', { what: `${title}${owner ? ` ${owner}` : ''}` })}</h1>
      <dl className="facts">
        <dt>{t('audit.timeline.workflowId')}</dt>
        <dd className="mono">{timeline.workflowId}</dd>
        <dt>{t('audit.runs.col.phase')}</dt>
        <dd>{phaseLabel(t, latest.kind, latest.phase, latest.phaseVi)}</dd>
        <dt>{t('audit.runs.col.status')}</dt>
        <dd>{statusLabel(t, latest.status, latest.statusVi)}</dd>
        <dt>{t('audit.runs.col.started')}</dt>
        <dd>
          <VnTime at={first.startTime} />
        </dd>
        <dt>{t('audit.timeline.entries')}</dt>
        <dd>{t('audit.timeline.entriesCount', { count: timeline.entries.length, runs: timeline.runs.length })}</dd>
      </dl>

      <ExportBar
        label={t('audit.export.label')}
        items={[
          { label: t('audit.timeline.exportHistory'), save: () => downloadHistory(timeline.workflowId, latest.runId) },
          { label: t('audit.timeline.exportCsv'), save: () => saveText(timelineCsv(t, timeline), csvName, 'text/csv;charset=utf-8') },
        ]}
      />

      {timeline.runs.length > 1 && <RunsOfWorkflow timeline={timeline} />}

      <form className="table-tools" role="search" aria-label={t('audit.timeline.filters')} onSubmit={(e) => e.preventDefault()}>
        <label className="inline-field" htmlFor={`${id}-kind`}>
          {t('audit.timeline.kind')}
        </label>
        <select id={`${id}-kind`} value={filter.kind} onChange={(e) => setFilter({ ...filter, kind: e.target.value as TimelineFilter['kind'] })}>
          {TIMELINE_KINDS.map((k) => (
            <option key={k} value={k}>
              {t(`audit.timeline.kind.${k}`)}
            </option>
          ))}
        </select>
        <label className="inline-field" htmlFor={`${id}-actor`}>
          {t('audit.timeline.actor')}
        </label>
        <select id={`${id}-actor`} value={filter.actor} onChange={(e) => setFilter({ ...filter, actor: e.target.value })}>
          <option value="">{t('audit.timeline.anyone')}</option>
          {actors.map((a) => (
            <option key={a} value={a}>
              {a}
            </option>
          ))}
        </select>
        <label className="inline-field" htmlFor={`${id}-query`}>
          {t('audit.timeline.search')}
        </label>
        <input id={`${id}-query`} type="search" value={filter.query} onChange={(e) => setFilter({ ...filter, query: e.target.value })} size={22} />
        <span className="muted" role="status">
          {t('audit.timeline.shown', { shown: shown.length, total: timeline.entries.length })}
        </span>
      </form>

      <table className="timeline">
        <caption className="visually-hidden">{t('audit.timeline.caption')}</caption>
        <thead>
          <tr>
            <th scope="col" className="num">
              {t('audit.timeline.col.event')}
            </th>
            <th scope="col">{t('audit.timeline.col.at')}</th>
            <th scope="col">{t('audit.timeline.col.actor')}</th>
            <th scope="col">{t('audit.timeline.col.what')}</th>
            <th scope="col">{t('audit.timeline.col.refs')}</th>
          </tr>
        </thead>
        <tbody>
          {shown.slice(0, visible).map((e) => (
            <EntryRow key={`${e.runId}/${e.eventId}`} entry={e} multiRun={timeline.runs.length > 1} target={target === eventAnchor(e.runId, e.eventId)} />
          ))}
        </tbody>
      </table>
      {shown.length > visible && (
        <p>
          <button type="button" onClick={() => setLimit(visible + CHUNK)}>
            {t('audit.timeline.more', { count: Math.min(CHUNK, shown.length - visible), left: shown.length - visible })}
          </button>
        </p>
      )}
      {shown.length === 0 && <p role="status">{t('audit.timeline.noneShown')}</p>}
      <p className="muted small-line">{t('audit.timeline.source', { count: n(timeline.entries.length) })}</p>
    </section>
  );
}

function RunsOfWorkflow({ timeline }: { timeline: Timeline }) {
  const { t, n } = useI18n();
  return (
    <details className="panel">
      <summary>
        <h2>{t('audit.timeline.runs', { count: timeline.runs.length })}</h2>
      </summary>
      <table className="compact">
        <caption className="visually-hidden">{t('audit.timeline.runs', { count: timeline.runs.length })}</caption>
        <thead>
          <tr>
            <th scope="col">{t('audit.timeline.col.run')}</th>
            <th scope="col">{t('audit.runs.col.status')}</th>
            <th scope="col">{t('audit.runs.col.started')}</th>
            <th scope="col">{t('audit.runs.col.closed')}</th>
            <th scope="col" className="num">
              {t('audit.timeline.col.events')}
            </th>
            <th scope="col">{t('audit.timeline.col.history')}</th>
          </tr>
        </thead>
        <tbody>
          {timeline.runs.map((r) => (
            <tr key={r.runId}>
              <td className="mono">{r.runId}</td>
              <td>{statusLabel(t, r.status, r.statusVi)}</td>
              <td>
                <VnTime at={r.startTime} />
              </td>
              <td>{r.closeTime ? <VnTime at={r.closeTime} /> : '—'}</td>
              <td className="num">{r.historyLength ? n(r.historyLength) : '—'}</td>
              <td>
                <ExportBar label={t('audit.timeline.historyOfRun', { run: r.runId.slice(0, 8) })} items={[{ label: t('audit.timeline.exportHistoryShort'), save: () => downloadHistory(timeline.workflowId, r.runId) }]} />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </details>
  );
}

function EntryRow({ entry: e, multiRun, target }: { entry: TimelineEntry; multiRun: boolean; target: boolean }) {
  const { t } = useI18n();
  const records = e.refs?.recordIds ?? [];
  return (
    <tr id={eventAnchor(e.runId, e.eventId)} tabIndex={-1} className={target ? 'target' : undefined}>
      <td className="num">
        #{e.eventId}
        {multiRun && <span className="mono small-line" title={e.runId}>{e.runId.slice(0, 8)}</span>}
      </td>
      <td className="nowrap">
        <VnTime at={e.at} />
      </td>
      <td>{e.actor ?? <span className="muted">{t('audit.timeline.system')}</span>}</td>
      <td lang="vi">
        {e.textVi}
        {e.outcome !== 'ok' && (
          <span className={`badge ${e.outcome === 'failed' ? 'badge-failed' : 'badge-waiting'} outcome`}>{t(`audit.outcome.${e.outcome}`)}</span>
        )}
        {e.failure && (
          <span className="failure">
            {e.failure.messageVi ?? e.failure.message}
            {e.failure.code && <> ({t('error.code', { code: e.failure.code })})</>}
          </span>
        )}
      </td>
      <td>
        {records.length > 0 && (
          <span className="record-links">
            {records.slice(0, RECORDS_SHOWN).map((id) => (
              <Link key={id} to={trailPath(id)}>
                {t('audit.timeline.record', { id: String(id) })}
              </Link>
            ))}
            {records.length > RECORDS_SHOWN && (
              <details>
                <summary>{t('audit.timeline.moreRecords', { count: records.length - RECORDS_SHOWN })}</summary>
                {records.slice(RECORDS_SHOWN).map((id) => (
                  <Link key={id} to={trailPath(id)}>
                    {t('audit.timeline.record', { id: String(id) })}
                  </Link>
                ))}
              </details>
            )}
          </span>
        )}
        {e.refs?.workflowId && <Link to={timelinePath(e.refs.workflowId)}>{t('audit.timeline.openChild')}</Link>}
        {e.refs?.sha256 && (
          <span className="mono small-line" title={e.refs.sha256}>
            SHA-256 {e.refs.sha256.slice(0, 12)}…
          </span>
        )}
      </td>
    </tr>
  );
}
