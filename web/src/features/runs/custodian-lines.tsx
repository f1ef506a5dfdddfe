/**
 * What each line of a decisions table came to: taken (the agency named), left undecided, or
 * refused with the run's Vietnamese reason and code. A refused table comes back as the API's
 * CUSTODIAN_TABLE_REFUSED, whose details name every wrong line.
 */
import { isApiError } from '../../lib/api-client';
import type { CustodianLineRefusal, CustodianTableResult } from '../../lib/api-types';
import { useI18n } from '../../lib/i18n/i18n';

type Line = CustodianTableResult['lines'][number];

function LinesTable({ lines, caption }: { lines: readonly Line[]; caption: string }) {
  const { t } = useI18n();
  return (
    <table className="compact">
      <caption>{caption}</caption>
      <thead>
        <tr>
          <th scope="col" className="num">
            {t('custodians.line')}
          </th>
          <th scope="col">{t('custodians.lineUnit')}</th>
          <th scope="col">{t('custodians.lineAgency')}</th>
          <th scope="col">{t('custodians.lineResult')}</th>
        </tr>
      </thead>
      <tbody>
        {lines.map((l) => (
          <tr key={l.line} className={l.status === 'refused' ? 'refused' : undefined}>
            <td className="num">{l.line}</td>
            <td className="mono">{l.unitCode || t('custodians.line.blank')}</td>
            <td className="mono">{l.status === 'undecided' ? '' : l.agencyCode || t('custodians.line.blank')}</td>
            <td>
              {l.status === 'decided' && t(l.candidate ? 'custodians.line.decided' : 'custodians.line.decidedOutside', { agency: l.agencyName })}
              {l.status === 'undecided' && t('custodians.line.undecided')}
              {l.status === 'refused' && (
                <>
                  {l.messageVi} <code>{l.code}</code>
                </>
              )}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

export function TableTaken({ result }: { result: CustodianTableResult }) {
  const { t } = useI18n();
  return (
    <div className="report">
      <p className="success" role="status">
        {t('custodians.tableTaken', { decided: result.decided ?? 0, undecided: result.undecided })}
      </p>
      <details>
        <summary>{t('custodians.lines')}</summary>
        <LinesTable lines={result.lines} caption={t('custodians.lines')} />
      </details>
    </div>
  );
}

/** The wrong lines of a refused table, when the refusal names them. */
export function TableRefusedLines({ error }: { error: unknown }) {
  const { t } = useI18n();
  const lines = isApiError(error) && error.code === 'CUSTODIAN_TABLE_REFUSED' ? (error.details as { lines?: CustodianLineRefusal[] } | undefined)?.lines : undefined;
  if (!lines?.length) return null;
  return <LinesTable lines={lines.map((l) => ({ ...l, status: 'refused' as const }))} caption={t('custodians.tableRefusedLines')} />;
}
