/**
 * Dates as old registers and exports write them. What is known is kept and nothing is
 * invented: "03/2009" stays a month, "2009" a year; an Excel serial is a full date; text
 * with words ("ngày 5 tháng 3 năm 2009") is read; lunar dates and "không rõ" keep their text.
 */
import { memoizeShortStrings } from '../memo';
import { collapseSpaces, foldKey } from '../text/normalize';

export interface PartialDate {
  year: number;
  month?: number;
  day?: number;
}

export type DateProblem = 'DATE_INVALID' | 'DATE_UNKNOWN' | 'DATE_LUNAR' | 'DATE_AMBIGUOUS_YEAR' | 'DATE_OUT_OF_RANGE';

export type DateParse =
  | { ok: true; date: PartialDate; form: 'full' | 'month' | 'year'; from: 'text' | 'serial' | 'words' }
  | { ok: false; problem: DateProblem; text: string; messageVi: string };

export const DATE_MESSAGES_VI: Record<DateProblem, string> = {
  DATE_INVALID: 'Ngày tháng không đúng định dạng (dd/mm/yyyy, mm/yyyy hoặc yyyy) hoặc không có thật.',
  DATE_UNKNOWN: 'Ngày tháng ghi "không rõ"; giữ nguyên văn bản để người kiểm tra xem lại.',
  DATE_LUNAR: 'Ngày tháng âm lịch; giữ nguyên văn bản, không tự quy đổi.',
  DATE_AMBIGUOUS_YEAR: 'Năm chỉ có hai chữ số, không xác định được thế kỷ.',
  DATE_OUT_OF_RANGE: 'Năm nằm ngoài khoảng hợp lý (1800–2100).',
};

/** The years a civil-status date or register book may have (a wider span is a typing error). */
export const MIN_YEAR = 1800;
export const MAX_YEAR = 2100;

const problem = (p: DateProblem, text: string): DateParse => ({ ok: false, problem: p, text, messageVi: DATE_MESSAGES_VI[p] });

function isLeap(y: number): boolean {
  return (y % 4 === 0 && y % 100 !== 0) || y % 400 === 0;
}

export function daysInMonth(year: number, month: number): number {
  return [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
}

function build(text: string, year: number, month: number | undefined, day: number | undefined, from: 'text' | 'words'): DateParse {
  // Negated so that NaN, the year of a serial past JavaScript's last date, is out of range too.
  if (!(year >= MIN_YEAR && year <= MAX_YEAR)) return problem('DATE_OUT_OF_RANGE', text);
  if (month !== undefined && (month < 1 || month > 12)) return problem('DATE_INVALID', text);
  if (day !== undefined && (month === undefined || day < 1 || day > daysInMonth(year, month))) return problem('DATE_INVALID', text);
  const date: PartialDate = { year };
  if (month !== undefined) date.month = month;
  if (day !== undefined) date.day = day;
  return { ok: true, date, form: day !== undefined ? 'full' : month !== undefined ? 'month' : 'year', from };
}

/**
 * An Excel serial day number (1900 date system). Excel counts a 29 February 1900 that never
 * was (serial 60), so serials after it are one day ahead of the calendar.
 */
export function fromExcelSerial(serial: number): DateParse {
  const text = String(serial);
  if (!Number.isFinite(serial) || serial < 1 || serial === 60) return problem('DATE_INVALID', text);
  const whole = Math.floor(serial);
  const epoch = Date.UTC(1899, 11, whole < 60 ? 31 : 30);
  const d = new Date(epoch + whole * 86_400_000);
  const parsed = build(text, d.getUTCFullYear(), d.getUTCMonth() + 1, d.getUTCDate(), 'text');
  return parsed.ok ? { ...parsed, from: 'serial' } : parsed;
}

const num = (s: string | undefined) => (s === undefined ? undefined : Number(s));

export function parseCivilDate(value: unknown): DateParse | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return problem('DATE_INVALID', String(value));
    return build(value.toISOString(), value.getUTCFullYear(), value.getUTCMonth() + 1, value.getUTCDate(), 'text');
  }
  if (typeof value === 'number') {
    // A bare four-digit number in a date column is a year, not day 2009 of 1900.
    if (Number.isInteger(value) && value >= MIN_YEAR && value <= MAX_YEAR) return build(String(value), value, undefined, undefined, 'text');
    return fromExcelSerial(value);
  }
  return parseDateText(String(value));
}

/** Dates repeat across rows (registration dates above all): each distinct text is read once. */
const parseDateText = memoizeShortStrings((raw: string): DateParse | null => {
  const text = collapseSpaces(raw.normalize('NFC'));
  if (text === '') return null;
  const folded = foldKey(text);
  if (/\bam lich\b|\b(al)\b/.test(folded)) return problem('DATE_LUNAR', text);
  if (/^(khong ro|kr|\?+|chua ro)$/.test(folded)) return problem('DATE_UNKNOWN', text);

  let m = /^(\d{1,2})\s*[/.\-]\s*(\d{1,2})\s*[/.\-]\s*(\d{2}|\d{4})$/.exec(text);
  if (m) return m[3]!.length === 2 ? problem('DATE_AMBIGUOUS_YEAR', text) : build(text, Number(m[3]), num(m[2]), num(m[1]), 'text');
  m = /^(\d{4})\s*-\s*(\d{1,2})\s*-\s*(\d{1,2})(?:[T ][\d:.]+Z?)?$/.exec(text);
  if (m) return build(text, Number(m[1]), num(m[2]), num(m[3]), 'text');
  m = /^(\d{1,2})\s*[/.\-]\s*(\d{4})$/.exec(text);
  if (m) return build(text, Number(m[2]), num(m[1]), undefined, 'text');
  m = /^(\d{4})$/.exec(text);
  if (m) return build(text, Number(m[1]), undefined, undefined, 'text');
  if (/^\d+(\.\d+)?$/.test(text)) return fromExcelSerial(Number(text));
  // "ngày 5 tháng 3 năm 2009", "tháng 3/2009", "năm 2009", "05 tháng 03 năm 2009".
  m = /^(?:ngay\s*)?(?:(\d{1,2})\s*)?(?:thang\s*(\d{1,2})\s*)?(?:nam|\/)\s*(\d{4})$/.exec(folded);
  if (m && (m[1] === undefined || m[2] !== undefined) && /\b(ngay|thang|nam)\b/.test(folded)) return build(text, Number(m[3]), num(m[2]), num(m[1]), 'words');
  return problem('DATE_INVALID', text);
});

const pad = (n: number) => String(n).padStart(2, '0');

/** dd/mm/yyyy, mm/yyyy or yyyy: the forms the split writes and the registers use. */
export function formatCivilDate(d: PartialDate): string {
  if (d.day !== undefined && d.month !== undefined) return `${pad(d.day)}/${pad(d.month)}/${d.year}`;
  if (d.month !== undefined) return `${pad(d.month)}/${d.year}`;
  return String(d.year);
}

/** Orders two partial dates when they can be ordered (a year-only date is not before a day of that year). */
export function compareKnown(a: PartialDate, b: PartialDate): -1 | 0 | 1 | undefined {
  if (a.year !== b.year) return a.year < b.year ? -1 : 1;
  if (a.month === undefined || b.month === undefined) return undefined;
  if (a.month !== b.month) return a.month < b.month ? -1 : 1;
  if (a.day === undefined || b.day === undefined) return undefined;
  return a.day === b.day ? 0 : a.day < b.day ? -1 : 1;
}
