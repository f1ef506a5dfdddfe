import fc from 'fast-check';
import { parseRowValues } from '../profiles/cell-values';
import { fieldsOf } from '../registers/register-types';
import { fullName } from '../synthetic/names';
import { createRandom } from '../synthetic/random';
import {
  decodeTcvn3,
  decodeVni,
  detectLegacyEncoding,
  encodeTcvn3,
  encodeVni,
  legacyWordEncoding,
  repairCellText,
  repairVietnamese,
  wordsOf,
  type LegacyTable,
} from './legacy-encoding';
import { collapseSpaces } from './normalize';
import { VIETNAMESE_WORDS } from './vietnamese-words.fixture';

/** Every precomposed Vietnamese letter beyond ASCII: 66 toned or marked vowels and đ, in both cases. */
const LOWER = [
  ...[...'aăâeêioôơuưy'].flatMap((v) => ['', '\u0300', '\u0301', '\u0309', '\u0303', '\u0323'].map((t) => `${v}${t}`.normalize('NFC'))).filter((c) => !/^[aeiouy]$/.test(c)),
  'đ',
];
const UPPER = LOWER.map((c) => c.toUpperCase());
const LETTERS = [...LOWER, ...UPPER];

test('the alphabet: 134 letters beyond ASCII', () => {
  expect(new Set(LETTERS).size).toBe(134);
});

describe('every Vietnamese letter round-trips: encode, then repair gives back the original', () => {
  test.each(LETTERS)('VNI %s', (c) => {
    const text = c === c.toLowerCase() ? `Nguyễn Văn ${c}` : `NGUYỄN VĂN ${c}`;
    expect(repairVietnamese(encodeVni(text))).toEqual({ text, original: encodeVni(text), encoding: 'vni' });
    expect(decodeVni(encodeVni(c))).toBe(c);
  });

  // TCVN3 has no toned capitals: .VnTimeH text holds their lower-case codes, read back as capitals in capital text.
  test.each(LETTERS)('TCVN3 %s', (c) => {
    const text = c === c.toLowerCase() ? `Nguyễn Văn ${c}` : `NGUYỄN VĂN ${c}`;
    expect(repairVietnamese(encodeTcvn3(text))).toEqual({ text, original: encodeTcvn3(text), encoding: 'tcvn3' });
  });

  test('TCVN3 has one byte for each lower-case letter and for Ă Â Ê Ô Ơ Ư Đ', () => {
    for (const c of [...LOWER, ...'ĂÂÊÔƠƯĐ']) {
      expect(encodeTcvn3(c)).toHaveLength(1);
      expect(decodeTcvn3(encodeTcvn3(c))).toBe(c);
    }
    expect(new Set([...LOWER, ...'ĂÂÊÔƠƯĐ'].map(encodeTcvn3)).size).toBe(74);
  });
});

test.each([
  ['NguyÔn V¨n An', 'Nguyễn Văn An', 'tcvn3'],
  ['Hµ Néi', 'Hà Nội', 'tcvn3'],
  ['X· Hoµ An, huyÖn Phó Hoµ', 'Xã Hoà An, huyện Phú Hoà', 'tcvn3'],
  ['NGUYÔN V¡N AN', 'NGUYỄN VĂN AN', 'tcvn3'],
  ['Nguyeãn Vaên An', 'Nguyễn Văn An', 'vni'],
  ['Tröông Thò Hoa', 'Trương Thị Hoa', 'vni'],
  ['Ñaøo Ngoïc Laâm', 'Đào Ngọc Lâm', 'vni'],
  ['NGUYEÃN VAÊN AN', 'NGUYỄN VĂN AN', 'vni'],
  ['NGUYEãN VAêN AN', 'NGUYỄN VĂN AN', 'vni'],
])('%s → %s (%s)', (mojibake, fixed, encoding) => {
  expect(repairVietnamese(mojibake)).toEqual({ text: fixed, original: mojibake, encoding });
  expect(detectLegacyEncoding(mojibake)).toBe(encoding);
});

test('a toned capital typed in .VnTime comes back lower-case outside capital text: the original keeps what was there', () => {
  expect(repairVietnamese('§ç ¸nh')).toEqual({ text: 'Đỗ ánh', original: '§ç ¸nh', encoding: 'tcvn3' });
});

test.each([
  'Nguyễn Văn An', 'Hoàng Thị Thuỷ', 'Lê Hà', 'Tô Mã', 'Thò', 'Hoà', 'café au lait', 'Café Sài Gòn', 'Müller', 'Peña', 'François', 'Größe',
  'José María', 'Hélène', 'Noël', 'naïve', 'Ærø', "O'Brien", '« Bonjour »', '½ tháng', '3×4', '© 2009 Công ty', '12/03/2009', '',
])('%j is left alone', (text) => {
  expect(repairVietnamese(text)).toEqual({ text, original: text, encoding: null });
});

test('decomposed input comes back NFC, original kept', () => {
  expect(repairVietnamese('Nguye\u0302\u0303n')).toEqual({ text: 'Nguyễn', original: 'Nguye\u0302\u0303n', encoding: null });
});

test('two encodings reading equally well are no evidence: "ñi" is VNI "đi" and TCVN3 "ủi"', () => {
  expect(decodeVni('ñi')).toBe('đi');
  expect(decodeTcvn3('ñi')).toBe('ủi');
  expect(repairVietnamese('ñi').encoding).toBeNull();
});

const word = fc.constantFrom(...VIETNAMESE_WORDS);
const cased = (w: string, c: number) => (c === 0 ? w.toLowerCase() : c === 1 ? w.toUpperCase() : w);
const vietnameseText = fc
  .array(fc.oneof({ weight: 5, arbitrary: fc.tuple(word, fc.nat(2)).map(([w, c]) => cased(w, c)) }, { weight: 1, arbitrary: fc.constantFrom('0', '12', '/', ',', '.', '-', '(', ')', '"') }), { maxLength: 10 })
  .map((ws) => ws.join(' '));
/** Words a Latin-1 reading can hold as they are: the only valid Vietnamese that can look legacy-encoded. */
const latin1Text = fc.array(fc.constantFrom(...VIETNAMESE_WORDS.filter((w) => /^[\u0000-\u00ff]+$/.test(w))), { minLength: 1, maxLength: 6 }).map((ws) => ws.join(' '));

test('repair never changes valid NFC Vietnamese (property)', () => {
  fc.assert(fc.property(fc.oneof(vietnameseText, latin1Text), (s) => expect(repairVietnamese(s)).toEqual({ text: s, original: s, encoding: null })), { numRuns: 5000 });
});

/** A text encoded as a whole, as the table reads it back: TCVN3 capitals come back only in capital text (see decodeTcvn3). */
const encoders: Record<LegacyTable, { encode: (s: string) => string; readBack: (encoded: string, original: string) => string }> = {
  tcvn3: { encode: encodeTcvn3, readBack: (encoded) => decodeTcvn3(encoded) },
  vni: { encode: encodeVni, readBack: (_, original) => original },
};

/** Cased as a person types a word: lower case, capitals, or a capital first letter. */
const typedCase = (w: string) => w.slice(1) === w.slice(1).toLowerCase() || w === w.toUpperCase();

test('a whole cell in one encoding comes back exactly when one of its words is decidable, and is left as received when none is (property)', () => {
  fc.assert(
    fc.property(vietnameseText, fc.constantFrom<LegacyTable>('tcvn3', 'vni'), (s, encoding) => {
      const { encode, readBack } = encoders[encoding];
      const received = encode(s);
      fc.pre(received !== s);
      const repaired = repairVietnamese(received);
      const reading = readBack(received, s);
      if (wordsOf(received).every((w) => legacyWordEncoding(w) === undefined)) {
        expect(repaired).toEqual({ text: received, original: received, encoding: null });
      } else if (wordsOf(reading).every(typedCase)) {
        expect([repaired.encoding, repaired.text]).toEqual([encoding, reading]);
      } else {
        // TCVN3 has no toned capitals: "ĐỨC nguyễn" is "§øC nguyÔn", which the table reads "ĐứC nguyễn". Such a word stays as received.
        const out = wordsOf(repaired.text);
        wordsOf(received).forEach((w, i) => expect(out[i]).toBe(legacyWordEncoding(w) === undefined ? w : wordsOf(reading)[i]));
      }
    }),
    { numRuns: 5000 },
  );
});

test('names of three words are repaired (at least 95 % in a fixed sample; the rest stay as received)', () => {
  const names = fc.sample(fc.tuple(word, word, word).map((ws) => ws.join(' ')), { seed: 20091, numRuns: 2000 });
  for (const [encode, encoding] of [[encodeVni, 'vni'], [encodeTcvn3, 'tcvn3']] as const) {
    const changed = names.filter((n) => encode(n) !== n);
    const repaired = changed.filter((n) => repairVietnamese(encode(n)).encoding === encoding);
    expect(repaired.length / changed.length).toBeGreaterThanOrEqual(0.95);
  }
});

describe('a cell typed partly in the old font and completed in Unicode is repaired word by word', () => {
  test.each([
    ['§ç Văn Lộc', 'Đỗ Văn Lộc', 'tcvn3'],
    ['§ç VĂN LỘC', 'ĐỖ VĂN LỘC', 'tcvn3'],
    ['Nguyễn V¨n Hïng', 'Nguyễn Văn Hùng', 'tcvn3'],
    ['Ñaøo Văn Lộc', 'Đào Văn Lộc', 'vni'],
    ['Trần Thò Hoa', 'Trần Thò Hoa', null],
    ['Xã Hoà An, huyÖn Phó Hoµ', 'Xã Hoà An, huyện Phó Hoà', 'tcvn3'],
    ['Lộc-§ç/Nguyeãn', 'Lộc-Đỗ/Nguyễn', 'tcvn3+vni'],
    ['NguyÔn Nguyeãn', 'Nguyễn Nguyễn', 'tcvn3+vni'],
  ])('%s → %s (%s)', (received, fixed, encoding) => {
    expect(repairVietnamese(received)).toEqual({ text: fixed, original: received, encoding });
    expect(repairCellText(received)).toEqual({ text: fixed, original: received, encoding });
  });

  test('the row keeps the original beside the repair, as for a whole cell', () => {
    const parsed = parseRowValues(fieldsOf('KS'), { fullName: '§ç Văn Lộc', placeOfBirth: 'Hµ Néi' });
    expect(parsed.values).toMatchObject({ fullName: 'Đỗ Văn Lộc', placeOfBirth: 'Hà Nội' });
    expect(parsed.repaired).toEqual([
      { field: 'fullName', original: '§ç Văn Lộc', encoding: 'tcvn3' },
      { field: 'placeOfBirth', original: 'Hµ Néi', encoding: 'tcvn3' },
    ]);
  });
});

describe('a word is decidably legacy-encoded, or left alone', () => {
  test.each<[string, LegacyTable | undefined, string]>([
    ['§ç', 'tcvn3', 'TCVN3 "Đỗ"'],
    ['huyÖn', 'tcvn3', 'TCVN3 "huyện"; VNI reads "huyƯn"'],
    ['Nguyeãn', 'vni', 'VNI "Nguyễn"; TCVN3 reads "Nguyeón"'],
    ['TuÊn', 'tcvn3', 'TCVN3 "Tuấn": parses as "tuên", but nobody types a capital in mid-word'],
    ['«', undefined, 'one character: TCVN3 "ô", as often a quotation mark'],
    ['V¨n', 'tcvn3', 'TCVN3 "Văn"'],
    ['Văn', undefined, 'a letter no 8-bit reading shows: Unicode'],
    ['Nguyen', undefined, 'ASCII reads the same in every encoding'],
    ['Thò', undefined, 'VNI "Thị", but "thò" is a Unicode word too'],
    ['Vò', undefined, 'TCVN3 "Vũ", but "vò" is a Unicode word too'],
    ['Ên', undefined, 'TCVN3 "Ấn", but "Ên" parses as a Unicode syllable'],
    ['ñi', undefined, 'VNI "đi" and TCVN3 "ủi": two readings'],
    ['Löu', undefined, 'VNI "Lưu" and TCVN3 "Lửu": two readings'],
    ['Müller', undefined, 'no reading is a Vietnamese syllable'],
    ['café', undefined, 'no reading is a Vietnamese syllable'],
  ])('%s → %s (%s)', (word, encoding) => {
    expect(legacyWordEncoding(word)).toBe(encoding);
  });

  test('words are runs of letters, marks and the TCVN3 codes Latin-1 shows as signs', () => {
    expect(wordsOf('X· Hoµ, «Tr­¬ng» 12/3 Lộc-§ç')).toEqual(['X·', 'Hoµ', '«Tr­¬ng»', 'Lộc', '§ç']);
  });

  test.each([
    ['Tröông Thò Hoa', 'Trương Thị Hoa', 'vni', 'read wholly: "Thò" is VNI "Thị" in a VNI cell'],
    ['Tröông Thò Lộc', 'Trương Thò Lộc', 'vni', '"Lộc" is Unicode, so "Thò" may be too: left alone'],
    ['§ç Phó', 'Đỗ Phú', 'tcvn3', 'read wholly'],
    ['§ç Bình Phó', 'Đỗ Bình Phó', 'tcvn3', 'TCVN3 makes "Bình" "Bỡnh", no syllable: word by word'],
    ['NguyÔn Tâm Hà', 'Nguyễn Tâm Hà', 'tcvn3', 'TCVN3 has no code for à: "Hà" is Unicode, word by word'],
    ['NguyÔn Minh Tâm', 'Nguyễn Minh Tõm', 'tcvn3', 'the price of reading 8-bit cells wholly: "Tâm" is TCVN3 "Tõm" too'],
  ])('a cell of 8-bit characters only is read wholly in its encoding when every word beyond ASCII reads in it: %s → %s', (received, fixed, encoding) => {
    expect(repairVietnamese(received)).toEqual({ text: fixed, original: received, encoding });
  });
});

const EIGHT_BIT = /^[\u0000-\u00ff€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ]*$/u;
const separator = fc.constantFrom(' ', ' ', ' ', ', ', ' - ', '/', ' 12 ', '. ');
const casedWord = fc.tuple(word, fc.nat(2)).map(([w, c]) => cased(w, c));
const nameWords = fc.tuple(fc.nat(), fc.boolean()).map(([seed, male]) => fullName(createRandom(seed), male ? 'male' : 'female').split(' '));
/** Vietnamese words, each left in Unicode or encoded in a legacy encoding of its own, with what the cell then holds. */
const mixedCell = fc
  .oneof(fc.array(casedWord, { minLength: 1, maxLength: 8 }), nameWords)
  .chain((ws) => fc.tuple(fc.constant(ws), fc.array(fc.constantFrom<'unicode' | LegacyTable>('unicode', 'tcvn3', 'vni'), { minLength: ws.length, maxLength: ws.length }), fc.array(separator, { minLength: ws.length, maxLength: ws.length })))
  .map(([ws, encodings, seps]) => {
    const parts = ws.map((original, i) => ({ original, as: encodings[i]!, received: encodings[i] === 'unicode' ? original : encoders[encodings[i] as LegacyTable].encode(original) }));
    return { parts, received: parts.map((p, i) => (i === 0 ? '' : seps[i]) + p.received).join('') };
  });

test('words encoded one by one among Unicode words: each decidable word comes back exactly, every other word as received (property)', () => {
  fc.assert(
    fc.property(mixedCell, ({ parts, received }) => {
      const repaired = repairVietnamese(received);
      const out = wordsOf(repaired.text);
      expect(out).toHaveLength(parts.length);
      // TCVN3 capitals come back as the table reads them in this cell (capital text or not).
      const tcvn3Reading = wordsOf(decodeTcvn3(received));
      const readWholly = EIGHT_BIT.test(received) && (repaired.encoding === 'tcvn3' || repaired.encoding === 'vni') && repaired.text === (repaired.encoding === 'tcvn3' ? decodeTcvn3 : decodeVni)(received);
      parts.forEach((p, i) => {
        const decided = legacyWordEncoding(p.received);
        if (decided !== undefined) {
          expect(decided).toBe(p.as);
          expect(out[i]).toBe(p.as === 'vni' ? p.original : tcvn3Reading[i]);
        } else if (!readWholly) {
          // Only a cell of 8-bit characters only is ever read wholly in one encoding (see the cases above).
          expect(out[i]).toBe(p.received);
        }
      });
      expect(repaired.encoding === null).toBe(parts.every((p) => legacyWordEncoding(p.received) === undefined));
    }),
    { numRuns: 3000 },
  );
});

test('a legacy family name before Unicode given names with a letter beyond 8 bits ("§ç Văn Lộc") comes back exactly (at least 95 % in a fixed sample; the rest, "Vò" for Vũ, stay as received)', () => {
  const names = fc.sample(nameWords, { seed: 20092, numRuns: 3000 }).filter((ws) => !EIGHT_BIT.test(ws.slice(1).join(' ')));
  for (const encoding of ['tcvn3', 'vni'] as const) {
    const { encode } = encoders[encoding];
    const cells = names.filter(([family]) => encode(family!) !== family).map(([family, ...given]) => ({ name: [family, ...given].join(' '), received: [encode(family!), ...given].join(' ') }));
    const outcomes = cells.map(({ name, received }) => ({ name, received, repaired: repairCellText(received) }));
    const exact = outcomes.filter((o) => o.repaired.text === o.name && o.repaired.encoding === encoding);
    expect(outcomes.filter((o) => o.repaired.text !== o.name && o.repaired.text !== o.received)).toEqual([]);
    expect(exact.length / outcomes.length).toBeGreaterThanOrEqual(0.95);
  }
});

const latin1Char = fc.integer({ min: 0x20, max: 0xff }).map((n) => String.fromCharCode(n));
const anyText = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: 'grapheme' }),
  fc.array(fc.oneof(latin1Char, fc.constant(' '), fc.constantFrom(...'ăâđêôơưạễỗộĂĐƠ')), { maxLength: 20 }).map((cs) => cs.join('')),
  mixedCell.map((c) => c.received),
);

test('any text without a decidable legacy word comes back as it is, NFC (property)', () => {
  fc.assert(
    fc.property(anyText, (s) => {
      const repaired = repairVietnamese(s);
      const decidable = wordsOf(s.normalize('NFC')).some((w) => legacyWordEncoding(w) !== undefined);
      expect(repaired.encoding !== null).toBe(decidable);
      if (!decidable) expect(repaired.text).toBe(s.normalize('NFC'));
    }),
    { numRuns: 5000 },
  );
});

test("the split's one-pass scan agrees with the repair it stands for (property)", () => {
  fc.assert(
    fc.property(anyText, (s) => expect(repairCellText(s)).toEqual(repairVietnamese(collapseSpaces(s)))),
    { numRuns: 5000 },
  );
});

test('repair is idempotent (property)', () => {
  fc.assert(
    fc.property(fc.oneof(anyText, vietnameseText.map(encodeVni), vietnameseText.map(encodeTcvn3)), (s) => {
      const once = repairVietnamese(s).text;
      expect(repairVietnamese(once)).toEqual({ text: once, original: once, encoding: null });
    }),
    { numRuns: 5000 },
  );
});
