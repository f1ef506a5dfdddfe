/**
 * The frame of every screen: skip link, the app's name, the navigation of the user's role, who
 * is signed in and in which scope, the language switch and signing out.
 */
import type { ReactNode } from 'react';
import { NavLink } from 'react-router';
import { LanguageSwitch } from '../components/language-switch';
import { useI18n } from '../lib/i18n/i18n';
import { sessionStore, type Session } from '../lib/session';
import { navFor, type Screen } from './navigation';

export function AppShell({ session, screens, children }: { session: Session; screens: readonly Screen[]; children: ReactNode }) {
  const { t } = useI18n();
  const { user } = session;
  const scope = user.agencyCode ? t('session.scopeAgency', { code: user.agencyCode }) : user.provinceCode ? t('session.scopeProvince', { code: user.provinceCode }) : t('session.scopeNational');
  return (
    <>
      <a className="skip-link" href="#main">
        {t('app.skipToContent')}
      </a>
      <header className="app-header">
        <div className="brand">
          <span className="brand-name">{t('app.name')}</span>
          <span className="brand-tagline">{t('app.tagline')}</span>
        </div>
        <nav aria-label={t('nav.label')}>
          <ul>
            <li>
              <NavLink to="/" end>
                {t('nav.home')}
              </NavLink>
            </li>
            {navFor(screens, user.role).map((s) => (
              <li key={s.path}>
                <NavLink to={`/${s.path}`}>{t(s.nav!)}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <div className="user-box">
          <span className="user-name" title={t('session.user')}>
            {user.displayName || user.username}
          </span>
          <span className="user-role">
            {t(`role.${user.role}`)} · {scope}
          </span>
          <NavLink to="/account/password" className="user-password">
            {t('session.password')}
          </NavLink>
        </div>
        <LanguageSwitch />
        <button type="button" className="link-button" onClick={() => sessionStore.end()}>
          {t('session.logout')}
        </button>
      </header>
      <main id="main" tabIndex={-1}>
        {children}
      </main>
    </>
  );
}
