import fc from 'fast-check';
import { compareVietnamese } from './collation';
import { foldKey } from './normalize';

test('letters in the Vietnamese alphabet order', () => {
  expect(['đào', 'dung', 'ân', 'ăn', 'an', 'ơn', 'ôn', 'on', 'ưu', 'uy', 'bảo'].sort(compareVietnamese)).toEqual(['an', 'ăn', 'ân', 'bảo', 'dung', 'đào', 'on', 'ôn', 'ơn', 'uy', 'ưu']);
});

test('tones: ngang, huyền, hỏi, ngã, sắc, nặng', () => {
  expect(['má', 'mạ', 'mà', 'mã', 'ma', 'mả'].sort(compareVietnamese)).toEqual(['ma', 'mà', 'mả', 'mã', 'má', 'mạ']);
});

test('names sort as a Vietnamese reader expects', () => {
  expect(['Trần Văn Ba', 'Đỗ Thị An', 'Nguyễn Văn Ân', 'Nguyễn Văn An', 'Dương Thị Hà'].sort(compareVietnamese)).toEqual([
    'Dương Thị Hà', 'Đỗ Thị An', 'Nguyễn Văn An', 'Nguyễn Văn Ân', 'Trần Văn Ba',
  ]);
});

test('a total order consistent with equality (property)', () => {
  const word = fc.array(fc.constantFrom(...'aăâbcdđeêghiklmnoôơpqrstuưvxyàáảãạằắẳẵặầấẩẫậèéẻẽẹềếểễệìíỉĩịòóỏõọồốổỗộờớởỡợùúủũụừứửữựỳýỷỹỵ AĐ'), { maxLength: 8 }).map((cs) => cs.join(''));
  fc.assert(
    fc.property(word, word, word, (a, b, c) => {
      expect(Math.sign(compareVietnamese(a, b)) + Math.sign(compareVietnamese(b, a))).toBe(0);
      expect(compareVietnamese(a, b) === 0).toBe(a === b);
      if (compareVietnamese(a, b) <= 0 && compareVietnamese(b, c) <= 0) expect(compareVietnamese(a, c)).toBeLessThanOrEqual(0);
    }),
  );
});

test('search keys ignore accents, case and the two tone placements', () => {
  expect(foldKey('Nguyễn Thị Hoà')).toBe(foldKey('nguyen thi hòa'));
  expect(foldKey('  Đỗ   Thuỷ ')).toBe('do thuy');
});
