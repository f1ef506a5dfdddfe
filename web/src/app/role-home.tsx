import { useI18n } from '../lib/i18n/i18n';
import { useSession } from '../lib/session';

/** The home of a role the page has no screens for yet: who is signed in, and where its work is done. */
export function RoleHome() {
  const { t } = useI18n();
  const { user } = useSession();
  return (
    <section aria-labelledby="home-title">
      <h1 id="home-title">{t('home.welcome', { name: user.displayName || user.username })}</h1>
      <p>{t('home.noScreens', { role: t(`role.${user.role}`) })}</p>
      <p>
        <a href="/docs">{t('home.apiDocs')}</a>
      </p>
    </section>
  );
}
