/**
 * Step 4, the screen officials spend their days on: one register book, its records in register
 * order on the left, the record's fields beside its scanned page. Opening the book claims it.
 * Approving moves on at once (the decision is sent meanwhile, its outcome shown when it comes);
 * the next records and their pages are fetched ahead, so moving on waits for no server. A record
 * without a page says so and offers no approval; the API refuses one anyway.
 */
import { keepPreviousData, useQuery, useQueryClient } from '@tanstack/react-query';
import { useCallback, useEffect, useMemo, useRef, useState, type FormEvent } from 'react';
import { useParams, useSearchParams } from 'react-router';
import { BookName } from '../../components/book-name';
import { ErrorMessage } from '../../components/error-message';
import { Loading } from '../../components/loading';
import { agencyKeys, booksQuery, readyToCheck, sameBook } from '../../lib/agency';
import type { BookRef, RecordDetail, RecordListItem } from '../../lib/api-types';
import { formatDateTime } from '../../lib/format';
import { useI18n } from '../../lib/i18n/i18n';
import type { MessageKey } from '../../lib/i18n/vi';
import { useSession } from '../../lib/session';
import { CORRECTION_REASONS, type CorrectionReason, type RejectReason } from '../../../../domain/review/review-types';
import { claimBook, decide, historyQuery, LIST_PAGE, recordListQuery, recordQuery, releaseBook, type Decision, type ListFilter } from './api';
import { KeysHelp } from './keys-help';
import { FIT_WIDTH, PageViewer, rotate, zoomIn, zoomOut, type ViewState } from '../../components/page-viewer/page-viewer';
import { drawPage, panel } from '../../components/page-viewer/page-canvas';
import { RecordFields } from './record-fields';
import { RejectDialog } from './reject-dialog';

/** States a decision may still be made in (approved and transferred records are final). */
const OPEN_STATES = new Set(['imported', 'rejected']);
const FILTERS: readonly ListFilter[] = ['all', 'imported', 'rejected', 'noScan'];

type Local = { state?: string; pending?: boolean };
type Banner = { kind: 'error'; error: unknown } | { kind: 'refused'; messages: Array<{ code: string; message: string }> } | { kind: 'done'; text: string };

function useBookParams(): BookRef {
  const p = useParams();
  return { registerType: p.type as BookRef['registerType'], unitCode: p.unit!, bookYear: Number(p.year), bookKey: p.book! };
}

export function ReviewPage() {
  const { t, n } = useI18n();
  const { user } = useSession();
  const code = user.agencyCode!;
  const book = useBookParams();
  const queryClient = useQueryClient();
  const [search, setSearch] = useSearchParams();
  const [filter, setFilter] = useState<ListFilter>('all');
  const [offset, setOffset] = useState(0);
  const [local, setLocal] = useState<Record<number, Local>>({});
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [view, setView] = useState<ViewState>(FIT_WIDTH);
  const [shownId, setShownId] = useState<number | null>(null);
  const [banner, setBanner] = useState<Banner | null>(null);
  const [notice, setNotice] = useState<MessageKey | null>(null);
  const [dialog, setDialog] = useState<'reject' | 'keys' | null>(null);
  const [draft, setDraft] = useState<Record<string, string> | null>(null);
  const [correction, setCorrection] = useState<{ reason: CorrectionReason; comment: string }>({ reason: 'DATA_DIFFERS', comment: '' });
  const [claim, setClaim] = useState<{ held: boolean; error?: unknown }>({ held: false });
  const [showEmpty, setShowEmpty] = useState(false);
  const workspace = useRef<HTMLDivElement>(null);
  /** The move being timed: from the key press to the next record shown with its page. */
  const move = useRef<{ from: number; to: number; at: number; kind: string } | null>(null);
  const afterLoad = useRef<'first' | 'last' | null>(null);

  const list = useQuery({ ...recordListQuery(code, book, filter, offset), placeholderData: keepPreviousData });
  const books = useQuery(booksQuery(code));
  const items = useMemo(() => list.data?.items ?? [], [list.data]);
  const total = list.data?.total ?? 0;
  const stateOf = useCallback((i: RecordListItem) => local[i.id]?.state ?? i.state, [local]);
  const requested = Number(search.get('record')) || undefined;
  const currentId = requested ?? items.find((i) => stateOf(i) === 'imported' && i.pages > 0)?.id ?? items[0]?.id;
  const index = items.findIndex((i) => i.id === currentId);
  const detail = useQuery({ ...recordQuery(currentId ?? 0), enabled: currentId !== undefined });
  const record = detail.data;
  const history = useQuery({ ...historyQuery(currentId ?? 0), enabled: !!record && record.versions.length > 0 });
  const bookView = books.data?.books.find((b) => sameBook(b, book));

  const go = useCallback((id: number | undefined) => {
    if (id === undefined) return;
    setSearch({ record: String(id) }, { replace: true });
    setView((v) => ({ ...v, page: 0 }));
    setDraft(null);
    setNotice(null);
  }, [setSearch]);

  // Opening the book claims it; a book another official holds is shown, read only, with who holds it.
  const bookId = `${book.registerType}/${book.unitCode}/${book.bookYear}/${book.bookKey}`;
  useEffect(() => {
    let live = true;
    claimBook(code, book).then(
      () => live && setClaim({ held: true }),
      (error: unknown) => live && setClaim({ held: false, error }),
    );
    void queryClient.invalidateQueries({ queryKey: agencyKeys.books(code) });
    return () => {
      live = false;
    };
    // bookId stands for the book: a new object of the same book claims nothing new.
  }, [code, bookId]);

  useEffect(() => workspace.current?.focus(), [bookId]);

  // After paging by key, select the first (or last) record of the page just loaded.
  useEffect(() => {
    if (!afterLoad.current || list.isPlaceholderData || items.length === 0) return;
    go(afterLoad.current === 'first' ? items[0]!.id : items.at(-1)!.id);
    afterLoad.current = null;
  }, [items, list.isPlaceholderData, go]);

  // The next records are fetched and their pages drawn ahead, and the previous one kept; once
  // the first page has shown, the panel's width is known and the drawing can start.
  const { zoom, rotation } = view;
  const measured = shownId !== null;
  useEffect(() => {
    for (const neighbour of [items[index + 1], items[index + 2], items[index - 1]]) {
      if (!neighbour) continue;
      void queryClient.fetchQuery(recordQuery(neighbour.id)).then(
        (d) => d.pageFiles.length > 0 && panel.width > 0 && void drawPage(d.pageFiles, { zoom, rotation, page: 0 }, panel.width).catch(() => undefined),
        () => undefined,
      );
    }
  }, [index, items, queryClient, zoom, rotation, measured]);

  const onShown = useCallback((id: number) => {
    setShownId(id);
    const m = move.current;
    if (m && m.to === id) {
      performance.measure('hotich:next-record-shown', { start: m.at, end: performance.now(), detail: { from: m.from, to: m.to, kind: m.kind } });
      move.current = null;
    }
  }, []);

  const refreshSoon = useRef<ReturnType<typeof setTimeout>>(undefined);
  const afterDecision = useCallback(
    (ids: number[]) => {
      for (const id of ids) void queryClient.invalidateQueries({ queryKey: ['record', id] });
      void queryClient.invalidateQueries({ queryKey: agencyKeys.books(code) });
      void queryClient.invalidateQueries({ queryKey: agencyKeys.mine(code) });
      void queryClient.invalidateQueries({ queryKey: agencyKeys.transfers(code) });
      // The list is read again once the official pauses: its order never changes under them.
      clearTimeout(refreshSoon.current);
      refreshSoon.current = setTimeout(() => void queryClient.invalidateQueries({ queryKey: agencyKeys.records(code) }), 1500);
    },
    [code, queryClient],
  );

  /** Sends decisions; the records show "sending" until the API answers, then their new state or the refusal. */
  const send = useCallback(
    async (items: Decision[]) => {
      setLocal((l) => ({ ...l, ...Object.fromEntries(items.map((i) => [i.recordId, { ...l[i.recordId], pending: true }])) }));
      try {
        const r = await decide(code, items);
        const outcomes = r.results.flatMap((x) => x.outcomes);
        setLocal((l) => ({ ...l, ...Object.fromEntries(outcomes.map((o) => [o.recordId, o.outcome === 'decided' ? { state: o.state } : {}])) }));
        const refused = outcomes.filter((o) => o.outcome === 'refused');
        if (refused.length > 0) setBanner({ kind: 'refused', messages: refused.map((o) => ({ code: o.code ?? '', message: o.messageVi ?? '' })) });
        afterDecision(items.map((i) => i.recordId));
        return outcomes;
      } catch (error) {
        setLocal((l) => ({ ...l, ...Object.fromEntries(items.map((i) => [i.recordId, {}])) }));
        setBanner({ kind: 'error', error });
        return [];
      }
    },
    [code, afterDecision],
  );

  const readOnly = !claim.held;
  const currentItem = index >= 0 ? items[index] : undefined;
  const currentState = currentItem ? stateOf(currentItem) : record?.state;
  const pending = currentId !== undefined && local[currentId]?.pending;
  /** Why the current record cannot be approved now, if it cannot. */
  const approvalBlock: MessageKey | null = !record
    ? 'review.loadingRecord'
    : record.pageFiles.length === 0
      ? 'review.noPageBlock'
      : readOnly
        ? 'review.readOnlyBlock'
        : pending
          ? 'review.pendingBlock'
          : !OPEN_STATES.has(currentState ?? '')
            ? 'review.decidedBlock'
            : shownId !== record.id
              ? 'review.pageLoadingBlock'
              : null;

  /** The record after `from` in the list that still waits for a decision, else the next one. */
  const nextAfter = (from: number) => items.slice(from + 1).find((i) => OPEN_STATES.has(stateOf(i)) && !local[i.id]?.pending) ?? items[from + 1];

  function step(delta: 1 | -1) {
    const target = items[index + delta];
    if (target) return go(target.id);
    if (delta === 1 && offset + LIST_PAGE < total) {
      afterLoad.current = 'first';
      setOffset(offset + LIST_PAGE);
    } else if (delta === -1 && offset > 0) {
      afterLoad.current = 'last';
      setOffset(Math.max(0, offset - LIST_PAGE));
    }
  }

  function moveOn(kind: string) {
    const next = nextAfter(index);
    if (next && record) {
      move.current = { from: record.id, to: next.id, at: performance.now(), kind };
      go(next.id);
    } else if (offset + LIST_PAGE < total) step(1);
  }

  function approve() {
    if (approvalBlock || !record) return setNotice(approvalBlock);
    const item: Decision = { recordId: record.id, kind: 'approve', pages: record.pageFiles.map((p) => p.sha256) };
    moveOn('approve');
    void send([item]);
  }

  function reject(reason: RejectReason, comment: string) {
    setDialog(null);
    if (!record) return;
    moveOn('reject');
    void send([{ recordId: record.id, kind: 'reject', reasonCode: reason, comment: comment || undefined }]);
  }

  /** Why no decision other than approval can be made on the current record now, if none can. */
  const decisionBlock: MessageKey | null = !record ? 'review.loadingRecord' : readOnly ? 'review.readOnlyBlock' : pending ? 'review.pendingBlock' : !OPEN_STATES.has(currentState ?? '') ? 'review.decidedBlock' : null;

  function openReject() {
    if (decisionBlock) return setNotice(decisionBlock);
    setDialog('reject');
  }

  function startCorrection() {
    if (decisionBlock) return setNotice(decisionBlock);
    setDraft({});
    setCorrection({ reason: 'DATA_DIFFERS', comment: '' });
    setTimeout(() => document.querySelector<HTMLInputElement>('.record-fields input')?.focus(), 0);
  }

  async function saveCorrection(e: FormEvent) {
    e.preventDefault();
    if (!record || !draft) return;
    const fields = Object.fromEntries(Object.entries(draft).filter(([k, v]) => v !== record.fields.find((f) => f.key === k)?.value));
    const outcomes = await send([{ recordId: record.id, kind: 'correct', reasonCode: correction.reason, comment: correction.comment.trim() || undefined, fields }]);
    if (outcomes.some((o) => o.outcome === 'decided')) {
      setDraft(null);
      setBanner({ kind: 'done', text: t('review.corrected', { number: record.registrationNumber }) });
      void queryClient.invalidateQueries({ queryKey: ['record', record.id] });
      workspace.current?.focus();
    }
  }

  function toggleSelected(id: number) {
    setSelected((s) => {
      const next = new Set(s);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });
  }

  async function approveSelected() {
    if (readOnly || selected.size === 0) return;
    const ids = [...selected];
    setSelected(new Set());
    const pagesOf = (id: number) => queryClient.getQueryData<RecordDetail>(recordQuery(id).queryKey)?.pageFiles.map((p) => p.sha256);
    const outcomes = await send(ids.map((id) => ({ recordId: id, kind: 'approve' as const, pages: pagesOf(id) })));
    const decided = outcomes.filter((o) => o.outcome === 'decided').length;
    if (decided > 0 && decided === outcomes.length) setBanner({ kind: 'done', text: t('review.approvedMany', { count: decided }) });
  }

  async function release() {
    try {
      await releaseBook(code, book);
      setClaim({ held: false, error: null });
      void queryClient.invalidateQueries({ queryKey: agencyKeys.books(code) });
    } catch (error) {
      setBanner({ kind: 'error', error });
    }
  }

  // The keys: read through a ref so the listener is registered once.
  const keys = useRef<(e: KeyboardEvent) => void>(() => undefined);
  keys.current = (e: KeyboardEvent) => {
    if (e.defaultPrevented || e.isComposing || e.ctrlKey || e.metaKey || e.altKey || dialog) return;
    const target = e.target as HTMLElement;
    if (draft) {
      if (e.key === 'Escape') {
        e.preventDefault();
        setDraft(null);
        workspace.current?.focus();
      }
      return;
    }
    if (target.closest('input, textarea, select, [contenteditable="true"]')) return;
    if (e.key === 'Enter' && target.closest('button, a, [role="button"]')) return;
    const actions: Record<string, () => void> = {
      Enter: approve,
      a: approve,
      A: () => (e.shiftKey ? void approveSelected() : approve()),
      r: openReject,
      R: openReject,
      c: startCorrection,
      C: startCorrection,
      j: () => step(1),
      J: () => step(1),
      ArrowDown: () => step(1),
      ArrowRight: () => step(1),
      k: () => step(-1),
      K: () => step(-1),
      ArrowUp: () => step(-1),
      ArrowLeft: () => step(-1),
      x: () => currentItem && toggleSelected(currentItem.id),
      X: () => currentItem && toggleSelected(currentItem.id),
      '+': () => setView((v) => ({ ...v, zoom: zoomIn(v.zoom) })),
      '=': () => setView((v) => ({ ...v, zoom: zoomIn(v.zoom) })),
      '-': () => setView((v) => ({ ...v, zoom: zoomOut(v.zoom) })),
      '0': () => setView((v) => ({ ...v, zoom: 1 })),
      o: () => setView((v) => ({ ...v, rotation: rotate(v.rotation) })),
      O: () => setView((v) => ({ ...v, rotation: rotate(v.rotation) })),
      '[': () => setView((v) => ({ ...v, page: Math.max(0, v.page - 1) })),
      ']': () => setView((v) => ({ ...v, page: v.page + 1 })),
      '?': () => setDialog('keys'),
    };
    // Arrows scroll the page while it has the focus (panning with the keyboard).
    if (e.key.startsWith('Arrow') && target.closest('.viewer-canvas')) return;
    const action = actions[e.key];
    if (!action) return;
    e.preventDefault();
    action();
  };
  useEffect(() => {
    const listener = (e: KeyboardEvent) => keys.current(e);
    window.addEventListener('keydown', listener);
    return () => window.removeEventListener('keydown', listener);
  }, []);

  const approvable = (i: RecordListItem) => i.pages > 0 && OPEN_STATES.has(stateOf(i)) && !local[i.id]?.pending;
  const stateLabel = (i: RecordListItem) =>
    local[i.id]?.pending ? t('state.sending') : stateOf(i) === 'imported' && i.pages === 0 ? t('state.noScan') : t(`state.${stateOf(i)}` as MessageKey);

  return (
    <div className="review" ref={workspace} tabIndex={-1} aria-labelledby="review-title">
      <div className="review-bar">
        <h1 id="review-title">
          <BookName book={book} bookNumber={bookView?.bookNumber} />
          <span className="muted"> · {t('book.unitCode', { code: book.unitCode })}</span>
        </h1>
        {bookView && (
          <p className="book-counts">
            {t('review.bookCounts', { ready: readyToCheck(bookView), noScan: bookView.counts.awaitingScan, approved: bookView.counts.approved, rejected: bookView.counts.rejected, transferred: bookView.counts.transferred })}
          </p>
        )}
        <label className="inline">
          {t('review.filter')}{' '}
          <select
            value={filter}
            onChange={(e) => {
              setFilter(e.target.value as ListFilter);
              setOffset(0);
            }}
          >
            {FILTERS.map((f) => (
              <option key={f} value={f}>
                {t(`review.filter.${f}`)}
              </option>
            ))}
          </select>
        </label>
        {claim.held && (
          <button type="button" onClick={release}>
            {t('review.release')}
          </button>
        )}
        <button type="button" onClick={() => setDialog('keys')} aria-keyshortcuts="?">
          {t('review.keys')} <kbd>?</kbd>
        </button>
      </div>
      {!claim.held && claim.error !== undefined && (
        <div className="claim-refused">
          {claim.error === null ? <p className="notice">{t('review.released')}</p> : <ErrorMessage error={claim.error} />}
          <p className="muted">{t('review.readOnly')}</p>
        </div>
      )}
      {banner && (
        <div className="banner">
          {banner.kind === 'error' ? (
            <ErrorMessage error={banner.error} />
          ) : banner.kind === 'refused' ? (
            <div className="error-message" role="alert">
              {banner.messages.map((m, i) => (
                <p key={i}>
                  {m.message} <span className="error-code">{t('error.code', { code: m.code })}</span>
                </p>
              ))}
            </div>
          ) : (
            <p className="success" role="status">
              {banner.text}
            </p>
          )}
          <button type="button" className="link-button" onClick={() => setBanner(null)}>
            {t('common.dismiss')}
          </button>
        </div>
      )}
      <div className="review-body">
        <nav className="record-list" aria-label={t('review.records')}>
          {list.isError ? (
            <ErrorMessage error={list.error} onRetry={() => void list.refetch()} />
          ) : !list.data ? (
            <Loading />
          ) : (
            <>
              <p className="muted list-range">{t('review.range', { from: total === 0 ? 0 : offset + 1, to: offset + items.length, total })}</p>
              <ul>
                {items.map((i) => (
                  <li key={i.id} className={i.id === currentId ? 'current' : undefined}>
                    <input
                      type="checkbox"
                      aria-label={t('review.selectRecord', { number: i.registrationNumber })}
                      checked={selected.has(i.id)}
                      disabled={readOnly || !approvable(i)}
                      onChange={() => toggleSelected(i.id)}
                    />
                    <button type="button" aria-current={i.id === currentId ? 'true' : undefined} onClick={() => go(i.id)}>
                      <span className="entry-number">{i.registrationNumber}</span> <span className="entry-name">{i.name}</span>
                      <span className={`state state-${local[i.id]?.pending ? 'sending' : stateOf(i) === 'imported' && i.pages === 0 ? 'noScan' : stateOf(i)}`}>{stateLabel(i)}</span>
                    </button>
                  </li>
                ))}
              </ul>
              <div className="pager">
                <button type="button" disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - LIST_PAGE))}>
                  {t('review.previousPage')}
                </button>
                <button type="button" disabled={offset + LIST_PAGE >= total} onClick={() => setOffset(offset + LIST_PAGE)}>
                  {t('review.nextPage')}
                </button>
              </div>
              {selected.size > 0 && (
                <button type="button" className="primary" onClick={() => void approveSelected()} aria-keyshortcuts="Shift+A">
                  {t('review.approveSelected', { count: selected.size })}
                </button>
              )}
            </>
          )}
        </nav>

        <section className="record-panel" aria-labelledby="record-title">
          {detail.isError ? (
            <ErrorMessage error={detail.error} onRetry={() => void detail.refetch()} />
          ) : !record ? (
            currentId === undefined && list.data ? <p className="muted">{t('review.emptyList')}</p> : <Loading />
          ) : (
            <>
              <h2 id="record-title">
                {t('review.recordTitle', { number: record.registrationNumber })} — {record.name || t('fields.empty')}
              </h2>
              <p className="record-meta">
                <span className={`state state-${pending ? 'sending' : record.pageFiles.length === 0 && currentState === 'imported' ? 'noScan' : currentState}`}>
                  {pending ? t('state.sending') : t(`state.${currentState}` as MessageKey)}
                </span>{' '}
                {t('review.version', { version: record.version })}
              </p>
              <div className="actions" role="group" aria-label={t('review.actions')}>
                <button type="button" className="primary" onClick={approve} disabled={approvalBlock !== null} aria-keyshortcuts="Enter A" aria-describedby={approvalBlock ? 'approval-block' : undefined}>
                  {t('review.approve')} <kbd>Enter</kbd>
                </button>
                <button type="button" className="danger" onClick={openReject} disabled={decisionBlock !== null} aria-keyshortcuts="R">
                  {t('review.reject')} <kbd>R</kbd>
                </button>
                <button type="button" onClick={startCorrection} disabled={decisionBlock !== null || !!draft} aria-keyshortcuts="C">
                  {t('review.correct')} <kbd>C</kbd>
                </button>
              </div>
              {approvalBlock && approvalBlock !== 'review.pageLoadingBlock' && approvalBlock !== 'review.loadingRecord' && (
                <p id="approval-block" className={approvalBlock === 'review.noPageBlock' ? 'notice no-page' : 'muted'} role={notice === approvalBlock ? 'alert' : undefined}>
                  {t(approvalBlock)}
                </p>
              )}
              {notice && notice !== approvalBlock && (
                <p className="notice" role="alert">
                  {t(notice)}
                </p>
              )}
              {draft ? (
                <form className="correction" onSubmit={saveCorrection} aria-label={t('review.correctionForm')}>
                  <p className="notice">{t('review.correcting')}</p>
                  <RecordFields record={record} history={history.data} showEmpty draft={draft} onDraft={(k, v) => setDraft((d) => ({ ...d, [k]: v }))} />
                  <div className="correction-bar">
                    <label>
                      {t('review.correctionReason')}{' '}
                      <select value={correction.reason} onChange={(e) => setCorrection((c) => ({ ...c, reason: e.target.value as CorrectionReason }))}>
                        {(Object.keys(CORRECTION_REASONS) as CorrectionReason[]).map((r) => (
                          <option key={r} value={r}>
                            {t(`correct.${r}`)}
                          </option>
                        ))}
                      </select>
                    </label>
                    <label>
                      {t('review.correctionComment')} <input value={correction.comment} onChange={(e) => setCorrection((c) => ({ ...c, comment: e.target.value }))} />
                    </label>
                    <button type="submit" className="primary">
                      {t('review.saveCorrection')} <kbd>Enter</kbd>
                    </button>
                    <button type="button" onClick={() => setDraft(null)}>
                      {t('common.cancel')} <kbd>Esc</kbd>
                    </button>
                  </div>
                </form>
              ) : (
                <>
                  <RecordFields record={record} history={history.data} showEmpty={showEmpty} />
                  <label className="inline show-empty">
                    <input type="checkbox" checked={showEmpty} onChange={(e) => setShowEmpty(e.target.checked)} /> {t('fields.showEmpty')}
                  </label>
                </>
              )}
              <RecordSource record={record} sourceName={history.data?.current?.sourceName} importedAt={history.data?.current?.importedAt} />
            </>
          )}
        </section>

        <section className="page-panel" aria-label={t('viewer.panel')}>
          {record && record.pageFiles.length > 0 ? (
            <PageViewer recordId={record.id} files={record.pageFiles} view={view} onView={setView} onShown={onShown} />
          ) : record ? (
            <div className="no-page-panel">
              <p>
                <strong>{t('viewer.noPage')}</strong>
              </p>
              <p>{t('viewer.noPageHelp')}</p>
            </div>
          ) : null}
        </section>
      </div>
      <RejectDialog open={dialog === 'reject'} registrationNumber={record?.registrationNumber ?? ''} onCancel={() => setDialog(null)} onReject={reject} />
      <KeysHelp open={dialog === 'keys'} onClose={() => setDialog(null)} />
    </div>
  );
}

/** Where the record came from, what the import noted, and what was decided on it. */
function RecordSource({ record, sourceName, importedAt }: { record: RecordDetail; sourceName?: string; importedAt?: string }) {
  const { t } = useI18n();
  const notes = record.notes as { extra?: Array<[string, string]>; warnings?: Array<{ messageVi: string }>; repaired?: unknown[] };
  return (
    <section className="record-source" aria-labelledby="source-title">
      <h3 id="source-title">{t('source.title')}</h3>
      {sourceName && <p>{t('source.file', { name: sourceName, at: importedAt ? formatDateTime(importedAt) : '' })}</p>}
      {notes.extra && notes.extra.length > 0 && (
        <dl className="extra-columns">
          {notes.extra.map(([header, value]) => (
            <div key={header}>
              <dt>{header}</dt>
              <dd>{value}</dd>
            </div>
          ))}
        </dl>
      )}
      {notes.warnings?.map((w, i) => (
        <p key={i} className="muted">
          {w.messageVi}
        </p>
      ))}
      {record.decisions.length > 0 && (
        <>
          <h3>{t('source.decisions')}</h3>
          <ul className="decisions">
            {record.decisions.map((d) => (
              <li key={d.id}>
                {formatDateTime(d.at)} — {d.actor}: {t(`decision.${d.kind}` as MessageKey)}
                {d.reasonCode ? ` (${d.reasonCode})` : ''}
                {d.comment ? `: ${d.comment}` : ''}
              </li>
            ))}
          </ul>
        </>
      )}
      {record.receipt && <p>{t('source.receipt', { target: record.receipt.targetId, at: formatDateTime(record.receipt.receivedAt), batch: record.receipt.batchKey })}</p>}
    </section>
  );
}
