/**
 * The administrator's home: the accounts, disabled ones too, and what is done to them — a new
 * account, one disabled when its person leaves (with the reason the audit log keeps), enabled
 * again, given a new password when one is forgotten. The administrator's own account cannot be
 * disabled here, as the API refuses it.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { ErrorMessage } from '../../components/error-message';
import type { Account, Role } from '../../lib/api-types';
import { useI18n } from '../../lib/i18n/i18n';
import { useSession } from '../../lib/session';
import { createAccount, disableAccount, enableAccount, listAccounts, setAccountPassword, type NewAccount } from './api';

const MIN_PASSWORD = 12;
const ROLES: readonly Role[] = ['official', 'coordinator', 'auditor', 'admin'];

/** The change a row's form is open for. */
type Open = { username: string; kind: 'disable' | 'password' } | null;

function NewAccountForm({ onCreated }: { onCreated: (username: string) => void }) {
  const { t } = useI18n();
  const [form, setForm] = useState<NewAccount>({ username: '', password: '', role: 'official' });
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const [shown, setShown] = useState(false);
  const set = (patch: Partial<NewAccount>) => setForm((f) => ({ ...f, ...patch }));

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const scope = form.role === 'official' ? { agencyCode: form.agencyCode } : form.role === 'admin' ? {} : form.provinceCode ? { provinceCode: form.provinceCode } : {};
      const created = await createAccount({ username: form.username.trim(), password: form.password, role: form.role, displayName: form.displayName?.trim() || undefined, ...scope });
      setForm({ username: '', password: '', role: form.role });
      setShown(false);
      onCreated(created.username);
    } catch (err) {
      setError(err);
    } finally {
      setBusy(false);
    }
  }

  return (
    <details className="panel narrow" open={shown} onToggle={(e) => setShown(e.currentTarget.open)}>
      <summary>
        <h2>{t('accounts.new')}</h2>
      </summary>
      <form onSubmit={submit} className="form-grid">
        <div className="form-field">
          <label htmlFor="account-username">{t('accounts.username')}</label>
          <input id="account-username" required pattern="[a-z0-9._\-]{3,64}" autoComplete="off" spellCheck={false} value={form.username} onChange={(e) => set({ username: e.target.value })} aria-describedby="account-username-help" />
          <p id="account-username-help" className="help">
            {t('accounts.usernameHelp')}
          </p>
        </div>
        <div className="form-field">
          <label htmlFor="account-name">{t('accounts.displayName')}</label>
          <input id="account-name" maxLength={200} value={form.displayName ?? ''} onChange={(e) => set({ displayName: e.target.value })} />
        </div>
        <div className="form-field">
          <label htmlFor="account-role">{t('accounts.role')}</label>
          <select id="account-role" value={form.role} onChange={(e) => set({ role: e.target.value as Role })}>
            {ROLES.map((r) => (
              <option key={r} value={r}>
                {t(`role.${r}`)}
              </option>
            ))}
          </select>
        </div>
        {form.role === 'official' && (
          <div className="form-field">
            <label htmlFor="account-agency">{t('accounts.agency')}</label>
            <input id="account-agency" required inputMode="numeric" pattern="[0-9]{3}([0-9]{2})?" value={form.agencyCode ?? ''} onChange={(e) => set({ agencyCode: e.target.value.trim() })} />
          </div>
        )}
        {(form.role === 'coordinator' || form.role === 'auditor') && (
          <div className="form-field">
            <label htmlFor="account-province">{t('accounts.province')}</label>
            <input id="account-province" required={form.role === 'coordinator'} inputMode="numeric" pattern="[0-9]{2}" value={form.provinceCode ?? ''} onChange={(e) => set({ provinceCode: e.target.value.trim() })} aria-describedby="account-province-help" />
            {form.role === 'auditor' && (
              <p id="account-province-help" className="help">
                {t('accounts.provinceAuditorHelp')}
              </p>
            )}
          </div>
        )}
        <div className="form-field">
          <label htmlFor="account-password">{t('accounts.password')}</label>
          <input id="account-password" type="password" autoComplete="new-password" required minLength={MIN_PASSWORD} maxLength={200} value={form.password} onChange={(e) => set({ password: e.target.value })} aria-describedby="account-password-help" />
          <p id="account-password-help" className="help">
            {t('accounts.passwordHelp', { min: MIN_PASSWORD })}
          </p>
        </div>
        {error !== null && <ErrorMessage error={error} />}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {t('accounts.create')}
          </button>
        </div>
      </form>
    </details>
  );
}

/** The form of a change that needs a word more: the reason to disable, or the new password. */
function RowForm({ open, onDone, onCancel }: { open: NonNullable<Open>; onDone: (message: string) => void; onCancel: () => void }) {
  const { t } = useI18n();
  const [value, setValue] = useState('');
  const [error, setError] = useState<unknown>(null);
  const [busy, setBusy] = useState(false);
  const disabling = open.kind === 'disable';
  const id = `account-${open.kind}-${open.username}`;

  async function submit(e: FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      if (disabling) await disableAccount(open.username, value);
      else await setAccountPassword(open.username, value);
      onDone(t(disabling ? 'accounts.disabledDone' : 'accounts.passwordDone', { username: open.username }));
    } catch (err) {
      setError(err);
      setBusy(false);
    }
  }

  return (
    <form onSubmit={submit} className="row-form" aria-label={t(disabling ? 'accounts.disableTitle' : 'accounts.passwordTitle', { username: open.username })}>
      <label htmlFor={id}>{t(disabling ? 'accounts.reason' : 'accounts.newPassword')}</label>
      {disabling ? (
        <input id={id} required maxLength={500} autoFocus value={value} onChange={(e) => setValue(e.target.value)} placeholder={t('accounts.reasonExample')} />
      ) : (
        <input id={id} type="password" autoComplete="new-password" required minLength={MIN_PASSWORD} maxLength={200} autoFocus value={value} onChange={(e) => setValue(e.target.value)} />
      )}
      <button type="submit" className={disabling ? 'danger' : 'primary'} disabled={busy}>
        {t(disabling ? 'accounts.disableConfirm' : 'accounts.passwordConfirm')}
      </button>
      <button type="button" className="link-button" onClick={onCancel}>
        {t('accounts.cancel')}
      </button>
      {error !== null && <ErrorMessage error={error} />}
    </form>
  );
}

export function AccountsPage() {
  const { t } = useI18n();
  const { user } = useSession();
  const queryClient = useQueryClient();
  const accounts = useQuery({ queryKey: ['accounts'], queryFn: ({ signal }) => listAccounts(signal) });
  const [open, setOpen] = useState<Open>(null);
  const [done, setDone] = useState<string | null>(null);
  const [error, setError] = useState<unknown>(null);

  const changed = async (message: string) => {
    setOpen(null);
    setError(null);
    setDone(message);
    await queryClient.invalidateQueries({ queryKey: ['accounts'] });
  };
  const enable = async (a: Account) => {
    try {
      await enableAccount(a.username);
      await changed(t('accounts.enabledDone', { username: a.username }));
    } catch (err) {
      setError(err);
    }
  };
  const scopeOf = (a: Account) => (a.agencyCode ? t('session.scopeAgency', { code: a.agencyCode }) : a.provinceCode ? t('session.scopeProvince', { code: a.provinceCode }) : a.role === 'admin' ? '—' : t('session.scopeNational'));

  return (
    <section aria-labelledby="accounts-title">
      <h1 id="accounts-title">{t('accounts.title')}</h1>
      <p className="muted">{t('accounts.intro')}</p>
      <NewAccountForm onCreated={(username) => void changed(t('accounts.createdDone', { username }))} />
      {done && (
        <p className="success" role="status">
          {done}
        </p>
      )}
      {error !== null && <ErrorMessage error={error} />}
      {accounts.isError && <ErrorMessage error={accounts.error} onRetry={() => void accounts.refetch()} />}
      {accounts.isPending && <p className="loading">{t('common.loading')}</p>}
      {accounts.data && (
        <table className="accounts">
          <caption className="visually-hidden">{t('accounts.title')}</caption>
          <thead>
            <tr>
              <th scope="col">{t('accounts.username')}</th>
              <th scope="col">{t('accounts.displayName')}</th>
              <th scope="col">{t('accounts.role')}</th>
              <th scope="col">{t('accounts.scope')}</th>
              <th scope="col">{t('accounts.state')}</th>
              <th scope="col">{t('accounts.actions')}</th>
            </tr>
          </thead>
          <tbody>
            {accounts.data.map((a) => (
              <tr key={a.username} className={a.disabled ? 'disabled' : undefined}>
                <th scope="row" className="mono">
                  {a.username}
                </th>
                <td>{a.displayName}</td>
                <td>{t(`role.${a.role}`)}</td>
                <td>{scopeOf(a)}</td>
                <td>
                  <span className={`badge ${a.disabled ? 'badge-failed' : 'badge-done'}`}>{t(a.disabled ? 'accounts.stateDisabled' : 'accounts.stateActive')}</span>
                </td>
                <td>
                  {open?.username === a.username ? (
                    <RowForm open={open} onDone={(m) => void changed(m)} onCancel={() => setOpen(null)} />
                  ) : (
                    <div className="row-actions">
                      {a.disabled ? (
                        <button type="button" onClick={() => void enable(a)} aria-label={t('accounts.enableFor', { username: a.username })}>
                          {t('accounts.enable')}
                        </button>
                      ) : (
                        a.username !== user.username && (
                          <button type="button" onClick={() => setOpen({ username: a.username, kind: 'disable' })} aria-label={t('accounts.disableFor', { username: a.username })}>
                            {t('accounts.disable')}
                          </button>
                        )
                      )}
                      <button type="button" onClick={() => setOpen({ username: a.username, kind: 'password' })} aria-label={t('accounts.passwordFor', { username: a.username })}>
                        {t('accounts.resetPassword')}
                      </button>
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
