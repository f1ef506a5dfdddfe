/**
 * Step 2's result as the coordinator reviews it: every input row accounted for (rows written +
 * exception rows), the exceptions by reason with their workbook, every agency's rows and files
 * (each file's rows on demand, the folder as a zip); and, while the run waits for it, the
 * release with a schedule edited in the table or read from a CSV.
 */
import { keepPreviousData, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { parseScheduleCsv } from '../../../../domain/runs/schedule-csv';
import { ScheduleAgencyUnknown } from '../../../../domain/runs/run-errors';
import { searchKey } from '../../../../domain/text/search-key';
import { Dialog } from '../../components/dialog';
import { ErrorMessage } from '../../components/error-message';
import { VirtualTable, type Column } from '../../components/virtual-table';
import { isApiError } from '../../lib/api-client';
import type { AgencyProgress, ExceptionReasons, RunStatus } from '../../lib/api-types';
import { formatDateTime } from '../../lib/format';
import { useI18n } from '../../lib/i18n/i18n';
import { runStatusKey } from '../../lib/run-status';
import { agencyFiles, downloadAgencyFolder, downloadExceptions, exceptionReasons, releaseSplit } from './api';
import { ReleaseConfirmDialog } from './release-confirm-dialog';
import { schedulesOf, withSchedule, type ScheduleEntry } from './schedule-form';

const NO_ENTRY: ScheduleEntry = { text: '', place: '' };

function AgencyFilesDialog({ runId, agency, onClose }: { runId: string; agency: AgencyProgress; onClose(): void }) {
  const { t, n } = useI18n();
  const files = useQuery({ queryKey: ['agency-files', runId, agency.code], queryFn: ({ signal }) => agencyFiles(runId, agency.code, signal) });
  return (
    <Dialog open title={t('split.filesOf', { name: agency.name, code: agency.code })} onClose={onClose}>
      {files.isPending && <p className="loading">{t('common.loading')}</p>}
      {files.isError && <ErrorMessage error={files.error} />}
      {files.data && (
        <table>
          <caption className="muted">{t('split.folder', { folder: files.data.folder })}</caption>
          <thead>
            <tr>
              <th scope="col">{t('split.fileName')}</th>
              <th scope="col">{t('split.registerType')}</th>
              <th scope="col" className="num">
                {t('split.rows')}
              </th>
            </tr>
          </thead>
          <tbody>
            {files.data.files.map((f) => (
              <tr key={f.name}>
                <td>{f.name}</td>
                <td>{f.registerType}</td>
                <td className="num">{n(f.rows)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row" colSpan={2}>
                {t('split.total')}
              </th>
              <td className="num">{n(files.data.rows)}</td>
            </tr>
          </tfoot>
        </table>
      )}
      <div className="actions">
        <button type="button" onClick={onClose} autoFocus>
          {t('split.close')}
        </button>
      </div>
    </Dialog>
  );
}

export function SplitSummary({ status }: { status: RunStatus }) {
  const { t, n } = useI18n();
  const queryClient = useQueryClient();
  const p = status.progress;
  const split = p.split!;
  const runId = p.runId;
  const editable = p.phase === 'awaiting_release';
  const [query, setQuery] = useState('');
  const [entries, setEntries] = useState<Map<string, ScheduleEntry>>(new Map());
  const [autoImport, setAutoImport] = useState(false);
  const [csvNote, setCsvNote] = useState<string | null>(null);
  const [csvError, setCsvError] = useState<unknown>(null);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const [filesOf, setFilesOf] = useState<AgencyProgress | null>(null);
  const { schedules, unreadable } = useMemo(() => schedulesOf(entries), [entries]);
  const [confirming, setConfirming] = useState(false);
  const release = useMutation({
    mutationFn: (withoutUndecided: boolean) => releaseSplit(runId, schedules, autoImport, withoutUndecided),
    onSuccess: (progress) => {
      setConfirming(false);
      queryClient.setQueryData<RunStatus>(runStatusKey(runId), (old) => (old ? { ...old, progress } : old));
    },
    // A unit left undecided since the page last looked: the run asks for the confirmation the dialog gives.
    onError: (e) => isApiError(e) && e.code === 'RUN_CUSTODIANS_UNDECIDED' && setConfirming(true),
    onSettled: () => queryClient.invalidateQueries({ queryKey: runStatusKey(runId) }),
  });
  const custodians = p.custodians;
  const needed = custodians ? Object.keys(custodians.needed).length : 0;
  const undecided = custodians ? Object.keys(custodians.needed).filter((u) => !custodians.decided[u]).length : 0;
  const reasons = useQuery({
    // The reasons change as decisions and placements are applied.
    queryKey: ['exception-reasons', runId, custodians?.applied ?? 0],
    queryFn: ({ signal }) => exceptionReasons(runId, signal),
    enabled: split.exceptionRows > 0,
    placeholderData: keepPreviousData,
  });

  const shown = useMemo(() => {
    const key = searchKey(query);
    return key ? p.agencies.filter((a) => a.code.startsWith(query.trim()) || searchKey(a.name).includes(key)) : p.agencies;
  }, [p.agencies, query]);
  const scheduled = Object.keys(schedules).length;
  const nameOf = (code: string) => p.agencies.find((a) => a.code === code)?.name ?? code;
  const setEntry = (code: string, change: Partial<ScheduleEntry>) =>
    setEntries((old) => new Map(old).set(code, { ...(old.get(code) ?? NO_ENTRY), ...change }));
  const download = (work: Promise<unknown>) => {
    setDownloadError(null);
    work.catch(setDownloadError);
  };

  async function readCsv(file: File) {
    setCsvError(null);
    setCsvNote(null);
    try {
      const schedule = parseScheduleCsv(await file.text());
      const known = new Set(p.agencies.map((a) => a.code));
      // The run refuses the same at release; said here, nothing of the file is half applied.
      for (const code of Object.keys(schedule)) if (!known.has(code)) throw ScheduleAgencyUnknown({ agency: code });
      setEntries((old) => withSchedule(old, schedule));
      setCsvNote(t('split.csvRead', { count: Object.keys(schedule).length, name: file.name }));
    } catch (e) {
      setCsvError(e);
    }
  }

  const columns: Column<AgencyProgress>[] = [
    { key: 'code', header: t('agency.code'), width: '5.5rem', render: (a) => a.code },
    { key: 'name', header: t('agency.name'), width: '30%', render: (a) => a.name, title: (a) => a.name },
    { key: 'level', header: t('agency.level'), width: '6rem', render: (a) => t(`agency.level.${a.level}`) },
    { key: 'rows', header: t('split.rows'), width: '6.5rem', className: 'num', render: (a) => n(a.rows) },
    { key: 'files', header: t('split.files'), width: '5rem', className: 'num', render: (a) => n(a.files) },
    {
      key: 'start',
      header: t('split.startsAt'),
      width: '13.5rem',
      render: (a) =>
        editable ? (
          <input
            type="text"
            inputMode="numeric"
            placeholder={t('split.startsAtFormat')}
            aria-label={t('split.startsAtOf', { name: a.name })}
            aria-invalid={unreadable.includes(a.code) || undefined}
            value={entries.get(a.code)?.text ?? ''}
            onChange={(e) => setEntry(a.code, { text: e.target.value })}
          />
        ) : a.schedule ? (
          formatDateTime(a.schedule.startsAt)
        ) : (
          <span className="muted">{t('split.noSchedule')}</span>
        ),
    },
    {
      key: 'place',
      header: t('split.place'),
      width: '16%',
      render: (a) =>
        editable ? (
          <input
            type="text"
            aria-label={t('split.placeOf', { name: a.name })}
            value={entries.get(a.code)?.place ?? ''}
            disabled={!entries.get(a.code)?.text.trim()}
            onChange={(e) => setEntry(a.code, { place: e.target.value })}
          />
        ) : (
          (a.schedule?.place ?? '')
        ),
      title: (a) => (editable ? '' : (a.schedule?.place ?? '')),
    },
    {
      key: 'actions',
      header: <span className="visually-hidden">{t('split.actions')}</span>,
      width: '14rem',
      render: (a) => (
        <span className="row-actions">
          <button type="button" className="small" onClick={() => setFilesOf(a)} aria-label={t('split.viewFilesOf', { name: a.name })}>
            {t('split.viewFiles')}
          </button>
          <button type="button" className="small" onClick={() => download(downloadAgencyFolder(runId, a.code))} aria-label={t('split.downloadFolderOf', { name: a.name })}>
            {t('split.downloadFolder')}
          </button>
        </span>
      ),
    },
  ];

  return (
    <section aria-labelledby="split-title" className="panel">
      <h2 id="split-title">{t('split.title')}</h2>
      <p className="totals">
        {t('split.conservation', { input: split.inputRows, written: split.rowsWritten, exceptions: split.exceptionRows, agencies: p.agencies.length })}
      </p>
      {needed > 0 && (
        <div className={undecided > 0 ? 'callout callout-waiting' : 'callout'}>
          <p>
            <strong>{t('split.decisions')}: </strong>
            {undecided > 0 ? t('split.decisionsUndecided', { undecided, total: needed }) : t('split.decisionsDone', { total: needed })}
          </p>
          <Link className={undecided > 0 && editable ? 'button primary' : 'button'} to={`/runs/${runId}/decisions`}>
            {t('split.openDecisions')}
          </Link>
        </div>
      )}
      <div className="split-columns">
        <div>
          <h3>{t('split.exceptions')}</h3>
          {split.exceptionRows === 0 ? (
            <p>{t('split.noExceptions')}</p>
          ) : reasons.data ? (
            <ReasonsTable reasons={reasons.data} />
          ) : reasons.isError ? (
            <ErrorMessage error={reasons.error} />
          ) : (
            <p className="loading">{t('common.loading')}</p>
          )}
          {split.exceptionRows > 0 && (
            <button type="button" onClick={() => download(downloadExceptions(runId))}>
              {t('split.downloadExceptions')}
            </button>
          )}
        </div>
        {editable && (
          <form
            className="release-form"
            aria-labelledby="release-title"
            onSubmit={(e: FormEvent) => {
              e.preventDefault();
              if (undecided > 0) setConfirming(true);
              else release.mutate(false);
            }}
          >
            <h3 id="release-title">{t('release.title')}</h3>
            <p className="help">{t('release.help')}</p>
            <div className="form-field">
              <label htmlFor="release-csv">{t('release.csv')}</label>
              <input id="release-csv" type="file" accept=".csv,text/csv" aria-describedby="release-csv-help" onChange={(e) => e.target.files?.[0] && void readCsv(e.target.files[0])} />
              <p id="release-csv-help" className="help">
                {t('release.csvHelp')}
              </p>
            </div>
            {csvError !== null && <ErrorMessage error={csvError} />}
            {csvNote && (
              <p className="success" role="status">
                {csvNote}
              </p>
            )}
            <label className="choice">
              <input type="checkbox" checked={autoImport} onChange={(e) => setAutoImport(e.target.checked)} />
              {t('release.autoImport')}
            </label>
            {unreadable.length > 0 && (
              <p className="notice" role="status">
                {t('release.unreadable', { agencies: unreadable.map(nameOf).join(', ') })}
              </p>
            )}
            {release.isError && !confirming && <ErrorMessage error={release.error} />}
            <p>
              <button type="submit" className="primary" disabled={release.isPending || unreadable.length > 0}>
                {release.isPending ? t('release.submitting') : t('release.submit', { scheduled, agencies: p.agencies.length })}
              </button>
            </p>
          </form>
        )}
      </div>

      <div className="table-tools">
        <h3 id="split-agencies-title">{t('split.agencies', { count: p.agencies.length })}</h3>
        <label className="inline-field">
          <span>{t('board.search')}</span>
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('board.searchPlaceholder')} />
        </label>
        <span className="muted" role="status">
          {t('board.showing', { shown: shown.length, total: p.agencies.length })}
        </span>
      </div>
      {downloadError !== null && <ErrorMessage error={downloadError} />}
      <VirtualTable columns={columns} rows={shown} rowKey={(a) => a.code} label={t('split.agenciesLabel')} height={Math.min(440, 36 * (shown.length + 1) + 2)} rowHeight={36} empty={t('board.noMatch')} />
      {filesOf && <AgencyFilesDialog runId={runId} agency={filesOf} onClose={() => setFilesOf(null)} />}
      {confirming && <ReleaseConfirmDialog runId={runId} pending={release.isPending} error={release.isError ? release.error : null} onConfirm={() => release.mutate(true)} onClose={() => setConfirming(false)} />}
    </section>
  );
}

/** The exception rows by reason: each code in the words its rows carry (a code can be worded several ways: a column, a sheet, a value). */
function ReasonsTable({ reasons }: { reasons: ExceptionReasons }) {
  const { t, n } = useI18n();
  return (
    <table className="compact">
      <thead>
        <tr>
          <th scope="col">{t('split.reason')}</th>
          <th scope="col" className="num">
            {t('split.rows')}
          </th>
        </tr>
      </thead>
      <tbody>
        {reasons.reasons.map((r) => {
          const worded = r.wordings.reduce((sum, w) => sum + w.rows, 0);
          return (
            <tr key={r.code}>
              <td>
                {r.wordings.length === 1 && <span>{r.wordings[0]!.messageVi} </span>}
                <code>{r.code}</code>
                {r.wordings.length > 1 && (
                  <ul className="wordings">
                    {r.wordings.map((w) => (
                      <li key={w.messageVi}>
                        {w.messageVi} <span className="muted">({t('split.wordingRows', { rows: w.rows })})</span>
                      </li>
                    ))}
                  </ul>
                )}
                {worded < r.rows && <span className="muted small-line">{t('split.reasonOther', { rows: r.rows - worded })}</span>}
              </td>
              <td className="num">{n(r.rows)}</td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}
