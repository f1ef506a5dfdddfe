import fc from 'fast-check';
import { formatBytes, formatCalendarDate, formatDate, formatDateTime, formatNumber } from './format';

test('a calendar date (a decision of the People\'s Committee) is written dd/mm/yyyy whatever the time zone', () => {
  expect(formatCalendarDate('2025-06-15')).toBe('15/06/2025');
  expect(formatCalendarDate('')).toBe('');
});

test('dates are written dd/mm/yyyy and times HH:mm, in local time', () => {
  expect(formatDate(new Date(2009, 0, 5, 23, 59))).toBe('05/01/2009');
  expect(formatDateTime(new Date(2026, 11, 31, 7, 3))).toBe('31/12/2026 07:03');
  fc.assert(
    fc.property(fc.date({ min: new Date(1900, 0, 1), max: new Date(2100, 11, 31), noInvalidDate: true }), (d) => {
      const [day, month, year] = formatDate(d).split('/').map(Number);
      expect(new Date(year!, month! - 1, day!).toDateString()).toBe(d.toDateString());
    }),
  );
});

test('numbers are grouped as each language groups them', () => {
  expect(formatNumber(1234567, 'vi')).toBe('1.234.567');
  expect(formatNumber(1234567, 'en')).toBe('1,234,567');
  expect(formatBytes(5 * 1024 * 1024 + 512 * 1024, 'vi')).toBe('5,5 MB');
  expect(formatBytes(512, 'en')).toBe('512 B');
});
