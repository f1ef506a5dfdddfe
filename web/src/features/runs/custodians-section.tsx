/**
 * The former units of a run waiting for (or given) a custodian: a table to filter, search and
 * sort, each unit decided one by one in a dialog, or all of them from a table uploaded back
 * (a CSV of the units to fill is offered), with what each line of it came to.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { UploadForm } from '../../components/upload-form';
import type { Custodians, CustodianUnit } from '../../lib/api-types';
import { formatCalendarDate, formatDateTime } from '../../lib/format';
import { useI18n } from '../../lib/i18n/i18n';
import { runStatusKey } from '../../lib/run-status';
import { saveFile } from '../../lib/save-file';
import { CUSTODIAN_TABLE } from '../../../../domain/runs/custodian-table-columns';
import { decideFromTable, provinceAgencies } from './api';
import { CustodianDialog } from './custodian-dialog';
import { TableRefusedLines, TableTaken } from './custodian-lines';
import { shownUnits, UNIT_SORTS, type UnitFilter, type UnitSort } from './custodians-model';
import { RegisterCounts } from './register-counts';

const FILTERS: readonly UnitFilter[] = ['undecided', 'decided', 'all'];
const CANDIDATES_SHOWN = 3;

export const custodiansKey = (runId: string) => ['custodians', runId] as const;

/** A CSV of the units with what is decided, in the columns the table upload reads, for a spreadsheet to fill. */
function templateCsv(units: readonly CustodianUnit[]): Blob {
  const cell = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);
  const header = [CUSTODIAN_TABLE.unit, CUSTODIAN_TABLE.unitName, CUSTODIAN_TABLE.agency, CUSTODIAN_TABLE.basis, CUSTODIAN_TABLE.decisionNumber, CUSTODIAN_TABLE.decisionDate];
  const lines = units.map((u) => {
    const d = u.decision;
    return [u.unitCode, u.unitName, d?.agencyCode ?? '', d?.basis ?? '', d?.committeeDecision?.number ?? '', d?.committeeDecision?.date ? formatCalendarDate(d.committeeDecision.date) : ''];
  });
  // A BOM, so that Excel opens the Vietnamese names as UTF-8.
  return new Blob([`\uFEFF${[header, ...lines].map((l) => l.map(cell).join(',')).join('\r\n')}\r\n`], { type: 'text/csv;charset=utf-8' });
}

function Custodian({ unit }: { unit: CustodianUnit }) {
  const { t } = useI18n();
  const d = unit.decision;
  if (!d) return <span className="badge badge-waiting">{t('custodians.undecided')}</span>;
  return (
    <>
      <span className="custodian-name">
        {d.agencyName} <span className="mono">({d.agencyCode})</span>
      </span>
      {!d.candidate && <span className="badge badge-waiting">{t('custodians.notCandidate')}</span>}
      <span className="muted small-line">{t('custodians.decidedBy', { by: d.decidedBy, at: formatDateTime(d.decidedAt) })}</span>
      {d.committeeDecision && (
        <span className="small-line">
          {d.committeeDecision.date ? t('custodians.committee', { number: d.committeeDecision.number || '—', date: formatCalendarDate(d.committeeDecision.date) }) : t('custodians.committeeNoDate', { number: d.committeeDecision.number })}
        </span>
      )}
      {d.basis && <span className="small-line">{t('custodians.basis', { basis: d.basis })}</span>}
    </>
  );
}

export function CustodiansSection({ runId, provinceCode, list, open, released }: { runId: string; provinceCode: string; list: Custodians; open: boolean; released: boolean }) {
  const { t, n } = useI18n();
  const queryClient = useQueryClient();
  const [filter, setFilter] = useState<UnitFilter>(list.undecided > 0 ? 'undecided' : 'all');
  const [query, setQuery] = useState('');
  const [sort, setSort] = useState<UnitSort>('code');
  const [deciding, setDeciding] = useState<CustodianUnit | null>(null);
  const [decided, setDecided] = useState<string | null>(null);
  // Any agency of the province may be named; the list is read once the coordinator may decide.
  const agencies = useQuery({ queryKey: ['province-agencies', provinceCode], queryFn: ({ signal }) => provinceAgencies(provinceCode, signal), enabled: open, staleTime: Infinity });
  const shown = useMemo(() => shownUnits(list.units, filter, query, sort), [list.units, filter, query, sort]);
  const counts: Record<UnitFilter, number> = { undecided: list.undecided, decided: list.units.length - list.undecided, all: list.units.length };
  const refresh = () => {
    void queryClient.invalidateQueries({ queryKey: custodiansKey(runId) });
    void queryClient.invalidateQueries({ queryKey: runStatusKey(runId) });
  };
  // Before release a decision can change; after it, only a unit still undecided can be decided.
  const decidable = (u: CustodianUnit) => open && (!released || !u.decision);

  return (
    <section aria-labelledby="custodians-title" className="panel">
      <h2 id="custodians-title">{t('custodians.title')}</h2>
      <p role="status" className={list.undecided > 0 ? 'totals' : 'totals ok'}>
        {list.undecided > 0 ? t('custodians.summary', { undecided: list.undecided, total: list.units.length, rows: list.undecidedRows }) : t('custodians.allDecided', { total: list.units.length })}
      </p>
      {open && (
        <UploadForm
          id="custodian-table"
          inline
          title={t('custodians.tableTitle')}
          fields={
            <button type="button" onClick={() => saveFile(templateCsv(shownUnits(list.units, 'all', '', 'code')), t('custodians.templateName', { runId }))}>
              {t('custodians.template')}
            </button>
          }
          fileLabel={t('custodians.tableFile')}
          help={t('custodians.templateHelp')}
          accept=".csv,.xlsx,.xls"
          submitLabel={t('custodians.tableSubmit')}
          processingLabel={t('custodians.tableProcessing')}
          upload={(file, onProgress) => decideFromTable(runId, file, onProgress)}
          report={(r) => <TableTaken result={r} />}
          refusal={(e) => <TableRefusedLines error={e} />}
          onDone={refresh}
        />
      )}

      <div className="table-tools" role="search" aria-label={t('custodians.filters')}>
        <div className="segmented" role="group" aria-label={t('custodians.filter')}>
          {FILTERS.map((f) => (
            <button key={f} type="button" aria-pressed={filter === f} onClick={() => setFilter(f)}>
              {t(`custodians.filter.${f}`, { count: counts[f] })}
            </button>
          ))}
        </div>
        <label className="inline-field">
          <span>{t('custodians.search')}</span>
          <input type="search" value={query} onChange={(e) => setQuery(e.target.value)} placeholder={t('custodians.searchPlaceholder')} />
        </label>
        <label className="inline-field">
          <span>{t('custodians.sort')}</span>
          <select value={sort} onChange={(e) => setSort(e.target.value as UnitSort)}>
            {UNIT_SORTS.map((s) => (
              <option key={s} value={s}>
                {t(`custodians.sort.${s}`)}
              </option>
            ))}
          </select>
        </label>
        <span className="muted" role="status">
          {t('custodians.showing', { shown: shown.length, total: list.units.length })}
        </span>
      </div>
      {decided && (
        <p className="success" role="status">
          {decided}
        </p>
      )}
      {agencies.isError && <ErrorMessage error={agencies.error} />}
      <table className="custodians">
        <caption className="visually-hidden">{t('custodians.tableLabel')}</caption>
        <colgroup>
          <col className="col-code" />
          <col />
          <col className="col-rows" />
          <col className="col-candidates" />
          <col className="col-custodian" />
          <col className="col-actions" />
        </colgroup>
        <thead>
          <tr>
            <th scope="col">{t('custodians.col.code')}</th>
            <th scope="col">{t('custodians.col.unit')}</th>
            <th scope="col" className="num">
              {t('custodians.col.rows')}
            </th>
            <th scope="col">{t('custodians.col.candidates')}</th>
            <th scope="col">{t('custodians.col.custodian')}</th>
            <th scope="col">
              <span className="visually-hidden">{t('custodians.col.actions')}</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {shown.length === 0 && (
            <tr>
              <td colSpan={6} className="muted">
                {t('custodians.noMatch')}
              </td>
            </tr>
          )}
          {shown.map((u) => (
            <tr key={u.unitCode}>
              <td className="mono">{u.unitCode}</td>
              <td>
                <span className="custodian-name">{u.unitName}</span>
                <span className="muted small-line">
                  {t(`custodians.level.${u.level}`)}: <RegisterCounts unit={u} />
                </span>
              </td>
              <td className="num">{n(u.rows)}</td>
              <td>
                {u.candidates.slice(0, CANDIDATES_SHOWN).map((c, i) => (
                  <span key={c.code}>
                    {i > 0 && ', '}
                    {c.name} <span className="mono">({c.code})</span>
                  </span>
                ))}
                {u.candidates.length > CANDIDATES_SHOWN && <span className="muted"> {t('custodians.moreCandidates', { count: u.candidates.length - CANDIDATES_SHOWN })}</span>}
              </td>
              <td>
                <Custodian unit={u} />
              </td>
              <td>
                {decidable(u) && (
                  <button type="button" className={u.decision ? 'small' : 'small primary'} disabled={!agencies.data} onClick={() => setDeciding(u)} aria-label={t(u.decision ? 'custodians.changeOf' : 'custodians.decideOf', { name: u.unitName })}>
                    {t(u.decision ? 'custodians.change' : 'custodians.decide')}
                  </button>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      {deciding && agencies.data && (
        <CustodianDialog
          runId={runId}
          unit={deciding}
          agencies={agencies.data.items}
          onClose={() => setDeciding(null)}
          onDecided={(agency) => {
            setDecided(t('custodians.decided', { unit: deciding.unitName, agency }));
            setDeciding(null);
            refresh();
          }}
        />
      )}
    </section>
  );
}
