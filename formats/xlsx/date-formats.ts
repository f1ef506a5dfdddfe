/**
 * Which cell formats show a number as a date or a time. A workbook of the 1904 date system
 * (Excel for Mac before 2011, and any workbook saved with that option) counts such numbers in
 * days from 1 January 1904 instead of from 1900; the readers move them to the 1900 system, the
 * one every reader of a serial in this code (domain/dates/civil-date.ts) counts in, so that a
 * date comes out the same whichever system its workbook kept.
 */

/** Days from the 1900 system's day 0 to the 1904 system's (1 January 1904 is 1462 in the first, 0 in the second). */
export const DAYS_1900_TO_1904 = 1462;

/**
 * Excel's built-in formats that show dates or times: 14–22 and 45–47 everywhere, 27–36 and
 * 50–58 in East Asian versions of Excel, 71–81 in the Thai version.
 */
const BUILT_IN_DATE_FORMATS = new Set([14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54, 55, 56, 57, 58, 71, 72, 73, 74, 75, 76, 77, 78, 79, 80, 81]);

/**
 * Whether a format code shows a date or a time: a day, month, year, hour, minute, second or era
 * letter outside what the code shows as it is (quoted text, an escaped character, the
 * character after "_" or "*"), outside a bracketed colour, condition or locale, and outside a
 * number's digits and exponent ("0.00E+00" is no era).
 */
export function isDateFormatCode(code: string): boolean {
  const letters = code
    .replace(/"[^"]*"?|\\.|[_*]./g, '')
    .replace(/\[(?:h+|m+|s+)\]/gi, 'h')
    .replace(/\[[^\]]*\]?/g, '')
    .replace(/general/gi, '')
    .replace(/[0#?][0#?.,+\-%]*(?:e[+-][0#?]+)?/gi, '');
  return /[bdeghmsy]|a\/p|am\/pm/i.test(letters);
}

/** Whether a cell format (its number format id, and the workbook's own format codes by id) shows a date or a time. */
export function isDateFormat(id: number, codes: ReadonlyMap<number, string>): boolean {
  const code = codes.get(id);
  return code !== undefined ? isDateFormatCode(code) : BUILT_IN_DATE_FORMATS.has(id);
}
