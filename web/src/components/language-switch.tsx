import { LANGS, useI18n, type Lang } from '../lib/i18n/i18n';

export function LanguageSwitch() {
  const { t, lang, setLang } = useI18n();
  return (
    <label className="lang-switch">
      <span>{t('lang.label')}</span>
      <select value={lang} onChange={(e) => setLang(e.target.value as Lang)}>
        {LANGS.map((l) => (
          <option key={l} value={l} lang={l}>
            {t(`lang.${l}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
