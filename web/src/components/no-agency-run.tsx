/**
 * An agency that no province run has handed data yet: the normal state of a new official, told
 * calmly with what comes next, not as an error. The API answers IMPORT_NO_AGENCY_RUN then.
 */
import { isApiError } from '../lib/api-client';
import { useI18n } from '../lib/i18n/i18n';

export const isNoAgencyRun = (error: unknown) => isApiError(error) && error.code === 'IMPORT_NO_AGENCY_RUN';

export function NoAgencyRun() {
  const { t } = useI18n();
  return (
    <div className="empty-state" role="status">
      <h2>{t('agency.noRun.title')}</h2>
      <p>{t('agency.noRun.text')}</p>
      <p className="muted">{t('agency.noRun.next')}</p>
    </div>
  );
}
