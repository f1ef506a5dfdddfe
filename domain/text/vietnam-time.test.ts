import { vietnamTime } from './vietnam-time';

test("an instant is written dd/mm/yyyy hh:mm in Vietnam's time (UTC+7), across a day's and a year's end", () => {
  expect(vietnamTime('2026-12-07T00:26:37.352Z')).toBe('07/12/2026 07:26');
  expect(vietnamTime('2026-12-31T17:05:00Z')).toBe('01/01/2027 00:05');
  expect(vietnamTime('2025-06-30T23:59:59+07:00')).toBe('30/06/2025 23:59');
  // Not an instant: left as written rather than made up.
  expect(vietnamTime('không rõ')).toBe('không rõ');
  expect(vietnamTime('2026-12-07T03:48:53.618Z', { seconds: true })).toBe('07/12/2026 10:48:53');
});
