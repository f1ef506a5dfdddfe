/**
 * An import schedule as a coordinator keeps it in a spreadsheet: a CSV with the columns
 * "Mã cơ quan", "Bắt đầu" (ISO 8601, e.g. 2026-12-01T08:00:00+07:00) and "Địa điểm". Pure: the
 * CLI reads the file, the web page the upload; the province run checks the result again when
 * it is released (the same codes: an unknown agency, a start that is not a date and time).
 */
import Papa from 'papaparse';
import { defineError } from '../errors';
import type { AgencySchedule } from './province-run';
import { ScheduleTimeInvalid } from './run-errors';

export const SCHEDULE_COLUMNS = { agency: 'Mã cơ quan', startsAt: 'Bắt đầu', place: 'Địa điểm' } as const;

export const ScheduleRowIncomplete = defineError<{ line: number }>(
  'RUN_SCHEDULE_ROW_INCOMPLETE',
  'validation',
  (p) => `schedule line ${p.line} lacks the agency code or the start`,
  (p) => `Dòng ${p.line} của lịch nhập thiếu "${SCHEDULE_COLUMNS.agency}" hoặc "${SCHEDULE_COLUMNS.startsAt}" (các cột: ${Object.values(SCHEDULE_COLUMNS).join(', ')}).`,
);

/** The schedule a CSV holds, by agency code; a later line of the same agency replaces an earlier one. */
export function parseScheduleCsv(text: string): Record<string, AgencySchedule> {
  const rows = Papa.parse<Record<string, string | undefined>>(text.replace(/^\uFEFF/, ''), { header: true, skipEmptyLines: true }).data;
  const schedules: Record<string, AgencySchedule> = {};
  for (const [i, r] of rows.entries()) {
    const agency = r[SCHEDULE_COLUMNS.agency]?.trim();
    const startsAt = r[SCHEDULE_COLUMNS.startsAt]?.trim();
    const place = r[SCHEDULE_COLUMNS.place]?.trim();
    // Line 1 is the header.
    if (!agency || !startsAt) throw ScheduleRowIncomplete({ line: i + 2 });
    if (Number.isNaN(Date.parse(startsAt))) throw ScheduleTimeInvalid({ agency, value: startsAt });
    schedules[agency] = { startsAt, ...(place ? { place } : {}) };
  }
  return schedules;
}
