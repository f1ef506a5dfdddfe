import fc from 'fast-check';
import { isAppError } from '../errors';
import { REGISTER_TYPE_CODES } from '../registers/register-types';
import {
  bookKey, checkZipName, DEFAULT_NAMING_RULE as rule, entryIdentity, formatBookName, formatScanName, groupPages, numberKey, parseBookName, parseScanName,
  type EntryName, type NamingRule,
} from './scan-name';

const entry = (e: Partial<EntryName> = {}): EntryName => ({ type: 'KS', year: 2009, book: '01', number: '125', page: 1, ...e });
const parsedEntry = (name: string): EntryName => {
  const r = parseScanName(name, rule);
  if (!r.ok) throw new Error(`${name}: ${r.reason}`);
  const { ok, ...e } = r;
  return e;
};

describe('tolerances of the spec, each a case', () => {
  test.each([
    ['the rule itself', 'KS.2009.01.125.pdf', {}],
    ['case', 'ks.2009.01.125.PDF', { type: 'KS' }],
    ['mixed separators', 'KS_2009-01.125.pdf', {}],
    ['spaces around separators', 'KS . 2009 _ 01 - 125 .pdf', {}],
    ['spaces as separators', 'KS 2009 01 125.pdf', {}],
    ['one folder level', 'KS.2009.01/KS.2009.01.125.pdf', {}],
    ['one folder level, Windows separator', 'KS.2009.01\\KS.2009.01.125.pdf', {}],
    ['page suffix _2', 'KS.2009.01.125_2.pdf', { page: 2 }],
    ['page suffix (2)', 'KS.2009.01.125 (2).pdf', { page: 2 }],
    ['page suffix (2) without space', 'KS.2009.01.125(2).pdf', { page: 2 }],
    ['letter suffix', 'KS.2009.01.125a.pdf', { number: '125a' }],
    ['supplement 125/BS written 125-BS', 'KS.2009.01.125-BS.pdf', { number: '125/BS' }],
    ['supplement written 125_BS', 'KS.2009.01.125_BS.pdf', { number: '125/BS' }],
    ['supplement and page', 'KS.2009.01.125_BS_3.pdf', { number: '125/BS', page: 3 }],
    ['supplement and page (2)', 'KS.2009.01.125-bs (2).pdf', { number: '125/bs', page: 2 }],
    ['leading zeros kept as written', 'KS.2009.001.0125.pdf', { book: '001', number: '0125' }],
    ['a four-letter type', 'TDCC.2019.2.7.pdf', { type: 'TDCC', year: 2019, book: '2', number: '7' }],
  ])('%s: %s', (_, name, expected) => {
    expect(parseScanName(name, rule)).toEqual({ ok: true, ...entry(expected) });
  });

  test.each([
    ['KS.2009.01.125.jpg', 'NOT_PDF'],
    ['XX.2009.01.125.pdf', 'UNKNOWN_REGISTER_TYPE'],
    ['KS.09.01.125.pdf', 'BAD_YEAR'],
    ['KS.0000.01.1.pdf', 'BAD_YEAR'],
    ['KS.2999.01.1.pdf', 'BAD_YEAR'],
    ['KS.2009.125.pdf', 'NAME_UNPARSEABLE'],
    ['KS.2009.01.125_0.pdf', 'NAME_UNPARSEABLE'],
    ['KS.2009.01.125-BS-XY.pdf', 'NAME_UNPARSEABLE'],
    ['Scan_0001.pdf', 'NAME_UNPARSEABLE'],
    ['a/b/KS.2009.01.125.pdf', 'FOLDER_TOO_DEEP'],
    ['__MACOSX/KS.2009.01/._KS.2009.01.125.pdf', 'SYSTEM_FILE'],
    ['._KS.2009.01.125.pdf', 'SYSTEM_FILE'],
    ['KS.2009.01/Thumbs.db', 'SYSTEM_FILE'],
  ])('%s is rejected (%s), with a Vietnamese message', (name, reason) => {
    const r = parseScanName(name, rule);
    expect(r).toMatchObject({ ok: false, reason });
    expect(!r.ok && r.messageVi.length > 0 && r.messageVi === r.messageVi.normalize('NFC')).toBe(true);
  });

  test('the message names the rule in Vietnamese', () => {
    expect(parseScanName('Scan_0001.pdf', rule)).toEqual({
      ok: false,
      reason: 'NAME_UNPARSEABLE',
      messageVi: 'Tên tệp không theo quy tắc đặt tên <Loại sổ>.<Năm>.<Quyển số>.<Số đăng ký>.pdf.',
    });
  });
});

test('books and numbers compare without leading zeros, case or separator', () => {
  expect(bookKey('01')).toBe(bookKey(1));
  expect(bookKey('000')).toBe('0');
  expect(numberKey('0125A')).toBe(numberKey('125a'));
  expect(numberKey('125/BS')).toBe(numberKey('125-bs'));
  expect(numberKey('125 BS')).toBe(numberKey('125_BS'));
  expect(numberKey('0')).toBe('0');
  expect(numberKey('125')).not.toBe(numberKey('125a'));
  expect(entryIdentity(parsedEntry('ks.2009.1.0125-bs_2.pdf'))).toBe(entryIdentity({ type: 'KS', year: 2009, book: '01', number: '125/BS' }));
});

test('the files of an entry attach to it in page order; duplicate and missing pages are reported', () => {
  const names = ['KS.2009.01.125 (3).pdf', 'KS.2009.01.7.pdf', 'KS.2009.01.125.pdf', 'KS.2009.01.0125_2.pdf', 'KS.2009.01.9_3.pdf', 'KS.2009.01.9.pdf', 'KS.2009.01.9_1.pdf'];
  const groups = groupPages(names, parsedEntry);
  expect(groups).toEqual([
    { identity: 'KS.2009.1.125', files: ['KS.2009.01.125.pdf', 'KS.2009.01.0125_2.pdf', 'KS.2009.01.125 (3).pdf'], duplicatePages: [], missingPages: [] },
    { identity: 'KS.2009.1.7', files: ['KS.2009.01.7.pdf'], duplicatePages: [], missingPages: [] },
    { identity: 'KS.2009.1.9', files: ['KS.2009.01.9.pdf', 'KS.2009.01.9_1.pdf', 'KS.2009.01.9_3.pdf'], duplicatePages: [1], missingPages: [2] },
  ]);
});

describe('zip names', () => {
  test('a book name, for its zip and its Excel file', () => {
    expect(parseBookName('KS.2009.01.zip', rule)).toEqual({ ok: true, type: 'KS', year: 2009, book: '01' });
    expect(parseBookName('uploads/kt_2010_3.XLSX', rule)).toEqual({ ok: true, type: 'KT', year: 2010, book: '3' });
    expect(parseBookName('KS.2009.zip', rule)).toMatchObject({ ok: false, reason: 'NAME_UNPARSEABLE' });
    expect(parseBookName('Danh sach.xlsx', rule)).toEqual({ ok: false, reason: 'NAME_UNPARSEABLE', messageVi: 'Tên tệp không theo quy tắc đặt tên <Loại sổ>.<Năm>.<Quyển số>.xlsx.' });
    expect(formatBookName({ type: 'KS', year: 2009, book: '01' }, rule)).toBe('KS.2009.01.zip');
    expect(formatBookName({ type: 'KS', year: 2009, book: '01' }, rule, 'xlsx')).toBe('KS.2009.01.xlsx');
  });

  test('a zip whose name disagrees with its PDFs: the PDFs win, and the finding says so', () => {
    const inside = ['KS.2009.02.1.pdf', 'KS.2009.02.2.pdf'].map(parsedEntry);
    expect(checkZipName('KS.2009.2.zip', inside, rule)).toBeUndefined();
    expect(checkZipName('ks.2009.002.zip', inside, rule)).toBeUndefined();
    expect(checkZipName('KS.2009.01.zip', inside, rule)).toEqual({
      code: 'ZIP_NAME_MISMATCH',
      severity: 'warning',
      messageVi: 'Tên tệp nén ghi sổ KS.2009.1 nhưng các tệp PDF bên trong thuộc sổ KS.2009.2; các tệp PDF được nhận theo tên của chúng.',
      zipBook: 'KS.2009.1',
      entryBooks: ['KS.2009.2'],
    });
    expect(checkZipName('KS.2009.02.zip', [...inside, parsedEntry('KT.2009.02.1.pdf')], rule)).toMatchObject({ code: 'ZIP_NAME_MISMATCH', entryBooks: ['KS.2009.2', 'KT.2009.2'] });
    expect(checkZipName('So khai sinh 2009.zip', inside, rule)).toMatchObject({ code: 'ZIP_NAME_UNPARSEABLE', entryBooks: ['KS.2009.2'] });
    expect(checkZipName('KS.2009.01.zip', [], rule)).toBeUndefined();
  });
});

describe('the rule is a setting', () => {
  test('a province with another rule changes the pattern, not code', () => {
    const other: NamingRule = { pdf: '{year}_{type}_Q{book}_{number}', book: '{year}_{type}_Q{book}', typeCodes: REGISTER_TYPE_CODES };
    expect(parseScanName('2009_KS_Q01_125.pdf', other)).toEqual({ ok: true, ...entry() });
    expect(parseScanName('2009-ks-q01-125 (2).pdf', other)).toEqual({ ok: true, ...entry({ page: 2 }) });
    expect(parseScanName('2009_KS_01_125.pdf', other)).toMatchObject({ ok: false, reason: 'NAME_UNPARSEABLE' });
    expect(formatScanName(entry(), other)).toBe('2009_KS_Q01_125.pdf');
    expect(formatBookName({ type: 'KS', year: 2009, book: '01' }, other)).toBe('2009_KS_Q01.zip');
  });

  test('the type codes are the rule’s', () => {
    const onlyBirths: NamingRule = { ...rule, typeCodes: ['KS'] };
    expect(parseScanName('KT.2009.01.1.pdf', onlyBirths)).toMatchObject({ ok: false, reason: 'UNKNOWN_REGISTER_TYPE' });
  });

  test.each([
    ['{type}.{year}.{book}', 'missing'],
    ['{type}.{year}.{book}.{number}.{number}', 'twice'],
    ['{type}.{year}.{volume}.{number}', 'unknown'],
    ['{type}.{year}.{book.{number}', 'unknown'],
  ])('pattern %s is a configuration error (%s)', (pdf, issue) => {
    try {
      parseScanName('KS.2009.01.125.pdf', { ...rule, pdf });
      throw new Error('accepted');
    } catch (e) {
      expect(isAppError(e) && [e.code, e.kind, (e.params as { issue: string }).issue]).toEqual(['NAMING_PATTERN_INVALID', 'config', issue]);
    }
  });

  test('formatting refuses what the rule cannot write', () => {
    expect(() => formatScanName(entry({ number: '125/2009' }), rule)).toThrow(RangeError);
    expect(() => formatScanName(entry({ type: 'XX' }), rule)).toThrow(RangeError);
    expect(() => formatScanName(entry({ page: 0 }), rule)).toThrow(RangeError);
  });
});

const entryArb = fc.record({
  type: fc.constantFrom(...REGISTER_TYPE_CODES),
  year: fc.integer({ min: 1900, max: 2099 }),
  book: fc.integer({ min: 0, max: 999 }).chain((n) => fc.constantFrom(String(n), String(n).padStart(2, '0'), String(n).padStart(3, '0'))),
  number: fc
    .tuple(fc.integer({ min: 0, max: 99999 }), fc.constantFrom('', '0'), fc.constantFrom('', 'a', 'b', 'A'), fc.constantFrom('', 'BS', 'bs', 'TB'))
    .map(([n, zero, letter, supplement]) => `${zero}${n}${letter}${supplement ? `/${supplement}` : ''}`),
  page: fc.integer({ min: 1, max: 999 }),
});

test('format then parse gives back the entry (property)', () => {
  fc.assert(fc.property(entryArb, (e) => expect(parseScanName(formatScanName(e, rule), rule)).toEqual({ ok: true, ...e })), { numRuns: 2000 });
});

test('format∘parse is the identity over generated names (property)', () => {
  fc.assert(fc.property(entryArb, (e) => {
    const name = formatScanName(e, rule);
    expect(formatScanName(parsedEntry(name), rule)).toBe(name);
  }), { numRuns: 2000 });
});

test('a name as people write it parses to the entry whose own name the rule writes (property)', () => {
  const sep = fc.constantFrom('.', '_', '-', ' . ', ' ', '- ');
  const messy = fc.tuple(entryArb, sep, sep, sep, fc.boolean(), fc.constantFrom('.pdf', '.PDF', '.Pdf'), fc.boolean(), fc.constantFrom('_', ' (', '-')).map(
    ([e, s1, s2, s3, lower, ext, inFolder, pageStyle]) => {
      const [number, supplement] = e.number.split('/');
      const page = e.page === 1 ? '' : pageStyle === ' (' ? ` (${e.page})` : `${pageStyle}${e.page}`;
      const base = `${e.type}${s1}${e.year}${s2}${e.book}${s3}${number}${supplement ? `-${supplement}` : ''}${page}`;
      const file = `${lower ? base.toLowerCase() : base}${ext}`;
      return { e, name: inFolder ? `${e.type}.${e.year}.${e.book}/${file}` : file };
    },
  );
  fc.assert(
    fc.property(messy, ({ e, name }) => {
      const parsed = parsedEntry(name);
      expect(entryIdentity(parsed)).toBe(entryIdentity(e));
      expect(parsed.page).toBe(e.page);
      expect(parseScanName(formatScanName(parsed, rule), rule)).toEqual({ ok: true, ...parsed });
    }),
    { numRuns: 2000 },
  );
});
