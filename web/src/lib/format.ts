/** Dates as Vietnamese officials write them (dd/mm/yyyy, 24-hour time) and numbers per language. Pure. */

const two = (n: number) => String(n).padStart(2, '0');

/** dd/mm/yyyy of an instant, in the browser's time zone. */
export function formatDate(iso: string | Date): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  return `${two(d.getDate())}/${two(d.getMonth() + 1)}/${d.getFullYear()}`;
}

/** dd/mm/yyyy of a calendar date written yyyy-mm-dd (a decision's date): no time zone moves it. */
export function formatCalendarDate(ymd: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(ymd);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : ymd;
}

/** dd/mm/yyyy HH:mm of an instant, in the browser's time zone. */
export function formatDateTime(iso: string | Date): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  return `${formatDate(d)} ${two(d.getHours())}:${two(d.getMinutes())}`;
}

const NUMBER_LOCALES = { vi: 'vi-VN', en: 'en-GB' } as const;
// Made once per language: a table of 700 agencies writes thousands of numbers, and building a formatter costs far more than using one.
const NUMBER_FORMATS = new Map<keyof typeof NUMBER_LOCALES, Intl.NumberFormat>();

export function formatNumber(n: number, lang: keyof typeof NUMBER_LOCALES): string {
  let f = NUMBER_FORMATS.get(lang);
  if (!f) NUMBER_FORMATS.set(lang, (f = new Intl.NumberFormat(NUMBER_LOCALES[lang])));
  return f.format(n);
}

/** Bytes as officials read sizes of files: KB, MB, GB with one decimal. */
export function formatBytes(n: number, lang: keyof typeof NUMBER_LOCALES): string {
  const units = ['B', 'KB', 'MB', 'GB'];
  let v = n;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u++;
  }
  return `${new Intl.NumberFormat(NUMBER_LOCALES[lang], { maximumFractionDigits: u === 0 ? 0 : 1 }).format(v)} ${units[u]}`;
}
