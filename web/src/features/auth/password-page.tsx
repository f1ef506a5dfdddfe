/**
 * A user changes their own password (the one an administrator gave, or one they fear is known):
 * the current one, the new one twice. This session goes on with the token the API answers; the
 * account's other sessions end there.
 */
import { useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { useI18n } from '../../lib/i18n/i18n';
import { sessionStore, useSession } from '../../lib/session';
import { changePassword } from './api';

const MIN_LENGTH = 12;

export function PasswordPage() {
  const { t } = useI18n();
  const session = useSession();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeated, setRepeated] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const mismatch = repeated !== '' && repeated !== next;

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (mismatch) return;
    setBusy(true);
    setError(null);
    setDone(false);
    try {
      const { token } = await changePassword(current, next);
      sessionStore.start({ token, user: session.user });
      setCurrent('');
      setNext('');
      setRepeated('');
      setDone(true);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <section aria-labelledby="password-title" className="narrow">
      <h1 id="password-title">{t('password.title')}</h1>
      <p className="muted">{t('password.intro', { min: MIN_LENGTH })}</p>
      <form onSubmit={submit} className="form-grid">
        <input type="text" name="username" autoComplete="username" value={session.user.username} readOnly hidden />
        <div className="form-field">
          <label htmlFor="password-current">{t('password.current')}</label>
          <input id="password-current" type="password" autoComplete="current-password" required value={current} onChange={(e) => setCurrent(e.target.value)} />
        </div>
        <div className="form-field">
          <label htmlFor="password-new">{t('password.new')}</label>
          <input id="password-new" type="password" autoComplete="new-password" required minLength={MIN_LENGTH} maxLength={200} value={next} onChange={(e) => setNext(e.target.value)} aria-describedby="password-new-help" />
          <p id="password-new-help" className="help">
            {t('password.newHelp', { min: MIN_LENGTH })}
          </p>
        </div>
        <div className="form-field">
          <label htmlFor="password-repeat">{t('password.repeat')}</label>
          <input
            id="password-repeat"
            type="password"
            autoComplete="new-password"
            required
            value={repeated}
            onChange={(e) => setRepeated(e.target.value)}
            aria-invalid={mismatch}
            aria-describedby={mismatch ? 'password-repeat-error' : undefined}
          />
          {mismatch && (
            <p id="password-repeat-error" className="field-error">
              {t('password.mismatch')}
            </p>
          )}
        </div>
        {error !== null && <ErrorMessage error={error} />}
        {done && (
          <p className="success" role="status">
            {t('password.done')}
          </p>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy || mismatch}>
            {busy ? t('password.submitting') : t('password.submit')}
          </button>
        </div>
      </form>
    </section>
  );
}
