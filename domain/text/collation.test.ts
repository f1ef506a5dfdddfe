import fc from 'fast-check';
import { compareVietnamese } from './collation';
import { VIETNAMESE_WORDS } from './vietnamese-words.fixture';

test('letters in the Vietnamese alphabet order', () => {
  expect(['đào', 'dung', 'ân', 'ăn', 'an', 'ơn', 'ôn', 'on', 'ưu', 'uy', 'bảo', 'ê', 'em', 'gà'].sort(compareVietnamese)).toEqual([
    'an', 'ăn', 'ân', 'bảo', 'dung', 'đào', 'em', 'ê', 'gà', 'on', 'ôn', 'ơn', 'uy', 'ưu',
  ]);
});

test('tones: ngang, huyền, hỏi, ngã, sắc, nặng', () => {
  expect(['má', 'mạ', 'mà', 'mã', 'ma', 'mả'].sort(compareVietnamese)).toEqual(['ma', 'mà', 'mả', 'mã', 'má', 'mạ']);
});

test('letters decide before tones, and the tone is the syllable’s wherever it is written', () => {
  expect(['hoạ', 'hòa', 'hoàng', 'hoa'].sort(compareVietnamese)).toEqual(['hoa', 'hòa', 'hoạ', 'hoàng']);
  expect(['hoạ', 'hoà'].sort(compareVietnamese)).toEqual(['hoà', 'hoạ']);
  expect(Math.sign(compareVietnamese('hoà', 'hòa'))).not.toBe(0);
});

test('names sort as a Vietnamese reader expects: word by word, lower case first', () => {
  expect(['Trần Văn Ba', 'Đỗ Thị An', 'Nguyễn Văn Ân', 'Nguyễn Văn An', 'Dương Thị Hà', 'Nguyễn Vănh', 'nguyễn văn an'].sort(compareVietnamese)).toEqual([
    'Dương Thị Hà', 'Đỗ Thị An', 'nguyễn văn an', 'Nguyễn Văn An', 'Nguyễn Văn Ân', 'Nguyễn Vănh', 'Trần Văn Ba',
  ]);
  expect(['Phường A', 'Phường 2'].sort(compareVietnamese)).toEqual(['Phường 2', 'Phường A']);
});

test('a total order, equal only for equal NFC text (property)', () => {
  const text = fc.oneof(
    fc.array(fc.constantFrom(...VIETNAMESE_WORDS), { maxLength: 3 }).map((ws) => ws.join(' ')),
    fc.array(fc.constantFrom(...'aăâbdđeêoôơuưyAĐ àáảãạ1 '), { maxLength: 6 }).map((cs) => cs.join('')),
  );
  fc.assert(
    fc.property(text, text, text, (a, b, c) => {
      expect(Math.sign(compareVietnamese(a, b)) + Math.sign(compareVietnamese(b, a))).toBe(0);
      expect(compareVietnamese(a, b) === 0).toBe(a.normalize('NFC') === b.normalize('NFC'));
      if (compareVietnamese(a, b) <= 0 && compareVietnamese(b, c) <= 0) expect(compareVietnamese(a, c)).toBeLessThanOrEqual(0);
    }),
    { numRuns: 3000 },
  );
  expect(compareVietnamese('Nguye\u0302\u0303n', 'Nguyễn')).toBe(0);
});
