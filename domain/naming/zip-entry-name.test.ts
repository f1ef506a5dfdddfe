import fc from 'fast-check';
import iconv from 'iconv-lite';
import { decodeZipEntryName } from './zip-entry-name';

test('Vietnamese Windows (Windows-1258) names, tones as combining marks, come back NFC', () => {
  // Windows-1258 writes "ổ" as "ô" plus a combining hook above.
  const raw = iconv.encode('S\u00f4\u0309 khai sinh/KS.2009.01.125.pdf', 'windows1258');
  expect(decodeZipEntryName(raw, false)).toEqual({ name: 'Sổ khai sinh/KS.2009.01.125.pdf', encoding: 'windows1258' });
});

test('CP437 names (the zip default on other Windows machines)', () => {
  const raw = iconv.encode('Scans ├─ KS.2009.01.125.pdf', 'cp437');
  expect(decodeZipEntryName(raw, false)).toEqual({ name: 'Scans ├─ KS.2009.01.125.pdf', encoding: 'cp437' });
  // Ä is a letter in Windows-1258 too, but not a Vietnamese one.
  const german = iconv.encode('Ärzte.pdf', 'cp437');
  expect(decodeZipEntryName(german, false)).toEqual({ name: 'Ärzte.pdf', encoding: 'cp437' });
});

test('UTF-8, flagged or not, and decomposed (macOS) names come back NFC', () => {
  const raw = Buffer.from('Hộ tịch/KS.2009.01.125.pdf', 'utf8');
  expect(decodeZipEntryName(raw, true)).toEqual({ name: 'Hộ tịch/KS.2009.01.125.pdf', encoding: 'utf8' });
  expect(decodeZipEntryName(raw, false)).toEqual({ name: 'Hộ tịch/KS.2009.01.125.pdf', encoding: 'utf8' });
  expect(decodeZipEntryName(Buffer.from('Ho\u0302\u0323 ti\u0323ch.pdf', 'utf8'), true).name).toBe('Hộ tịch.pdf');
});

test('a view into a larger buffer reads only its own bytes', () => {
  const whole = Buffer.concat([Buffer.from('xxxx'), Buffer.from('KS.2009.01.125.pdf'), Buffer.from('yyyy')]);
  expect(decodeZipEntryName(whole.subarray(4, whole.length - 4), false).name).toBe('KS.2009.01.125.pdf');
});


test('any bytes decode to an NFC name, never an error; names written as UTF-8, flagged or not, come back as written', () => {
  fc.assert(
    fc.property(fc.uint8Array({ maxLength: 64 }), fc.boolean(), (raw, flag) => {
      const { name, encoding } = decodeZipEntryName(raw, flag);
      expect(name).toBe(name.normalize('NFC'));
      if (flag) expect(encoding).toBe('utf8');
    }),
  );
  fc.assert(fc.property(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.boolean(), (s, flag) => expect(decodeZipEntryName(Buffer.from(s, 'utf8'), flag)).toEqual({ name: s.normalize('NFC'), encoding: 'utf8' })));
});

test('Vietnamese names written by Vietnamese Windows (Windows-1258, tones as combining marks) come back as written, NFC', () => {
  const toned = fc.tuple(fc.constantFrom(...'aâăeêioôơuưyAÂĂEÊIOÔƠUƯY'), fc.constantFrom('', '\u0300', '\u0301', '\u0303', '\u0309', '\u0323')).map(([l, t]) => l + t);
  const letter = fc.oneof(toned, fc.constantFrom('đ', 'Đ', 'b', 'K', 'S', '.', ' ', '_', '0', '9'));
  fc.assert(
    fc.property(fc.array(letter, { maxLength: 30 }), (letters) => {
      const written = letters.join('');
      expect(decodeZipEntryName(iconv.encode(written, 'windows1258'), false).name).toBe(written.normalize('NFC'));
    }),
  );
});

test('a UTF-8 name that holds U+FFFD itself (a name some tool already mangled) stays as written', () => {
  expect(decodeZipEntryName(Buffer.from('KS.2009.01.\ufffd.pdf', 'utf8'), false)).toEqual({ name: 'KS.2009.01.\ufffd.pdf', encoding: 'utf8' });
});
