import fc from 'fast-check';
import Papa from 'papaparse';
import { isAppError } from '../errors';
import { parseScheduleCsv } from './schedule-csv';

const codeOf = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    if (isAppError(e)) return `${e.code}: ${e.messageVi}`;
    throw e;
  }
  throw new Error('expected a coded error');
};

test('a schedule saved by Excel as CSV (BOM, quoted place) is read by agency', () => {
  const csv = '\uFEFFMã cơ quan,Bắt đầu,Địa điểm\r\n00004,2030-02-03T08:00:00+07:00,"Phòng 2, Sở Tư pháp"\r\n00007, 2030-02-03T13:30:00+07:00 ,\r\n\r\n';
  expect(parseScheduleCsv(csv)).toEqual({
    '00004': { startsAt: '2030-02-03T08:00:00+07:00', place: 'Phòng 2, Sở Tư pháp' },
    '00007': { startsAt: '2030-02-03T13:30:00+07:00' },
  });
});

test('a line without its agency or its start, or a start that is no date, is refused with its line and code', () => {
  expect(codeOf(() => parseScheduleCsv('Mã cơ quan,Bắt đầu\n00004,2030-02-03T08:00:00+07:00\n00007,\n'))).toBe(
    'RUN_SCHEDULE_ROW_INCOMPLETE: Dòng 3 của lịch nhập thiếu "Mã cơ quan" hoặc "Bắt đầu" (các cột: Mã cơ quan, Bắt đầu, Địa điểm).',
  );
  expect(codeOf(() => parseScheduleCsv('Ma co quan,Bat dau\n00004,2030-02-03T08:00:00+07:00\n'))).toMatch(/^RUN_SCHEDULE_ROW_INCOMPLETE: Dòng 2 /);
  expect(codeOf(() => parseScheduleCsv('Mã cơ quan,Bắt đầu\n00004,sáng thứ hai\n'))).toBe(
    'RUN_SCHEDULE_TIME_INVALID: Lịch nhập của cơ quan 00004: "sáng thứ hai" không phải ngày giờ hợp lệ (ví dụ 2026-12-01T08:00:00+07:00).',
  );
});

test('any schedule written as CSV by papaparse comes back exactly, places in Vietnamese with commas, quotes and line breaks included', () => {
  const place = fc
    .string({ unit: fc.constantFrom(...'Phòng 203, Sở Tư pháp "tầng 2"\nđườngỨĐ'.split('')), maxLength: 30 })
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
  const slot = fc.record(
    { startsAt: fc.date({ min: new Date('2026-01-01'), max: new Date('2035-12-31'), noInvalidDate: true }).map((d) => d.toISOString()), place: place },
    { requiredKeys: ['startsAt'] },
  );
  fc.assert(
    fc.property(fc.dictionary(fc.stringMatching(/^[0-9]{5}$/), slot, { maxKeys: 20 }), (schedule) => {
      const rows = Object.entries(schedule).map(([code, s]) => ({ 'Mã cơ quan': code, 'Bắt đầu': s.startsAt, 'Địa điểm': s.place ?? '' }));
      const csv = `\uFEFF${Papa.unparse({ fields: ['Mã cơ quan', 'Bắt đầu', 'Địa điểm'], data: rows.map((r) => [r['Mã cơ quan'], r['Bắt đầu'], r['Địa điểm']]) })}`;
      expect(parseScheduleCsv(csv)).toEqual(schedule);
    }),
  );
});
