/** Step 3 for an official: an Excel file per register type, zips of scanned pages, and the agency's latest imports. */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { Loading } from '../../components/loading';
import { isNoAgencyRun, NoAgencyRun } from '../../components/no-agency-run';
import { UploadForm } from '../../components/upload-form';
import { agencyKeys } from '../../lib/agency';
import type { ImportsView } from '../../lib/api-types';
import { formatDateTime } from '../../lib/format';
import { useI18n } from '../../lib/i18n/i18n';
import { useSession } from '../../lib/session';
import { REGISTER_TYPE_CODES, type RegisterTypeCode } from '../../../../domain/registers/register-types';
import { importExcel, importScans, importsQuery } from './api';
import { DownloadRejectedRows, ExcelReport, ScanReport } from './import-reports';

/** A count of an import as the agency's run remembers it (each kind has its own). */
const c = (i: ImportsView['imports'][number], key: string) => i.counts[key] ?? 0;

export function ImportsPage() {
  const { t } = useI18n();
  const code = useSession().user.agencyCode!;
  const queryClient = useQueryClient();
  const imports = useQuery(importsQuery(code));
  const [registerType, setRegisterType] = useState<RegisterTypeCode>('KS');
  const [unitCode, setUnitCode] = useState('');
  // An import changes the books, the records and the transfers' counts of every screen.
  const refresh = () => void queryClient.invalidateQueries({ queryKey: agencyKeys.all(code) });

  return (
    <section aria-labelledby="imports-title">
      <h1 id="imports-title">{t('imports.title')}</h1>
      <div className="upload-grid">
        <UploadForm
          id="excel"
          title={t('imports.excelTitle')}
          fileLabel={t('imports.excelFile')}
          accept=".xls,.xlsx"
          submitLabel={t('imports.excelSubmit')}
          processingLabel={t('imports.importing')}
          fields={
            <>
              <label htmlFor="excel-type">{t('imports.registerType')}</label>
              <select id="excel-type" value={registerType} onChange={(e) => setRegisterType(e.target.value as RegisterTypeCode)}>
                {REGISTER_TYPE_CODES.map((c) => (
                  <option key={c} value={c}>
                    {c} — {t(`registerType.${c}`)}
                  </option>
                ))}
              </select>
            </>
          }
          upload={(file, onProgress) => importExcel(code, registerType, file, onProgress)}
          report={(r) => <ExcelReport result={r} />}
          onDone={refresh}
        />
        <UploadForm
          id="scans"
          title={t('imports.scansTitle')}
          fileLabel={t('imports.scansFile')}
          accept=".zip"
          submitLabel={t('imports.scansSubmit')}
          processingLabel={t('imports.importing')}
          fields={
            <>
              <label htmlFor="scans-unit">{t('imports.unitCode')}</label>
              <input id="scans-unit" inputMode="numeric" pattern="[0-9]{3}([0-9]{2})?" value={unitCode} onChange={(e) => setUnitCode(e.target.value.trim())} aria-describedby="scans-unit-help" />
              <p id="scans-unit-help" className="field-help">
                {t('imports.unitCodeHelp')}
              </p>
            </>
          }
          upload={(file, onProgress) => importScans(code, unitCode, file, onProgress)}
          report={(r) => <ScanReport report={r} />}
          onDone={refresh}
        />
      </div>
      <h2 id="recent-title">{t('imports.recent')}</h2>
      {isNoAgencyRun(imports.error) ? (
        <NoAgencyRun />
      ) : imports.isError ? (
        <ErrorMessage error={imports.error} onRetry={() => void imports.refetch()} />
      ) : !imports.data ? (
        <Loading />
      ) : imports.data.imports.length === 0 ? (
        <p className="muted">{t('imports.none')}</p>
      ) : (
        <table aria-labelledby="recent-title">
          <thead>
            <tr>
              <th scope="col">{t('imports.when')}</th>
              <th scope="col">{t('imports.kind')}</th>
              <th scope="col">{t('imports.file')}</th>
              <th scope="col">{t('imports.by')}</th>
              <th scope="col">{t('imports.result')}</th>
            </tr>
          </thead>
          <tbody>
            {[...imports.data.imports].reverse().map((i) => (
              <tr key={i.importId}>
                <td>{formatDateTime(i.at)}</td>
                <td>{i.kind === 'excel' ? t(`registerType.${i.registerType!}`) : t('imports.kindScans')}</td>
                <td>{i.sourceName}</td>
                <td>{i.by}</td>
                <td>
                  {i.kind === 'excel'
                    ? t('imports.excelCounts', { read: c(i, 'read'), inserted: c(i, 'inserted'), updated: c(i, 'updated'), unchanged: c(i, 'unchanged'), rejected: c(i, 'rejected') })
                    : t('imports.scanCounts', { entries: c(i, 'entries'), attached: c(i, 'attached'), already: c(i, 'alreadyAttached'), replaced: c(i, 'replaced'), unmatched: c(i, 'unmatched'), rejected: c(i, 'rejected') })}
                  {i.kind === 'excel' && (i.counts.rejected ?? 0) > 0 && (
                    <div>
                      <DownloadRejectedRows importId={i.importId} />
                    </div>
                  )}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
