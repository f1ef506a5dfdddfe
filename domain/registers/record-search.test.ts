import fc from 'fast-check';
import { recordSearchText, searchWords } from './record-search';

test('a record is found by its words without accents or case, numbers included, dates left to date matching', () => {
  const text = recordSearchText({ name: 'Nguyễn Văn Ánh', registrationNumber: '125/BS', bookYear: 2010, dateOfBirth: { year: 2010, month: 3, day: 5 }, reRegistration: true });
  expect(text).toBe('nguyen van anh 125 bs 2010');
  const { words, dates } = searchWords('  NGUYEN  ánh 125/bs 05/03/2010 ');
  expect(words).toEqual(['nguyen', 'anh', '125', 'bs']);
  expect(dates).toEqual([{ day: 5, month: 3, year: 2010 }]);
  for (const w of words) expect(text).toContain(w);
});

test('the letter đ and decomposed input fold like the stored text', () => {
  const stored = recordSearchText({ name: 'Đỗ Thị Hoà' });
  const { words } = searchWords('do thi hoa'.normalize('NFD'));
  expect(stored).toBe('do thi hoa');
  expect(words.every((w) => stored.includes(w))).toBe(true);
  expect(searchWords('Hòa').words).toEqual(['hoa']);
});


test('any query folds to words a stored text of the same words holds, and its dates to numbers', () => {
  fc.assert(
    fc.property(fc.string({ unit: 'grapheme', maxLength: 60 }), (query) => {
      const { words, dates } = searchWords(query);
      const stored = recordSearchText({ text: query });
      for (const w of words) {
        expect(w).not.toMatch(/\s/);
        expect(` ${stored} `).toContain(w);
      }
      for (const d of dates) for (const n of [d.day, d.month, d.year]) expect(Number.isSafeInteger(n)).toBe(true);
    }),
  );
});
