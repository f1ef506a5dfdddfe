import fc from 'fast-check';
import { canonicalToneKey } from './tone-placement';
import { VIETNAMESE_WORDS } from './vietnamese-words.fixture';

test.each([
  ['Hoà', 'hòa'],
  ['Thuỷ', 'thủy'],
  ['khoẻ', 'khỏe'],
  ['qúy', 'quý'],
  ['Xã Hoà An', 'xã  Hòa   an'],
  ['THANH HOÁ', 'Thanh Hóa'],
])('%s and %s share a key', (a, b) => {
  expect(canonicalToneKey(a)).toBe(canonicalToneKey(b));
});

test.each([
  ['Hòa', 'Hóa'],
  ['Hòa', 'Hoa'],
  ['Thủy', 'Thúy'],
  ['Lan', 'Lân'],
])('%s and %s do not', (a, b) => {
  expect(canonicalToneKey(a)).not.toBe(canonicalToneKey(b));
});

test('the key is NFC, lower case, spaces collapsed; words that are no syllables are only lower-cased', () => {
  expect(canonicalToneKey(' Nguye\u0302\u0303n  Thị Hoà ')).toBe('nguyễn thị hòa');
  expect(canonicalToneKey("H'Mông Ksor")).toBe("h'mông ksor");
});

/** The fixture's words written in both placements. */
const PLACEMENT_PAIRS = [['hòa', 'hoà'], ['hóa', 'hoá'], ['hỏa', 'hoả'], ['khỏe', 'khoẻ'], ['hòe', 'hoè'], ['thủy', 'thuỷ'], ['thúy', 'thuý'], ['thụy', 'thuỵ'], ['lũy', 'luỹ'], ['hủy', 'huỷ']];

test('over the fixture, two words share a key exactly when they are one word in two placements or two cases (property)', () => {
  const spelling = (w: string) => {
    const lower = w.toLowerCase();
    return PLACEMENT_PAIRS.find((pair) => pair.includes(lower))?.[0] ?? lower;
  };
  fc.assert(
    fc.property(fc.constantFrom(...VIETNAMESE_WORDS), fc.constantFrom(...VIETNAMESE_WORDS), (a, b) => {
      expect(canonicalToneKey(a) === canonicalToneKey(b)).toBe(spelling(a) === spelling(b));
    }),
    { numRuns: 5000 },
  );
  for (const [a, b] of PLACEMENT_PAIRS) expect(canonicalToneKey(a!)).toBe(canonicalToneKey(b!));
});
