import { isVietnameseSyllable, parseSyllable, splitTone } from './vietnamese-syllable';
import { VIETNAMESE_WORDS } from './vietnamese-words.fixture';

test('every word of the fixture, in any case, is a syllable', () => {
  const rejected = VIETNAMESE_WORDS.flatMap((w) => [w, w.toLowerCase(), w.toUpperCase()]).filter((w) => !isVietnameseSyllable(w));
  expect(rejected).toEqual([]);
});

test.each([
  ['Nguyễn', { initial: 'ng', vowels: 'uyê', final: 'n', tone: 'nga' }],
  ['GIƯỜNG', { initial: 'gi', vowels: 'ươ', final: 'ng', tone: 'huyen' }],
  ['gìn', { initial: 'g', vowels: 'i', final: 'n', tone: 'huyen' }],
  ['quốc', { initial: 'qu', vowels: 'ô', final: 'c', tone: 'sac' }],
  ['khuỷu', { initial: 'kh', vowels: 'uyu', final: '', tone: 'hoi' }],
  ['hoà', { initial: 'h', vowels: 'oa', final: '', tone: 'huyen' }],
  ['hòa', { initial: 'h', vowels: 'oa', final: '', tone: 'huyen' }],
  ['Ô', { initial: '', vowels: 'ô', final: '', tone: 'ngang' }],
])('%s', (word, expected) => {
  expect(parseSyllable(word)).toEqual(expected);
});

test.each([
  ['café', 'f is no Vietnamese initial'],
  ['Müller', 'foreign letter'],
  ['Nguyeãn', 'VNI mojibake'],
  ['Vaên', 'VNI mojibake'],
  ['tèt', 'a stop final takes only sắc or nặng'],
  ['ă', 'ă needs a final consonant'],
  ['ach', 'ch closes only a, ê, i, oa, uê, uy'],
  ['gìa', 'tone on the i of gi'],
  ['eó', 'tone on the second vowel of eo'],
  ['tiê', 'iê needs a final consonant'],
  ['hóà', 'two tone marks'],
  ['Ksor', 'not a Vietnamese spelling'],
  ['', 'empty'],
])('%s is no syllable (%s)', (word) => {
  expect(isVietnameseSyllable(word)).toBe(false);
});

test('a tone placement neither spelling uses is accepted only on request', () => {
  expect(parseSyllable('gịa')).toBeUndefined();
  expect(parseSyllable('gịa', { anyTonePlacement: true })).toEqual({ initial: 'gi', vowels: 'a', final: '', tone: 'nang' });
});

test('splitTone finds the tone and the letter carrying it, in any Unicode form', () => {
  expect(splitTone('Nguye\u0302\u0303n')).toEqual({ letters: 'Nguyên', tone: 'nga', toneAt: 4 });
  expect(splitTone('ệ')).toEqual({ letters: 'ê', tone: 'nang', toneAt: 0 });
  expect(splitTone('hóà')).toBeUndefined();
});
