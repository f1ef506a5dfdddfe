/**
 * The page's language: Vietnamese unless the user switched to English (kept in localStorage).
 * `t` looks a key up in the language's catalogue and puts in the `{name}` values.
 */
import { createContext, useCallback, useContext, useEffect, useMemo, useState, type ReactNode } from 'react';
import { formatNumber } from '../format';
import { en } from './en';
import { vi, type MessageKey } from './vi';
import type { Params, Translate } from './translate';

export type Lang = 'vi' | 'en';
export const LANGS: readonly Lang[] = ['vi', 'en'];
const CATALOGUES: Record<Lang, Record<MessageKey, string>> = { vi, en };
const KEY = 'hotich.lang';

export type { Params, Translate } from './translate';

/** Puts each `{name}` of the text in from `params`; numbers are written as the language writes them. */
export function interpolate(text: string, lang: Lang, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const v = params[name];
    return v === undefined ? whole : typeof v === 'number' ? formatNumber(v, lang) : v;
  });
}

interface I18n {
  lang: Lang;
  setLang(lang: Lang): void;
  t: Translate;
  /** Numbers as the language writes them (1.234 in Vietnamese). */
  n(value: number): string;
}

const I18nContext = createContext<I18n | null>(null);

function initialLang(): Lang {
  const saved = localStorage.getItem(KEY);
  return saved === 'en' ? 'en' : 'vi';
}

export function I18nProvider({ children }: { children: ReactNode }) {
  const [lang, setLangState] = useState<Lang>(initialLang);
  useEffect(() => {
    document.documentElement.lang = lang;
  }, [lang]);
  const setLang = useCallback((next: Lang) => {
    localStorage.setItem(KEY, next);
    setLangState(next);
  }, []);
  const value = useMemo<I18n>(
    () => ({ lang, setLang, t: (key, params) => interpolate(CATALOGUES[lang][key], lang, params), n: (v) => formatNumber(v, lang) }),
    [lang, setLang],
  );
  return <I18nContext.Provider value={value}>{children}</I18nContext.Provider>;
}

export function useI18n(): I18n {
  const value = useContext(I18nContext);
  if (!value) throw new Error('useI18n outside I18nProvider');
  return value;
}
