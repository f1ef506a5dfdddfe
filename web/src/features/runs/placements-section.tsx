/**
 * Exception rows placed by hand: the exceptions workbook downloaded, its "Mã cơ quan nhận"
 * filled for the rows the coordinator can place, and uploaded back; then what was placed and,
 * for each row that stays an exception, the run's reason and code.
 */
import { useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { UploadForm } from '../../components/upload-form';
import type { PlacementResult } from '../../lib/api-types';
import { useI18n } from '../../lib/i18n/i18n';
import { runStatusKey } from '../../lib/run-status';
import { downloadExceptions, placeExceptions } from './api';
import { custodiansKey } from './custodians-section';

function PlacementReport({ result }: { result: PlacementResult }) {
  const { t } = useI18n();
  return (
    <div className="report">
      <p className={result.duplicate ? 'notice' : 'success'} role="status">
        {result.duplicate ? t('placements.duplicate') : t('placements.result', { placed: result.placed ?? 0, refused: result.refused ?? 0, exceptions: result.exceptionRows })}
      </p>
      {!result.duplicate && result.refusedRows.length > 0 && (
        <table className="compact">
          <caption>{t('placements.refusedTitle')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('placements.sheet')}</th>
              <th scope="col" className="num">
                {t('placements.row')}
              </th>
              <th scope="col">{t('placements.agency')}</th>
              <th scope="col">{t('placements.reason')}</th>
            </tr>
          </thead>
          <tbody>
            {result.refusedRows.map((r) => (
              <tr key={`${r.sheet}!${r.row}`} className="refused">
                <td>{r.sheet}</td>
                <td className="num">{r.row}</td>
                <td className="mono">{r.agencyCode}</td>
                <td>
                  {r.messageVi} <code>{r.code}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}

export function PlacementsSection({ runId, exceptionRows, placed, open }: { runId: string; exceptionRows: number; placed?: { placed: number; refused: number }; open: boolean }) {
  const { t } = useI18n();
  const queryClient = useQueryClient();
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const download = (
    <button
      type="button"
      onClick={() => {
        setDownloadError(null);
        downloadExceptions(runId).catch(setDownloadError);
      }}
    >
      {t('placements.download', { rows: exceptionRows })}
    </button>
  );
  return (
    <section aria-labelledby="placements-title" className="panel">
      <h2 id="placements-title">{t('placements.title')}</h2>
      {exceptionRows === 0 ? (
        <p>{t('placements.none')}</p>
      ) : (
        <>
          {placed && <p>{t('placements.placedSoFar', { placed: placed.placed, refused: placed.refused })}</p>}
          {open ? (
            <UploadForm
              id="placements"
              inline
              title={t('placements.uploadTitle')}
              fields={download}
              fileLabel={t('placements.file')}
              help={t('placements.help')}
              accept=".xlsx"
              submitLabel={t('placements.submit')}
              processingLabel={t('placements.processing')}
              upload={(file, onProgress) => placeExceptions(runId, file, onProgress)}
              report={(r) => <PlacementReport result={r} />}
              onDone={() => {
                void queryClient.invalidateQueries({ queryKey: custodiansKey(runId) });
                void queryClient.invalidateQueries({ queryKey: runStatusKey(runId) });
              }}
            />
          ) : (
            <p>{download}</p>
          )}
          {downloadError !== null && <ErrorMessage error={downloadError} />}
        </>
      )}
    </section>
  );
}
