/**
 * The schedule of a release as the table edits it: a date and time per agency, written as
 * Vietnamese officials write them (dd/mm/yyyy hh:mm, the browser's local time, whatever the
 * browser's own language), and a place. Sent as ISO 8601 with the browser's UTC offset, the way
 * the CSV writes it (2030-02-03T08:00:00+07:00). Pure.
 */
import type { AgencySchedule } from '../../lib/api-types';
import { formatDateTime } from '../../lib/format';

export interface ScheduleEntry {
  /** dd/mm/yyyy hh:mm as typed; empty: no slot. */
  text: string;
  place: string;
}

const two = (n: number) => String(Math.abs(n)).padStart(2, '0');
const DATE_TIME = /^(\d{1,2})\/(\d{1,2})\/(\d{4})\s+(\d{1,2})[:h](\d{2})$/;

/** The local instant a dd/mm/yyyy hh:mm text names; undefined when it names none (31/02, 25:00, another shape). */
export function parseDateTime(text: string): Date | undefined {
  const m = DATE_TIME.exec(text.trim());
  if (!m) return undefined;
  const [day, month, year, hour, minute] = m.slice(1).map(Number) as [number, number, number, number, number];
  const d = new Date(year, month - 1, day, hour, minute);
  const same = d.getFullYear() === year && d.getMonth() === month - 1 && d.getDate() === day && d.getHours() === hour && d.getMinutes() === minute;
  return same ? d : undefined;
}

/** ISO 8601 to the minute, with the UTC offset the browser had at that moment. */
export function isoWithOffset(d: Date): string {
  const offset = -d.getTimezoneOffset();
  const date = `${d.getFullYear()}-${two(d.getMonth() + 1)}-${two(d.getDate())}T${two(d.getHours())}:${two(d.getMinutes())}:00`;
  return `${date}${offset >= 0 ? '+' : '-'}${two(Math.trunc(offset / 60))}:${two(offset % 60)}`;
}

/** What the release sends (the agencies given a slot; a place only goes with its slot), and the agencies whose text names no time. */
export function schedulesOf(entries: ReadonlyMap<string, ScheduleEntry>): { schedules: Record<string, AgencySchedule>; unreadable: string[] } {
  const schedules: Record<string, AgencySchedule> = {};
  const unreadable: string[] = [];
  for (const [code, e] of entries) {
    if (!e.text.trim()) continue;
    const at = parseDateTime(e.text);
    if (!at) {
      unreadable.push(code);
      continue;
    }
    const place = e.place.trim();
    schedules[code] = { startsAt: isoWithOffset(at), ...(place ? { place } : {}) };
  }
  return { schedules, unreadable };
}

/** The table's entries with a read schedule laid over them, its times written dd/mm/yyyy hh:mm. */
export function withSchedule(entries: ReadonlyMap<string, ScheduleEntry>, schedule: Record<string, AgencySchedule>): Map<string, ScheduleEntry> {
  const next = new Map(entries);
  for (const [code, s] of Object.entries(schedule)) next.set(code, { text: formatDateTime(s.startsAt), place: s.place ?? '' });
  return next;
}
