/**
 * A sheet with no book-year column but with registration dates: a register book is opened per
 * year, so each row's book year is the year of its registration date (a month or a year alone
 * is enough). A row whose date gives no year cannot be put in a book.
 */
import { defineError } from '../errors';
import type { Problem, RecordValues } from '../registers/validate-record';

/** What the split's "Ghi chú khi tách" and the imported record's notes say of a derived book year. */
export const BOOK_YEAR_FROM_DATE_VI = 'Năm đăng ký lấy từ ngày đăng ký';

export const BookYearUnknown = defineError(
  'BOOK_YEAR_UNKNOWN',
  'validation',
  () => 'no book-year column and the registration date gives no year',
  () => 'Năm đăng ký: trang không có cột "Năm đăng ký" và ngày đăng ký của dòng để trống hoặc không cho biết năm.',
);

export const BOOK_YEAR_UNKNOWN: Problem = { field: 'bookYear', code: BookYearUnknown.code, severity: 'error', messageVi: BookYearUnknown.vietnamese({}) };

/** The year of a parsed registration date; none for an empty, unreadable, lunar or unknown one. */
export function yearOfDate(value: RecordValues[string]): number | undefined {
  return typeof value === 'object' && value !== null && 'year' in value ? value.year : undefined;
}
