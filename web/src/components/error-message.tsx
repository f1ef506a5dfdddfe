/**
 * An error as the API gave it: its Vietnamese message and its stable code, announced to screen
 * readers. Failures that never reached the API are worded by the catalogue under their code.
 */
import { isAppError } from '../../../domain/errors';
import { isApiError } from '../lib/api-client';
import { useI18n } from '../lib/i18n/i18n';
import type { MessageKey } from '../lib/i18n/vi';

export function errorText(error: unknown, t: (key: MessageKey) => string): { message: string; code: string } {
  if (isApiError(error)) return { message: error.message || t(`error.${error.code}` as MessageKey), code: error.code };
  // A rule of the domain the page checks before sending (a schedule's CSV): the API's own definition and words.
  if (isAppError(error)) return { message: error.messageVi, code: error.code };
  return { message: t('error.BAD_RESPONSE'), code: 'BAD_RESPONSE' };
}

export function ErrorMessage({ error, onRetry, id }: { error: unknown; onRetry?: () => void; id?: string }) {
  const { t } = useI18n();
  const { message, code } = errorText(error, t);
  return (
    <div className="error-message" role="alert" id={id}>
      <p>{message}</p>
      <p className="error-code">{t('error.code', { code })}</p>
      {onRetry && (
        <button type="button" onClick={onRetry}>
          {t('error.retry')}
        </button>
      )}
    </div>
  );
}
