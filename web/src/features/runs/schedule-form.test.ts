import fc from 'fast-check';
import { formatDateTime } from '../../lib/format';
import { isoWithOffset, parseDateTime, schedulesOf, withSchedule } from './schedule-form';

test('a time written dd/mm/yyyy hh:mm is read back to the minute, and goes out as ISO 8601 with its offset', () => {
  fc.assert(
    fc.property(fc.date({ min: new Date(2026, 0, 1), max: new Date(2035, 11, 31), noInvalidDate: true }), (d) => {
      const minute = new Date(d.getFullYear(), d.getMonth(), d.getDate(), d.getHours(), d.getMinutes());
      const read = parseDateTime(formatDateTime(minute));
      expect(read?.getTime()).toBe(minute.getTime());
      const iso = isoWithOffset(read!);
      expect(iso).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:00[+-]\d{2}:\d{2}$/);
      expect(Date.parse(iso)).toBe(minute.getTime());
    }),
  );
});

test('only real days and times are read: no 31/02, no 24:00, no month first, no other shape', () => {
  expect(parseDateTime('3/2/2030 8:00')?.getTime()).toBe(new Date(2030, 1, 3, 8, 0).getTime());
  expect(parseDateTime(' 03/02/2030 08h30 ')?.getTime()).toBe(new Date(2030, 1, 3, 8, 30).getTime());
  for (const text of ['31/02/2030 08:00', '03/13/2030 08:00', '03/02/2030 24:00', '03/02/2030', '2030-02-03T08:00', 'sáng thứ hai', '03/02/30 08:00']) expect([text, parseDateTime(text)]).toEqual([text, undefined]);
});

test('only agencies given a readable slot are scheduled, the unreadable named; a place goes with its slot; a CSV schedule fills the table', () => {
  const table = new Map([
    ['00004', { text: '03/02/2030 08:00', place: ' Phòng 2, Sở Tư pháp ' }],
    ['00007', { text: '', place: 'Phòng 3' }],
    ['00010', { text: '04/02/2030 13:30', place: '' }],
    ['00013', { text: '30/02/2030 13:30', place: '' }],
  ]);
  const { schedules, unreadable } = schedulesOf(table);
  expect(schedules).toEqual({
    '00004': { startsAt: isoWithOffset(new Date(2030, 1, 3, 8, 0)), place: 'Phòng 2, Sở Tư pháp' },
    '00010': { startsAt: isoWithOffset(new Date(2030, 1, 4, 13, 30)) },
  });
  expect(unreadable).toEqual(['00013']);
  const filled = withSchedule(table, { '00007': { startsAt: new Date(2030, 1, 5, 9, 15).toISOString(), place: 'Hội trường' } });
  expect(filled.get('00007')).toEqual({ text: '05/02/2030 09:15', place: 'Hội trường' });
  expect(filled.get('00004')).toEqual(table.get('00004'));
});
