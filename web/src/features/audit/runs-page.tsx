/**
 * The auditor's home: the runs of the auditor's scope, found by province, agency, kind, phase,
 * status and the day they started (Temporal's search attributes, through the audit API), newest
 * first, a page at a time, each opening its timeline; and a record's trail opened by its id.
 * The search is kept in the address.
 */
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { EXECUTION_STATUSES, WORKFLOW_KINDS, type WorkflowKind } from '../../../../domain/audit/run-search';
import { ErrorMessage } from '../../components/error-message';
import type { AuditRun } from '../../lib/api-types';
import { useI18n } from '../../lib/i18n/i18n';
import { useSession } from '../../lib/session';
import { runsQuery } from './api';
import { isKind, kindLabel, phaseLabel, phasesOf, statusLabel, timelinePath, VnTime } from './labels';
import { RecordSearch } from './record-search';
import { dayOfTyped, paramsOf, runSearchOf, typedOfDay, type RunSearch } from './run-search';

interface Draft {
  province: string;
  agency: string;
  kind: string;
  phase: string;
  status: string;
  from: string;
  to: string;
}

const draftOf = (s: RunSearch): Draft => ({
  province: s.province ?? '',
  agency: s.agency ?? '',
  kind: s.kind ?? '',
  phase: s.phase ?? '',
  status: s.status ?? '',
  from: s.from ? typedOfDay(s.from) : '',
  to: s.to ? typedOfDay(s.to) : '',
});

export function AuditRunsPage() {
  const { t } = useI18n();
  const { user } = useSession();
  const id = useId();
  const [params, setParams] = useSearchParams();
  const search: RunSearch = { ...runSearchOf(params), ...(user.provinceCode ? { province: user.provinceCode } : {}) };
  const [draft, setDraft] = useState<Draft>(() => draftOf(search));
  const [badDays, setBadDays] = useState<{ from: boolean; to: boolean }>({ from: false, to: false });
  // The tokens of the pages before the one shown: Temporal pages forward only.
  const [tokens, setTokens] = useState<string[]>([]);
  const pageToken = tokens[tokens.length - 1];
  const runs = useQuery({ ...runsQuery(search, pageToken), placeholderData: keepPreviousData });

  const set = (field: keyof Draft) => (value: string) => setDraft((d) => ({ ...d, [field]: value, ...(field === 'kind' ? { phase: '' } : {}) }));

  function submit(e: FormEvent) {
    e.preventDefault();
    const from = draft.from.trim() ? dayOfTyped(draft.from) : '';
    const to = draft.to.trim() ? dayOfTyped(draft.to) : '';
    setBadDays({ from: from === undefined, to: to === undefined });
    if (from === undefined || to === undefined) return;
    const next: RunSearch = {
      province: user.provinceCode ? undefined : draft.province.trim() || undefined,
      agency: draft.agency.trim() || undefined,
      kind: isKind(draft.kind) ? draft.kind : undefined,
      phase: draft.phase || undefined,
      status: (EXECUTION_STATUSES as readonly string[]).includes(draft.status) ? (draft.status as RunSearch['status']) : undefined,
      from: from || undefined,
      to: to || undefined,
    };
    setTokens([]);
    setParams(paramsOf(next));
  }

  function clear() {
    setDraft(draftOf({}));
    setBadDays({ from: false, to: false });
    setTokens([]);
    setParams(new URLSearchParams());
  }

  const kind = isKind(draft.kind) ? draft.kind : undefined;
  const dayField = (field: 'from' | 'to') => (
    <div className="form-field">
      <label htmlFor={`${id}-${field}`}>{t(field === 'from' ? 'audit.runs.from' : 'audit.runs.to')}</label>
      <input
        id={`${id}-${field}`}
        value={draft[field]}
        onChange={(e) => set(field)(e.target.value)}
        placeholder="dd/mm/yyyy"
        size={11}
        aria-invalid={badDays[field] || undefined}
        aria-describedby={`${id}-${field}-help`}
      />
      <span id={`${id}-${field}-help`} className={badDays[field] ? 'field-error' : 'field-help'}>
        {t(badDays[field] ? 'audit.runs.dayInvalid' : 'audit.runs.dayHelp')}
      </span>
    </div>
  );

  return (
    <section aria-labelledby="audit-runs-title">
      <h1 id="audit-runs-title">{user.provinceCode ? t('audit.runs.titleProvince', { province: user.provinceCode }) : t('audit.runs.titleNational')}</h1>
      <p className="muted">{t('audit.runs.intro')}</p>

      <RecordSearch />

      <form className="audit-filters" role="search" aria-label={t('audit.runs.filters')} onSubmit={submit}>
        <div className="form-field">
          <label htmlFor={`${id}-province`}>{t('audit.runs.province')}</label>
          {user.provinceCode ? (
            <input id={`${id}-province`} value={user.provinceCode} readOnly size={4} aria-describedby={`${id}-province-help`} />
          ) : (
            <input id={`${id}-province`} value={draft.province} onChange={(e) => set('province')(e.target.value)} inputMode="numeric" size={4} aria-describedby={`${id}-province-help`} />
          )}
          <span id={`${id}-province-help`} className="field-help">
            {t(user.provinceCode ? 'audit.runs.provinceOwn' : 'audit.runs.provinceAny')}
          </span>
        </div>
        <div className="form-field">
          <label htmlFor={`${id}-agency`}>{t('audit.runs.agency')}</label>
          <input id={`${id}-agency`} value={draft.agency} onChange={(e) => set('agency')(e.target.value)} inputMode="numeric" size={7} />
        </div>
        <div className="form-field">
          <label htmlFor={`${id}-kind`}>{t('audit.runs.kind')}</label>
          <select id={`${id}-kind`} value={draft.kind} onChange={(e) => set('kind')(e.target.value)}>
            <option value="">{t('audit.runs.anyKind')}</option>
            {WORKFLOW_KINDS.map((k) => (
              <option key={k} value={k}>
                {kindLabel(t, k)}
              </option>
            ))}
          </select>
        </div>
        <div className="form-field">
          <label htmlFor={`${id}-phase`}>{t('audit.runs.phase')}</label>
          <select id={`${id}-phase`} value={draft.phase} onChange={(e) => set('phase')(e.target.value)} disabled={!kind} aria-describedby={`${id}-phase-help`}>
            <option value="">{t('audit.runs.anyPhase')}</option>
            {kind &&
              phasesOf(kind).map((p) => (
                <option key={p} value={p}>
                  {phaseLabel(t, kind, p)}
                </option>
              ))}
          </select>
          <span id={`${id}-phase-help`} className="field-help">
            {t(kind ? 'audit.runs.phaseHelp' : 'audit.runs.phaseNeedsKind')}
          </span>
        </div>
        <div className="form-field">
          <label htmlFor={`${id}-status`}>{t('audit.runs.status')}</label>
          <select id={`${id}-status`} value={draft.status} onChange={(e) => set('status')(e.target.value)}>
            <option value="">{t('audit.runs.anyStatus')}</option>
            {EXECUTION_STATUSES.map((s) => (
              <option key={s} value={s}>
                {statusLabel(t, s)}
              </option>
            ))}
          </select>
        </div>
        {dayField('from')}
        {dayField('to')}
        <div className="form-actions">
          <button type="submit" className="primary">
            {t('audit.runs.search')}
          </button>
          <button type="button" onClick={clear}>
            {t('audit.runs.clear')}
          </button>
        </div>
      </form>

      {runs.isError && <ErrorMessage error={runs.error} onRetry={() => void runs.refetch()} />}
      {runs.isPending && <p className="loading">{t('common.loading')}</p>}
      {runs.data && (
        <>
          <p className="muted small-line" role="status">
            {runs.data.items.length === 0 ? t('audit.runs.none') : t('audit.runs.count', { count: runs.data.items.length, page: tokens.length + 1 })}{' '}
            {runs.data.query && <span className="mono">{t('audit.runs.query', { query: runs.data.query })}</span>}
          </p>
          {runs.data.items.length > 0 && <RunsTable items={runs.data.items} />}
          <div className="pager">
            <button type="button" disabled={tokens.length === 0} onClick={() => setTokens((s) => s.slice(0, -1))}>
              {t('audit.runs.previous')}
            </button>
            <button type="button" disabled={!runs.data.nextPageToken} onClick={() => setTokens((s) => [...s, runs.data!.nextPageToken!])}>
              {t('audit.runs.next')}
            </button>
          </div>
        </>
      )}
    </section>
  );
}

function RunsTable({ items }: { items: readonly AuditRun[] }) {
  const { t } = useI18n();
  return (
    <table className="audit-runs">
      <caption className="visually-hidden">{t('audit.runs.caption')}</caption>
      <thead>
        <tr>
          <th scope="col">{t('audit.runs.col.workflow')}</th>
          <th scope="col">{t('audit.runs.col.province')}</th>
          <th scope="col">{t('audit.runs.col.agency')}</th>
          <th scope="col">{t('audit.runs.col.phase')}</th>
          <th scope="col">{t('audit.runs.col.status')}</th>
          <th scope="col">{t('audit.runs.col.started')}</th>
          <th scope="col">{t('audit.runs.col.closed')}</th>
        </tr>
      </thead>
      <tbody>
        {items.map((r) => (
          <tr key={`${r.workflowId}/${r.runId}`}>
            <td>
              <Link to={timelinePath(r.workflowId)}>{kindLabel(t, r.kind as WorkflowKind | undefined, r.kindVi ?? r.workflowType)}</Link>
              <span className="mono small-line">{r.workflowId}</span>
            </td>
            <td>{r.provinceCode ?? '—'}</td>
            <td>{r.agencyCode ?? '—'}</td>
            <td>{phaseLabel(t, r.kind, r.phase, r.phaseVi)}</td>
            <td>{statusLabel(t, r.status, r.statusVi)}</td>
            <td>
              <VnTime at={r.startTime} />
            </td>
            <td>{r.closeTime ? <VnTime at={r.closeTime} /> : '—'}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
