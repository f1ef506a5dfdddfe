import fc from 'fast-check';
import { decodeTcvn3, decodeVni, detectLegacyEncoding, encodeTcvn3, encodeVni, repairVietnamese } from './legacy-encoding';
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
/** Words a Latin-1 reading can hold as they are: the only valid Vietnamese that reaches the scoring. */
const latin1Text = fc.array(fc.constantFrom(...VIETNAMESE_WORDS.filter((w) => /^[\u0000-\u00ff]+$/.test(w))), { minLength: 1, maxLength: 6 }).map((ws) => ws.join(' '));

test('repair never changes valid NFC Vietnamese (property)', () => {
  fc.assert(fc.property(fc.oneof(vietnameseText, latin1Text), (s) => expect(repairVietnamese(s)).toEqual({ text: s, original: s, encoding: null })), { numRuns: 5000 });
});

test('repair is idempotent (property)', () => {
  const latin1Char = fc.integer({ min: 0x20, max: 0xff }).map((n) => String.fromCharCode(n));
  const anyText = fc.oneof(
    fc.string(),
    fc.array(fc.oneof(latin1Char, fc.constant(' ')), { maxLength: 20 }).map((cs) => cs.join('')),
    vietnameseText.map(encodeVni),
    vietnameseText.map(encodeTcvn3),
  );
  fc.assert(
    fc.property(anyText, (s) => {
      const once = repairVietnamese(s).text;
      expect(repairVietnamese(once)).toEqual({ text: once, original: once, encoding: null });
    }),
    { numRuns: 5000 },
  );
});

test('a repair of encoded Vietnamese is never wrong, only sometimes withheld (property)', () => {
  fc.assert(
    fc.property(vietnameseText, (s) => {
      const vni = repairVietnamese(encodeVni(s));
      if (vni.encoding === null) expect(vni.text).toBe(encodeVni(s));
      else expect([vni.encoding, vni.text]).toEqual(['vni', s]);
      const tcvn3 = repairVietnamese(encodeTcvn3(s));
      if (tcvn3.encoding === null) expect(tcvn3.text).toBe(encodeTcvn3(s));
      // Capitals come back where the text shows them (see decodeTcvn3), so compare with the table's reading.
      else expect([tcvn3.encoding, tcvn3.text]).toEqual(['tcvn3', decodeTcvn3(encodeTcvn3(s))]);
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
