import fc from 'fast-check';
import iconv from 'iconv-lite';
import { REGISTER_TYPE_CODES } from '../registers/register-types';
import {
  bookDisagreement, bookKey, decodeZipEntryName, DEFAULT_PATTERNS, formatBookName, formatScanName, numberKey, parseBookName, parseScanName, type EntryName, type NamingRule,
} from './scan-name';

const rule: NamingRule = { ...DEFAULT_PATTERNS, typeCodes: REGISTER_TYPE_CODES };
const entry = (e: Partial<EntryName>) => ({ ok: true, type: 'KS', year: 2009, book: '01', number: '125', page: 1, ...e });

describe('tolerances', () => {
  test.each([
    ['KS.2009.01.125.pdf', {}],
    ['ks.2009.01.125.PDF', {}],
    ['KS_2009-01.125.pdf', {}],
    ['KS . 2009 . 01 . 125.pdf', {}],
    ['KS.2009.01/KS.2009.01.125.pdf', {}],
    ['KS.2009.01.125_2.pdf', { page: 2 }],
    ['KS.2009.01.125 (2).pdf', { page: 2 }],
    ['KS.2009.01.125a.pdf', { number: '125a' }],
    ['KS.2009.01.125-BS.pdf', { number: '125/BS' }],
    ['KS.2009.01.125_BS_3.pdf', { number: '125/BS', page: 3 }],
    ['TDCC.2019.2.7.pdf', { type: 'TDCC', year: 2019, book: '2', number: '7' }],
  ])('%s', (name, expected) => {
    expect(parseScanName(name, rule)).toEqual(entry(expected));
  });

  test.each([
    ['KS.2009.01.125.jpg', 'NOT_PDF'],
    ['XX.2009.01.125.pdf', 'UNKNOWN_REGISTER_TYPE'],
    ['KS.09.01.125.pdf', 'BAD_YEAR'],
    ['KS.2009.125.pdf', 'NAME_UNPARSEABLE'],
    ['a/b/KS.2009.01.125.pdf', 'FOLDER_TOO_DEEP'],
    ['Scan_0001.pdf', 'NAME_UNPARSEABLE'],
  ])('%s is rejected (%s)', (name, reason) => {
    expect(parseScanName(name, rule)).toMatchObject({ ok: false, reason, messageVi: expect.any(String) });
  });

  test('books and numbers compare without leading zeros', () => {
    expect(bookKey('01')).toBe(bookKey(1));
    expect(numberKey('0125A')).toBe(numberKey('125a'));
    expect(numberKey('125/BS')).toBe(numberKey('125-bs'));
    expect(numberKey('0')).toBe('0');
  });

  test('zip names, and a zip whose name disagrees with its PDFs', () => {
    expect(parseBookName('KS.2009.01.zip', rule)).toEqual({ ok: true, type: 'KS', year: 2009, book: '01' });
    const inside = [parseScanName('KS.2009.02.1.pdf', rule), parseScanName('KS.2009.02.2.pdf', rule)].map((r) => r as EntryName & { ok: true });
    expect(bookDisagreement('KS.2009.01.zip', inside, rule)).toEqual({ zip: 'KS.2009.1', entries: 'KS.2009.2' });
    expect(bookDisagreement('KS.2009.2.zip', inside, rule)).toBeUndefined();
  });

  test('a province with another rule changes the pattern, not code', () => {
    const other: NamingRule = { pdf: '{year}_{type}_{book}_{number}', book: '{year}_{type}_{book}', typeCodes: REGISTER_TYPE_CODES };
    expect(parseScanName('2009_KS_01_125.pdf', other)).toEqual(entry({}));
    expect(formatScanName(entry({}) as EntryName, other)).toBe('2009_KS_01_125.pdf');
    expect(formatBookName({ type: 'KS', year: 2009, book: '01' }, other)).toBe('2009_KS_01.zip');
  });
});

describe('zip entry names without the UTF-8 flag', () => {
  test('Vietnamese Windows (Windows-1258) names', () => {
    // Windows-1258 writes "ổ" as "ô" plus a combining hook above.
    const raw = iconv.encode('S\u00f4\u0309 khai sinh/KS.2009.01.125.pdf', 'windows1258');
    expect(decodeZipEntryName(raw, false)).toEqual({ name: 'Sổ khai sinh/KS.2009.01.125.pdf', encoding: 'windows1258' });
  });
  test('CP437 names', () => {
    const raw = iconv.encode('Scans ├─ KS.2009.01.125.pdf', 'cp437');
    expect(decodeZipEntryName(raw, false)).toEqual({ name: 'Scans ├─ KS.2009.01.125.pdf', encoding: 'cp437' });
  });
  test('UTF-8, flagged or not', () => {
    const raw = Buffer.from('Hộ tịch/KS.2009.01.125.pdf', 'utf8');
    expect(decodeZipEntryName(raw, true).name).toBe('Hộ tịch/KS.2009.01.125.pdf');
    expect(decodeZipEntryName(raw, false)).toEqual({ name: 'Hộ tịch/KS.2009.01.125.pdf', encoding: 'utf8' });
  });
});

test('format then parse is the identity over generated names (property)', () => {
  const entryArb = fc.record({
    type: fc.constantFrom(...REGISTER_TYPE_CODES),
    year: fc.integer({ min: 1900, max: 2099 }),
    book: fc.integer({ min: 1, max: 99 }).chain((n) => fc.constantFrom(String(n), String(n).padStart(2, '0'))),
    number: fc.tuple(fc.integer({ min: 1, max: 99999 }), fc.option(fc.constantFrom('a', 'b'), { nil: undefined }), fc.option(fc.constantFrom('BS', 'TB'), { nil: undefined }))
      .map(([n, letter, suffix]) => `${n}${letter ?? ''}${suffix ? `/${suffix}` : ''}`),
    page: fc.integer({ min: 1, max: 20 }),
  });
  fc.assert(
    fc.property(entryArb, (e) => {
      expect(parseScanName(formatScanName(e, rule), rule)).toEqual({ ok: true, ...e });
    }),
    { numRuns: 1000 },
  );
});
