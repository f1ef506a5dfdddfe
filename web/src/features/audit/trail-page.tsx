/**
 * One record's whole trail on one screen (/audit/records/<id>, reached from a timeline, from a
 * search by id, or by its address): each version an import made, each page attached or
 * replaced, each decision with who and the pages compared, and the transfer with CSDLHTĐT's
 * receipt, in time order; each step with the audit log's entries that record it (number,
 * position in the province's chain, hash) and the history event that asked for it. The pages
 * open beside the steps in the review's page viewer. Exported as the API's JSON and as CSV. A
 * record outside the auditor's scope is "not found", as the API answers.
 */
import { useQuery } from '@tanstack/react-query';
import { useMemo, useState, type KeyboardEvent } from 'react';
import { Link, useParams } from 'react-router';
import { isRegisterTypeCode } from '../../../../domain/registers/register-types';
import { FIT_WIDTH, PageViewer, rotate, zoomIn, zoomOut, type ViewState } from '../../components/page-viewer/page-viewer';
import type { Trail, TrailStep } from '../../lib/api-types';
import { useI18n } from '../../lib/i18n/i18n';
import { downloadTrailJson, trailQuery } from './api';
import { trailCsv } from './audit-csv';
import { ExportBar, saveText } from './export-bar';
import { timelinePath, VnTime } from './labels';
import { RecordSearch } from './record-search';
import { NotFoundAnswer } from './timeline-page';

type StepPage = NonNullable<TrailStep['pages']>[number];

/** The pages the screen opens first: those the latest approval compared, else the first pages attached. */
function firstShown(trail: Trail): number | undefined {
  const withPages = trail.steps.map((s, i) => [s, i] as const).filter(([s]) => (s.pages?.length ?? 0) > 0);
  const approval = withPages.filter(([s]) => s.kind === 'approve').pop();
  return (approval ?? withPages[0])?.[1];
}

export function TrailPage() {
  const { t } = useI18n();
  const raw = useParams().id ?? '';
  const id = /^\d+$/.test(raw) ? Number(raw) : NaN;
  const trail = useQuery({ ...trailQuery(id), enabled: Number.isSafeInteger(id) && id > 0 });
  if (!(Number.isSafeInteger(id) && id > 0)) {
    return (
      <section aria-labelledby="audit-missing-title">
        <h1 id="audit-missing-title">{t('notFound.title')}</h1>
        <p>{t('audit.recordSearch.invalid')}</p>
        <RecordSearch />
      </section>
    );
  }
  if (trail.isError) return <NotFoundAnswer error={trail.error} />;
  if (!trail.data) return <p className="loading">{t('common.loading')}</p>;
  return <TrailView key={id} trail={trail.data} />;
}

function TrailView({ trail }: { trail: Trail }) {
  const { t } = useI18n();
  const r = trail.record;
  const [shown, setShown] = useState<{ step: number; page: number } | undefined>(() => {
    const step = firstShown(trail);
    return step === undefined ? undefined : { step, page: 0 };
  });
  const [view, setView] = useState<ViewState>(FIT_WIDTH);
  const registerType = isRegisterTypeCode(r.registerType) ? t(`registerType.${r.registerType}`) : r.registerTypeVi;
  const shownPage = shown ? trail.steps[shown.step]?.pages?.[shown.page] : undefined;

  const show = (step: number, page: number) => {
    setShown({ step, page });
    setView(FIT_WIDTH);
  };

  return (
    <section aria-labelledby="trail-title" className="audit-page trail">
      <p className="breadcrumb">
        <Link to="/">{t('audit.backToRuns')}</Link>
      </p>
      <div className="page-head">
        <h1 id="trail-title">{t('audit.trail.title', { id: String(r.id) })}</h1>
        <RecordSearch />
      </div>
      <dl className="facts trail-record">
        <dt>{t('audit.trail.book')}</dt>
        <dd>{t('audit.trail.bookValue', { type: registerType, book: r.bookNumber, year: String(r.bookYear), unit: r.unitCode, number: r.registrationNumber })}</dd>
        <dt>{t('audit.trail.agency')}</dt>
        <dd>{t('audit.trail.agencyValue', { agency: r.agencyCode, province: r.provinceCode })}</dd>
        <dt>{t('audit.trail.state')}</dt>
        <dd>{t('audit.trail.stateValue', { state: r.state in STATE_KEYS ? t(STATE_KEYS[r.state as keyof typeof STATE_KEYS]) : r.stateVi, version: r.version, pages: r.pages })}</dd>
        {r.receipt && (
          <>
            <dt>{t('audit.trail.receipt')}</dt>
            <dd>
              {t('audit.trail.receiptValue', { target: r.receipt.targetId, batch: r.receipt.batchKey })} <VnTime at={r.receipt.receivedAt} />
            </dd>
          </>
        )}
      </dl>
      <ExportBar
        label={t('audit.export.label')}
        items={[
          { label: t('audit.trail.exportJson'), save: () => downloadTrailJson(r.id) },
          { label: t('audit.trail.exportCsv'), save: () => saveText(trailCsv(t, trail), `qua-trinh-ho-so-${r.id}.csv`, 'text/csv;charset=utf-8') },
        ]}
      />

      <div className="trail-body">
        <div className="trail-steps-panel">
          <h2 id="trail-steps-title">{t('audit.trail.steps', { count: trail.steps.length })}</h2>
          <ol className="trail-steps" aria-labelledby="trail-steps-title">
            {trail.steps.map((s, i) => (
              <StepItem key={`${s.source.table}/${s.source.id}/${i}`} step={s} index={i} shown={shown?.step === i ? shown.page : undefined} onShow={(page) => show(i, page)} />
            ))}
          </ol>
          {trail.workflows.length > 0 && (
            <p className="muted small-line">
              {t('audit.trail.workflowsRead')}{' '}
              {trail.workflows.map((w) => (
                <Link key={w} to={timelinePath(w)} className="mono">
                  {w}
                </Link>
              ))}
            </p>
          )}
        </div>
        <PagePanel recordId={r.id} page={shownPage} step={shown ? trail.steps[shown.step] : undefined} view={view} onView={setView} />
      </div>
    </section>
  );
}

const STATE_KEYS = { imported: 'state.imported', approved: 'state.approved', rejected: 'state.rejected', transferred: 'state.transferred' } as const;
const ROLE_KEYS = { admin: 'role.admin', coordinator: 'role.coordinator', official: 'role.official', auditor: 'role.auditor' } as const;

/** A record state the log wrote, in the page's language; one it does not know, as written. */
const stateText = (t: ReturnType<typeof useI18n>['t'], state: string | null | undefined) =>
  !state ? '—' : state in STATE_KEYS ? t(STATE_KEYS[state as keyof typeof STATE_KEYS]) : state;

const STEP_KEYS = {
  import: 'audit.step.import',
  page: 'audit.step.page',
  page_replaced: 'audit.step.page_replaced',
  approve: 'audit.step.approve',
  reject: 'audit.step.reject',
  correct: 'audit.step.correct',
  target_refusal: 'audit.step.target_refusal',
  transfer: 'audit.step.transfer',
  log: 'audit.step.log',
} as const;

const STEP_TONE: Partial<Record<TrailStep['kind'], string>> = { approve: 'badge-done', transfer: 'badge-done', reject: 'badge-failed', target_refusal: 'badge-failed', correct: 'badge-waiting', log: 'badge-ended' };

function pageName(t: ReturnType<typeof useI18n>['t'], p: StepPage): string {
  const name = p.entryName ?? `SHA-256 ${p.sha256.slice(0, 12)}…`;
  return p.page === null ? t('audit.trail.pageFile', { name }) : t('audit.trail.pageOf', { page: p.page, name });
}

function StepItem({ step: s, index, shown, onShow }: { step: TrailStep; index: number; shown: number | undefined; onShow(page: number): void }) {
  const { t } = useI18n();
  const titleId = `trail-step-${index}`;
  return (
    <li className={`trail-step${shown !== undefined ? ' showing' : ''}`} aria-labelledby={titleId}>
      <h3 id={titleId}>
        <span className={`badge ${STEP_TONE[s.kind] ?? 'badge-working'}`}>{t(STEP_KEYS[s.kind])}</span> <VnTime at={s.at} />
        {s.actor && <span className="step-actor">{t('audit.trail.by', { actor: s.actor })}</span>}
        {s.version !== undefined && <span className="muted">{t('audit.trail.version', { version: s.version })}</span>}
      </h3>
      <p lang="vi" className="step-text">
        {s.textVi}
      </p>
      {s.pages && s.pages.length > 0 && (
        <div className="step-pages">
          <span>{t(s.kind === 'approve' ? 'audit.trail.pagesCompared' : 'audit.trail.pages')}</span>
          {s.pages.map((p, i) => (
            <button key={`${p.sha256}-${i}`} type="button" className="small" aria-pressed={shown === i} onClick={() => onShow(i)}>
              {pageName(t, p)}
              {!p.current && ` (${t('audit.trail.replacedSince')})`}
            </button>
          ))}
        </div>
      )}
      {s.log.length > 0 ? (
        <table className="compact log-entries">
          <caption className="visually-hidden">{t('audit.trail.logCaption')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('audit.trail.log.seq')}</th>
              <th scope="col">{t('audit.trail.log.position')}</th>
              <th scope="col">{t('audit.trail.log.action')}</th>
              <th scope="col">{t('audit.trail.log.actor')}</th>
              <th scope="col">{t('audit.trail.log.state')}</th>
              <th scope="col">{t('audit.trail.log.hash')}</th>
            </tr>
          </thead>
          <tbody>
            {s.log.map((l) => (
              <tr key={l.seq}>
                <td>{t('audit.trail.log.seqValue', { seq: String(l.seq) })}</td>
                <td>{String(l.chainPos)}</td>
                <td>
                  {l.actionVi} <span className="mono muted">{l.action}</span>
                </td>
                <td>
                  {l.actor} <span className="muted">({l.actorRole in ROLE_KEYS ? t(ROLE_KEYS[l.actorRole as keyof typeof ROLE_KEYS]) : l.actorRole})</span>
                </td>
                <td>{l.stateBefore || l.stateAfter ? `${stateText(t, l.stateBefore)} → ${stateText(t, l.stateAfter)}` : '—'}</td>
                <td className="mono hash">{l.hash}</td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p className="callout callout-waiting small-line">{t('audit.trail.noLog')}</p>
      )}
      {s.history ? (
        <p className="small-line">
          {t('audit.trail.history')}{' '}
          <Link to={timelinePath(s.history.workflowId, { runId: s.history.runId, eventId: s.history.eventId })}>{t('audit.trail.historyEvent', { event: String(s.history.eventId) })}</Link>{' '}
          <span className="mono">{s.history.workflowId}</span> <VnTime at={s.history.at} />
          {s.history.textVi && (
            <>
              : <span lang="vi">{s.history.textVi}</span>
            </>
          )}
        </p>
      ) : (
        <p className="muted small-line">{t('audit.trail.noHistory')}</p>
      )}
      <p className="muted small-line">{t('audit.trail.source', { table: s.source.table, id: s.source.id })}</p>
    </li>
  );
}

/** The page a step names, drawn as the review draws pages; its keys (+ - 0 O) work while the panel holds the focus. */
function PagePanel({ recordId, page, step, view, onView }: { recordId: number; page: StepPage | undefined; step: TrailStep | undefined; view: ViewState; onView(v: ViewState): void }) {
  const { t } = useI18n();
  const files = useMemo(() => (page ? [{ page: page.page ?? 0, sha256: page.sha256, url: `/api/files/${page.sha256}`, entryName: page.entryName ?? page.sha256 }] : []), [page]);
  function onKeyDown(e: KeyboardEvent<HTMLElement>) {
    if (e.ctrlKey || e.metaKey || e.altKey) return;
    const next: Record<string, () => ViewState> = {
      '+': () => ({ ...view, zoom: zoomIn(view.zoom) }),
      '=': () => ({ ...view, zoom: zoomIn(view.zoom) }),
      '-': () => ({ ...view, zoom: zoomOut(view.zoom) }),
      '0': () => ({ ...view, zoom: 1 }),
      o: () => ({ ...view, rotation: rotate(view.rotation) }),
    };
    const make = next[e.key.toLowerCase()];
    if (!make) return;
    e.preventDefault();
    onView(make());
  }
  return (
    <aside className="page-panel trail-page-panel" aria-label={t('audit.trail.pagePanel')} onKeyDown={onKeyDown}>
      {page && step ? (
        <>
          <p className="page-caption">
            {pageName(t, page)} — {t(STEP_KEYS[step.kind])}, <VnTime at={step.at} />
            {!page.current && <strong> ({t('audit.trail.replacedSince')})</strong>}
          </p>
          <PageViewer recordId={recordId} files={files} view={view} onView={onView} onShown={() => undefined} />
        </>
      ) : (
        <p className="no-page-panel">{t('audit.trail.noPages')}</p>
      )}
    </aside>
  );
}

