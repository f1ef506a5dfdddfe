import fc from 'fast-check';
import { columnLetter, isBlankCell, isBlankRow } from './cell-conservation';

test('a blank cell is empty or white space only (as String.prototype.trim and collapseSpaces read it), whatever the text (property)', () => {
  const spaces = [' ', '\t', '\n', '\r', '\v', '\f', '\u00a0', '\u1680', '\u2000', '\u200a', '\u200b', '\u2028', '\u2029', '\u202f', '\u205f', '\u3000', '\ufeff'];
  const text = fc.oneof(fc.array(fc.constantFrom(...spaces, 'a', 'ễ', '0', '\u0301', '\u180e'), { maxLength: 6 }).map((cs) => cs.join('')), fc.string({ unit: 'binary' }));
  fc.assert(
    fc.property(text, (s) => {
      expect(isBlankCell(s)).toBe(s.replace(/\u200b/g, '').trim() === '');
    }),
    { numRuns: 5_000 },
  );
  expect([null, undefined, '', ' \r\n'].map(isBlankCell)).toEqual([true, true, true, true]);
  expect([0, false, 'không', new Date(0)].map(isBlankCell)).toEqual([false, false, false, false]);
  expect(isBlankRow([null, ' ', '\u00a0'])).toBe(true);
  expect(isBlankRow([null, 0])).toBe(false);
});

test('columns are named as a spreadsheet names them', () => {
  expect([0, 25, 26, 51, 52, 701, 702, 16_383].map(columnLetter)).toEqual(['A', 'Z', 'AA', 'AZ', 'BA', 'ZZ', 'AAA', 'XFD']);
});
