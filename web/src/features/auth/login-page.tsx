import { useState, type FormEvent } from 'react';
import { useLocation, useNavigate } from 'react-router';
import { ErrorMessage } from '../../components/error-message';
import { LanguageSwitch } from '../../components/language-switch';
import { SystemHealth } from '../../components/system-health';
import { useI18n } from '../../lib/i18n/i18n';
import { sessionStore, useSessionState } from '../../lib/session';
import { login } from './api';

export function LoginPage() {
  const { t } = useI18n();
  const navigate = useNavigate();
  const location = useLocation();
  const { ended } = useSessionState();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { token, user } = await login(username.trim(), password);
      sessionStore.start({ token, user });
      const from = (location.state as { from?: string } | null)?.from;
      navigate(from && from !== '/login' ? from : '/', { replace: true });
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <main id="main" className="login">
      <div className="login-lang">
        <LanguageSwitch />
      </div>
      <form className="login-form" onSubmit={submit} aria-labelledby="login-title">
        <h1 id="login-title">{t('login.title')}</h1>
        <p className="muted">{t('login.intro')}</p>
        {ended && ended !== 'signed-out' && !error && (
          <div className="notice" role="status">
            <p>{ended.message || t('login.ended')}</p>
          </div>
        )}
        <label htmlFor="login-username">{t('login.username')}</label>
        <input id="login-username" name="username" autoComplete="username" required autoFocus value={username} onChange={(e) => setUsername(e.target.value)} />
        <label htmlFor="login-password">{t('login.password')}</label>
        <input id="login-password" name="password" type="password" autoComplete="current-password" required value={password} onChange={(e) => setPassword(e.target.value)} />
        {error !== null && <ErrorMessage error={error} />}
        <button type="submit" className="primary" disabled={busy}>
          {busy ? t('login.submitting') : t('login.submit')}
        </button>
        <SystemHealth />
      </form>
    </main>
  );
}
