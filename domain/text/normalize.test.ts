import fc from 'fast-check';
import { stripDiacritics } from './normalize';
import { VIETNAMESE_WORDS } from './vietnamese-words.fixture';

/** The definition: decompose, drop every mark, đ/Đ as d/D, compose again. */
const decomposed = (s: string) => s.normalize('NFD').replace(/\p{M}/gu, '').replace(/đ/g, 'd').replace(/Đ/g, 'D').normalize('NFC');

test('diacritics are stripped as decomposing and dropping the marks strips them, whatever the text (property)', () => {
  const text = fc.oneof(
    fc.array(fc.constantFrom(...VIETNAMESE_WORDS, 'ĐỖ', 'Ø', 'ß', 'Å', '\u212b', 'e\u0301', '\u0340', '©', '\u00a0', '1'), { maxLength: 6 }).map((ws) => ws.join(' ')),
    fc.string({ unit: 'binary' }),
    fc.string({ unit: fc.integer({ min: 0x80, max: 0x1f00 }).map((c) => String.fromCharCode(c)) }),
  );
  fc.assert(
    fc.property(text, (s) => {
      expect(stripDiacritics(s)).toBe(decomposed(s));
    }),
    { numRuns: 20_000 },
  );
  expect(stripDiacritics('Nguyễn Thị Ánh Đào')).toBe('Nguyen Thi Anh Dao');
});
