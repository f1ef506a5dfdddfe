/** What an import did, as the API reports it: every row or entry counted once, and what to do next. */
import { useState } from 'react';
import { Link } from 'react-router';
import { BookName } from '../../components/book-name';
import { ErrorMessage } from '../../components/error-message';
import { bookPath } from '../../lib/agency';
import type { ExcelImportResult, ScanImportReport } from '../../lib/api-types';
import { useI18n } from '../../lib/i18n/i18n';
import { downloadRejectedRows } from './api';

export function DownloadRejectedRows({ importId }: { importId: number }) {
  const { t } = useI18n();
  const [error, setError] = useState<unknown>(null);
  return (
    <>
      <button type="button" onClick={() => downloadRejectedRows(importId).then(() => setError(null), setError)}>
        {t('imports.downloadRejected')}
      </button>
      {error !== null && <ErrorMessage error={error} />}
    </>
  );
}

export function ExcelReport({ result }: { result: ExcelImportResult }) {
  const { t, n } = useI18n();
  const c = result.counts;
  return (
    <div className={c.rejected > 0 ? 'notice report' : 'success report'} role="status">
      <p>
        <strong>{t('imports.excelDone', { name: result.source.name })}</strong>
      </p>
      <p>{t('imports.excelCounts', { read: c.read, inserted: c.inserted, updated: c.updated, unchanged: c.unchanged, rejected: c.rejected })}</p>
      {result.attachedWaitingScans > 0 && <p>{t('imports.attachedWaiting', { count: result.attachedWaitingScans })}</p>}
      {c.rejected > 0 && (
        <>
          <p>{t('imports.rejectedHelp')}</p>
          <ul>
            {Object.entries(result.rejectedByCode).map(([code, count]) => (
              <li key={code}>
                {code}: {n(count)}
              </li>
            ))}
          </ul>
          <DownloadRejectedRows importId={result.importId} />
        </>
      )}
      {result.books.length > 0 && (
        <>
          <p>{t('imports.booksOpen')}</p>
          <ul>
            {result.books.map((b) => {
              const ref = { registerType: result.registerType, unitCode: b.unitCode, bookYear: b.bookYear, bookKey: b.bookKey };
              return (
                <li key={`${b.unitCode}/${b.bookYear}/${b.bookKey}`}>
                  <Link to={bookPath(ref)}>
                    <BookName book={ref} bookNumber={b.bookNumber} />
                  </Link>{' '}
                  <span className="muted">{t('imports.bookRows', { rows: b.rows, records: b.records })}</span>
                </li>
              );
            })}
          </ul>
        </>
      )}
    </div>
  );
}

export function ScanReport({ report }: { report: ScanImportReport }) {
  const { t } = useI18n();
  const c = report.counts;
  const problems = c.rejected > 0 || c.unmatched > 0 || c.missingPages > 0 || report.pageGaps.length > 0;
  return (
    <div className={problems ? 'notice report' : 'success report'} role="status">
      <p>
        <strong>{t('imports.scansDone', { name: report.zip.name })}</strong>
      </p>
      <p>{t('imports.scanCounts', { entries: c.entries, attached: c.attached, already: c.alreadyAttached, replaced: c.replaced, unmatched: c.unmatched, rejected: c.rejected })}</p>
      {report.rejected.length > 0 && (
        <>
          <h3>{t('imports.rejectedEntries')}</h3>
          <ul>
            {report.rejected.map((r) => (
              <li key={r.entry}>
                <code>{r.entry}</code>: {r.messageVi} <span className="muted">({r.reason})</span>
              </li>
            ))}
          </ul>
        </>
      )}
      {report.missingPages.length > 0 && (
        <>
          <h3>{t('imports.missingPages', { count: c.missingPages })}</h3>
          <ul>
            {report.missingPages.map((m) => (
              <li key={`${m.unitCode}/${m.registerType}/${m.bookYear}/${m.book}`}>
                {t('imports.missingInBook', { type: m.registerType, book: m.book, year: String(m.bookYear), numbers: m.registrationNumbers.join(', ') })}
              </li>
            ))}
          </ul>
        </>
      )}
      {report.pageGaps.length > 0 && (
        <p>
          {t('imports.pageGaps')} {report.pageGaps.map((g) => `${g.entry} (${g.pages.join(', ')})`).join('; ')}
        </p>
      )}
      {report.unmatched.length > 0 && (
        <p>
          {t('imports.unmatched')} {report.unmatched.join(', ')}
        </p>
      )}
      {report.truncatedLists && report.truncatedLists.length > 0 && <p className="muted">{t('imports.truncated')}</p>}
    </div>
  );
}
