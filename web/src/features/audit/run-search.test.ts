import fc from 'fast-check';
import { dayOfTyped, paramsOf, runListQuery, runSearchOf, typedOfDay } from './run-search';

test('a day typed dd/mm/yyyy is the calendar day it names, and nothing else is a day', () => {
  expect(dayOfTyped('05/03/2026')).toBe('2026-03-05');
  expect(dayOfTyped(' 5/3/2026 ')).toBe('2026-03-05');
  for (const wrong of ['31/02/2026', '29/02/2025', '2026-03-05', '05/03/26', '00/01/2026', '']) expect([wrong, dayOfTyped(wrong)]).toEqual([wrong, undefined]);
  fc.assert(
    fc.property(fc.date({ min: new Date(Date.UTC(1900, 0, 1)), max: new Date(Date.UTC(2100, 11, 31)), noInvalidDate: true }), (d) => {
      const ymd = d.toISOString().slice(0, 10);
      expect(dayOfTyped(typedOfDay(ymd))).toBe(ymd);
    }),
  );
});

test("the API is asked for the days in Việt Nam's time, the last one included", () => {
  const q = new URL(runListQuery({ province: '01', kind: 'agency', phase: 'in_review', from: '2026-03-05', to: '2026-03-05' }, { limit: 50 }), 'http://x').searchParams;
  expect(Object.fromEntries(q)).toEqual({
    province: '01',
    kind: 'agency',
    phase: 'in_review',
    from: '2026-03-04T17:00:00.000Z',
    before: '2026-03-05T17:00:00.000Z',
    limit: '50',
  });
});

test('a search read from the address keeps only what names a kind, a status and a phase of that kind', () => {
  expect(runSearchOf(new URLSearchParams('kind=nonsense&phase=in_review&status=Sleeping&agency=00376'))).toEqual({ agency: '00376' });
  const s = { province: '01', agency: '00376', kind: 'agency' as const, phase: 'in_review', status: 'Running' as const, from: '2026-03-01', to: '2026-03-31' };
  expect(runSearchOf(paramsOf(s))).toEqual(s);
});
