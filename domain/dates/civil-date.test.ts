import fc from 'fast-check';
import { compareKnown, formatCivilDate, fromExcelSerial, parseCivilDate, daysInMonth, type PartialDate } from './civil-date';

describe('parseCivilDate', () => {
  test.each([
    ['05/03/2009', { year: 2009, month: 3, day: 5 }, 'full'],
    ['5/3/2009', { year: 2009, month: 3, day: 5 }, 'full'],
    ['05-03-2009', { year: 2009, month: 3, day: 5 }, 'full'],
    ['05.03.2009', { year: 2009, month: 3, day: 5 }, 'full'],
    ['2009-03-05', { year: 2009, month: 3, day: 5 }, 'full'],
    ['03/2009', { year: 2009, month: 3 }, 'month'],
    ['2009', { year: 2009 }, 'year'],
    ['ngày 5 tháng 3 năm 2009', { year: 2009, month: 3, day: 5 }, 'full'],
    ['Ngày 05 tháng 03 năm 2009', { year: 2009, month: 3, day: 5 }, 'full'],
    ['tháng 3 năm 2009', { year: 2009, month: 3 }, 'month'],
    ['năm 2009', { year: 2009 }, 'year'],
    ['29/02/2000', { year: 2000, month: 2, day: 29 }, 'full'],
  ])('%s', (text, date, form) => {
    expect(parseCivilDate(text)).toMatchObject({ ok: true, date, form });
  });

  test.each([
    ['31/02/2009', 'DATE_INVALID'],
    ['29/02/1900', 'DATE_INVALID'],
    ['13/2009', 'DATE_INVALID'],
    ['5/3/09', 'DATE_AMBIGUOUS_YEAR'],
    ['không rõ', 'DATE_UNKNOWN'],
    ['Không rõ', 'DATE_UNKNOWN'],
    ['mùng 5 tháng Giêng năm Kỷ Sửu (âm lịch)', 'DATE_LUNAR'],
    ['1700', 'DATE_OUT_OF_RANGE'],
    ['hôm qua', 'DATE_INVALID'],
  ])('%s is refused as %s, keeping the text', (text, problem) => {
    expect(parseCivilDate(text)).toEqual({ ok: false, problem, text, messageVi: expect.any(String) });
  });

  test('Excel serials, including the 1900 leap-year bug', () => {
    expect(fromExcelSerial(39877)).toMatchObject({ ok: true, date: { year: 2009, month: 3, day: 5 }, from: 'serial' });
    expect(fromExcelSerial(1)).toMatchObject({ ok: true, date: { year: 1900, month: 1, day: 1 } });
    expect(fromExcelSerial(59)).toMatchObject({ ok: true, date: { year: 1900, month: 2, day: 28 } });
    expect(fromExcelSerial(60)).toMatchObject({ ok: false, problem: 'DATE_INVALID' });
    expect(fromExcelSerial(61)).toMatchObject({ ok: true, date: { year: 1900, month: 3, day: 1 } });
    expect(parseCivilDate(39877)).toMatchObject({ ok: true, date: { year: 2009, month: 3, day: 5 } });
    expect(parseCivilDate('39877')).toMatchObject({ ok: true, date: { year: 2009, month: 3, day: 5 } });
    // A bare year in a numeric cell stays a year.
    expect(parseCivilDate(2009)).toEqual({ ok: true, date: { year: 2009 }, form: 'year', from: 'text' });
    // Past JavaScript's last date (275760): was a date of NaN/NaN/NaN, stored as one.
    expect(parseCivilDate(100025570)).toMatchObject({ ok: false, problem: 'DATE_OUT_OF_RANGE' });
    expect(parseCivilDate('100025570')).toMatchObject({ ok: false, problem: 'DATE_OUT_OF_RANGE' });
  });

  test('empty cells are no date, not an error', () => {
    expect(parseCivilDate('')).toBeNull();
    expect(parseCivilDate('   ')).toBeNull();
    expect(parseCivilDate(null)).toBeNull();
  });
});

const partialDate = fc
  .record({ year: fc.integer({ min: 1800, max: 2100 }), month: fc.option(fc.integer({ min: 1, max: 12 }), { nil: undefined }), withDay: fc.boolean(), dayFraction: fc.double({ min: 0, max: 0.999, noNaN: true }) })
  .map(({ year, month, withDay, dayFraction }): PartialDate => {
    if (month === undefined) return { year };
    return withDay ? { year, month, day: 1 + Math.floor(dayFraction * daysInMonth(year, month)) } : { year, month };
  });

describe('properties', () => {
  test('parsing never invents a day or a month', () => {
    fc.assert(
      fc.property(fc.string(), (s) => {
        const r = parseCivilDate(s);
        if (r?.ok && r.from !== 'serial') {
          const digits = s.match(/\d+/g) ?? [];
          if (r.date.day !== undefined) expect(digits.length).toBeGreaterThanOrEqual(3);
          if (r.date.month !== undefined) expect(digits.length).toBeGreaterThanOrEqual(2);
        }
      }),
      { numRuns: 2000 },
    );
    fc.assert(
      fc.property(partialDate, (d) => {
        const r = parseCivilDate(formatCivilDate(d));
        expect(r).toMatchObject({ ok: true, date: d });
        expect(r!.ok && Object.keys(r!.date).sort()).toEqual(Object.keys(d).filter((k) => d[k as keyof PartialDate] !== undefined).sort());
      }),
    );
  });

  test('written in words, the same date', () => {
    fc.assert(
      fc.property(partialDate, (d) => {
        const words = `${d.day !== undefined ? `ngày ${d.day} ` : ''}${d.month !== undefined ? `tháng ${d.month} ` : ''}năm ${d.year}`;
        expect(parseCivilDate(words)).toMatchObject({ ok: true, date: d, from: 'words' });
      }),
    );
  });

  test('compareKnown never orders what is not known', () => {
    expect(compareKnown({ year: 2009 }, { year: 2009, month: 3, day: 5 })).toBeUndefined();
    expect(compareKnown({ year: 2008 }, { year: 2009, month: 3, day: 5 })).toBe(-1);
    expect(compareKnown({ year: 2009, month: 3, day: 6 }, { year: 2009, month: 3, day: 5 })).toBe(1);
  });
});
