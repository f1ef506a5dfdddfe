/**
 * The checks an auditor runs on a province: the audit log's chain computed again (every entry
 * edited, removed or moved since it was written, and the chain's last entry to note down), and
 * the reconciliation of the database, the log and the workflows' histories (every disagreement
 * with its code and a Vietnamese sentence naming the record, the log entry or the event). Each
 * runs when asked: both read a whole province. A province auditor checks their own province; a
 * national one names it.
 */
import { useMutation } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { ErrorMessage } from '../../components/error-message';
import type { ChainVerification, Reconciliation } from '../../lib/api-types';
import { useI18n } from '../../lib/i18n/i18n';
import { useSession } from '../../lib/session';
import { reconcile, verifyChain } from './api';
import { chainBreaksCsv, findingsCsv } from './audit-csv';
import { ExportBar, saveText } from './export-bar';
import { timelinePath, trailPath, VnTime } from './labels';

const PROVINCE = /^\d{2}$/;
const AGENCY = /^\d{3}(\d{2})?$/;

export function AuditChecksPage() {
  const { t } = useI18n();
  const { user } = useSession();
  const id = useId();
  const [params, setParams] = useSearchParams();
  const province = user.provinceCode ?? params.get('province') ?? '';
  const [provinceText, setProvinceText] = useState(province);
  const [agencyText, setAgencyText] = useState('');
  const [agencyInvalid, setAgencyInvalid] = useState(false);
  const verification = useMutation({ mutationFn: verifyChain });
  const reconciliation = useMutation({ mutationFn: ({ province, agency }: { province: string; agency?: string }) => reconcile(province, agency) });
  const provinceOk = PROVINCE.test(province);

  function chooseProvince(e: FormEvent) {
    e.preventDefault();
    verification.reset();
    reconciliation.reset();
    setParams(provinceText.trim() ? { province: provinceText.trim() } : {});
  }

  function runReconcile(e: FormEvent) {
    e.preventDefault();
    const agency = agencyText.trim();
    setAgencyInvalid(agency !== '' && !AGENCY.test(agency));
    if (agency !== '' && !AGENCY.test(agency)) return;
    reconciliation.mutate({ province, agency: agency || undefined });
  }

  return (
    <section aria-labelledby="checks-title" className="audit-page">
      <h1 id="checks-title">{provinceOk ? t('audit.checks.title', { province }) : t('audit.checks.titleNoProvince')}</h1>
      <p className="muted">{t('audit.checks.intro')}</p>
      {!user.provinceCode && (
        <form className="table-tools" onSubmit={chooseProvince} aria-label={t('audit.checks.chooseProvince')}>
          <label className="inline-field" htmlFor={`${id}-province`}>
            {t('audit.runs.province')}
          </label>
          <input
            id={`${id}-province`}
            value={provinceText}
            onChange={(e) => setProvinceText(e.target.value)}
            inputMode="numeric"
            size={4}
            aria-invalid={(province !== '' && !provinceOk) || undefined}
            aria-describedby={`${id}-province-help`}
          />
          <button type="submit">{t('audit.checks.useProvince')}</button>
          <span id={`${id}-province-help`} className={province !== '' && !provinceOk ? 'field-error' : 'field-help'}>
            {t('audit.checks.provinceHelp')}
          </span>
        </form>
      )}

      <section className="panel" aria-labelledby="verify-title">
        <h2 id="verify-title">{t('audit.checks.verifyTitle')}</h2>
        <p className="muted">{t('audit.checks.verifyIntro')}</p>
        <button type="button" className="primary" disabled={!provinceOk || verification.isPending} onClick={() => verification.mutate(province)}>
          {verification.isPending ? t('audit.checks.running') : t('audit.checks.verify')}
        </button>
        {verification.isError && <ErrorMessage error={verification.error} />}
        {verification.data && <VerificationResult v={verification.data} />}
      </section>

      <section className="panel" aria-labelledby="reconcile-title">
        <h2 id="reconcile-title">{t('audit.checks.reconcileTitle')}</h2>
        <p className="muted">{t('audit.checks.reconcileIntro')}</p>
        <form className="table-tools" onSubmit={runReconcile}>
          <label className="inline-field" htmlFor={`${id}-agency`}>
            {t('audit.checks.agency')}
          </label>
          <input
            id={`${id}-agency`}
            value={agencyText}
            onChange={(e) => setAgencyText(e.target.value)}
            inputMode="numeric"
            size={7}
            aria-invalid={agencyInvalid || undefined}
            aria-describedby={`${id}-agency-help`}
          />
          <span id={`${id}-agency-help`} className={agencyInvalid ? 'field-error' : 'field-help'}>
            {t(agencyInvalid ? 'audit.checks.agencyInvalid' : 'audit.checks.agencyHelp')}
          </span>
          <button type="submit" className="primary" disabled={!provinceOk || reconciliation.isPending}>
            {reconciliation.isPending ? t('audit.checks.running') : t('audit.checks.reconcile')}
          </button>
        </form>
        {reconciliation.isError && <ErrorMessage error={reconciliation.error} />}
        {reconciliation.data && <ReconciliationResult r={reconciliation.data} />}
      </section>
    </section>
  );
}

function VerificationResult({ v }: { v: ChainVerification }) {
  const { t } = useI18n();
  return (
    <div className="check-result" aria-live="polite">
      <p className={v.breakCount === 0 ? 'success' : 'error-message'} role={v.breakCount === 0 ? 'status' : 'alert'}>
        {v.entries === 0
          ? t('audit.checks.chainEmpty', { province: v.provinceCode })
          : v.breakCount === 0
            ? t('audit.checks.chainIntact', { province: v.provinceCode, entries: v.entries })
            : t('audit.checks.chainBroken', { province: v.provinceCode, entries: v.entries, breaks: v.breakCount })}
      </p>
      <p className="muted small-line">
        {t('audit.checks.checkedAt')} <VnTime at={v.checkedAt} />
      </p>
      {v.head && (
        <p className="small-line">
          {t('audit.checks.head', { position: v.head.position })} <VnTime at={v.head.at} />, {t('audit.checks.headHash')} <span className="mono hash">{v.head.hash}</span>
          <br />
          <span className="muted">{t('audit.checks.headNote')}</span>
        </p>
      )}
      {v.breaks.length > 0 && (
        <>
          <table className="compact">
            <caption>{t('audit.checks.breaksCaption', { shown: v.breaks.length, total: v.breakCount })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('audit.trail.log.position')}</th>
                <th scope="col">{t('audit.trail.log.seq')}</th>
                <th scope="col">{t('audit.trail.log.action')}</th>
                <th scope="col">{t('audit.timeline.col.at')}</th>
                <th scope="col">{t('audit.trail.log.actor')}</th>
                <th scope="col">{t('audit.checks.what')}</th>
              </tr>
            </thead>
            <tbody>
              {v.breaks.map((b) => (
                <tr key={`${b.position}-${b.seq}`}>
                  <td>{String(b.position)}</td>
                  <td>{String(b.seq)}</td>
                  <td>
                    {b.actionVi} <span className="mono muted">{b.action}</span>
                  </td>
                  <td>
                    <VnTime at={b.at} />
                  </td>
                  <td>{b.actor}</td>
                  <td lang="vi">{b.messageVi}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <ExportBar label={t('audit.export.label')} items={[{ label: t('audit.checks.exportBreaks'), save: () => saveText(chainBreaksCsv(t, v), `chuoi-nhat-ky-tinh-${v.provinceCode}.csv`, 'text/csv;charset=utf-8') }]} />
        </>
      )}
    </div>
  );
}

const WORKFLOW_STATE_KEYS = {
  compared: 'audit.checks.workflowState.compared',
  history_unavailable: 'audit.checks.workflowState.history_unavailable',
  state_unavailable: 'audit.checks.workflowState.state_unavailable',
  one_of_several: 'audit.checks.workflowState.one_of_several',
} as const;

function ReconciliationResult({ r }: { r: Reconciliation }) {
  const { t, n } = useI18n();
  return (
    <div className="check-result" aria-live="polite">
      <p className={r.findingCount === 0 ? 'success' : 'error-message'} role={r.findingCount === 0 ? 'status' : 'alert'}>
        {r.findingCount === 0
          ? t('audit.checks.reconcileClean', { agencies: r.agencies, transferred: r.transferredRecords })
          : t('audit.checks.reconcileFound', { agencies: r.agencies, transferred: r.transferredRecords, findings: r.findingCount })}
      </p>
      <p className="muted small-line">
        {t('audit.checks.checkedAt')} <VnTime at={r.checkedAt} />
        {r.agencyCode && ` · ${t('audit.checks.onlyAgency', { agency: r.agencyCode })}`}
      </p>
      {Object.keys(r.byCode).length > 0 && (
        <ul className="plain by-code">
          {Object.entries(r.byCode).map(([code, count]) => (
            <li key={code}>
              <span className="mono">{code}</span>: {n(count)}
            </li>
          ))}
        </ul>
      )}
      {r.findings.length > 0 && (
        <>
          <table className="compact findings">
            <caption>{t('audit.checks.findingsCaption', { count: r.findings.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('audit.checks.col.code')}</th>
                <th scope="col">{t('audit.checks.col.finding')}</th>
                <th scope="col">{t('audit.checks.col.agency')}</th>
                <th scope="col">{t('audit.checks.col.open')}</th>
              </tr>
            </thead>
            <tbody>
              {r.findings.map((f, i) => (
                <tr key={`${f.code}-${i}`}>
                  <td className="mono">{f.code}</td>
                  <td lang="vi">{f.messageVi}</td>
                  <td>{f.agencyCode}</td>
                  <td>
                    {f.recordId !== undefined && <Link to={trailPath(f.recordId)}>{t('audit.timeline.record', { id: String(f.recordId) })}</Link>}
                    {f.workflowId && (
                      <Link to={timelinePath(f.workflowId)} className="small-line">
                        {f.eventId !== undefined ? t('audit.checks.openEvent', { event: String(f.eventId) }) : t('audit.checks.openTimeline')}
                      </Link>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <ExportBar label={t('audit.export.label')} items={[{ label: t('audit.checks.exportFindings'), save: () => saveText(findingsCsv(t, r), `doi-chieu-tinh-${r.provinceCode}.csv`, 'text/csv;charset=utf-8') }]} />
        </>
      )}
      {r.workflows.length > 0 && (
        <details>
          <summary>{t('audit.checks.workflows', { count: r.workflows.length })}</summary>
          <table className="compact">
            <caption className="visually-hidden">{t('audit.checks.workflows', { count: r.workflows.length })}</caption>
            <thead>
              <tr>
                <th scope="col">{t('audit.runs.col.workflow')}</th>
                <th scope="col">{t('audit.checks.col.agency')}</th>
                <th scope="col" className="num">
                  {t('audit.checks.col.runs')}
                </th>
                <th scope="col">{t('audit.checks.col.state')}</th>
              </tr>
            </thead>
            <tbody>
              {r.workflows.map((w) => (
                <tr key={w.workflowId}>
                  <td>
                    <Link to={timelinePath(w.workflowId)} className="mono">
                      {w.workflowId}
                    </Link>
                  </td>
                  <td>{w.agencyCode}</td>
                  <td className="num">{n(w.runs)}</td>
                  <td>
                    {t(WORKFLOW_STATE_KEYS[w.state])}
                    {w.noteVi && (
                      <>
                        {': '}
                        <span lang="vi">{w.noteVi}</span>
                      </>
                    )}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </details>
      )}
    </div>
  );
}
