import fc from 'fast-check';
import { REGISTER_TYPE_CODES, type RegisterTypeCode } from '../registers/register-types';
import { agencyWorkDone, expectSplitFiles, splitFilesLeft, withImportedFile, type SplitFilesProgress } from './agency-end';
import { EMPTY_COUNTS, type BookCounts, type ReviewBook } from './review-types';

const sha = (n: number) => n.toString(16).padStart(64, '0');
const book = (c: Partial<BookCounts>): ReviewBook => ({ registerType: 'KS', unitCode: '00004', bookYear: 2009, bookKey: '1', bookNumber: '01', counts: { ...EMPTY_COUNTS, ...c }, lastActivityAt: '2025-08-01T00:00:00.000Z' });
const decided = [book({ records: 3, transferred: 2, rejected: 1 })];
const toReview = [book({ records: 3, transferred: 2, imported: 1 })];
/** A KS file past 65,535 rows continues in a second one; one KT file. */
const split = () => expectSplitFiles([{ registerType: 'KS' }, { registerType: 'KS' }, { registerType: 'KT' }]);
const importing = (p: SplitFilesProgress, ...files: Array<[RegisterTypeCode, number]>) => files.reduce((q, [type, n]) => withImportedFile(q, type, sha(n)), p);

describe('split files', () => {
  test('expected by register type, each file once', () => {
    expect(split()).toEqual({ expected: { KS: 2, KT: 1 }, imported: {} });
    expect(splitFilesLeft(split())).toEqual({ KS: 2, KT: 1 });
  });

  test('a type is imported when as many distinct files of it are; the same file twice is one file', () => {
    expect(splitFilesLeft(importing(split(), ['KS', 1], ['KS', 1], ['KT', 2]))).toEqual({ KS: 1 });
    expect(splitFilesLeft(importing(split(), ['KS', 1], ['KS', 3], ['KT', 2]))).toEqual({});
  });

  test('a file of a type the split wrote none of counts for nothing, nor do files past the expected count', () => {
    const p = importing(split(), ['KH', 1], ['KT', 2], ['KT', 3], ['KT', 4]);
    expect(p.imported).toEqual({ KT: [sha(2)] });
    expect(splitFilesLeft(p)).toEqual({ KS: 2 });
  });

  test('property: the files left are, per type, the expected count less the distinct files imported, never below zero', () => {
    const type = fc.constantFrom(...REGISTER_TYPE_CODES);
    fc.assert(
      fc.property(fc.array(type, { maxLength: 12 }), fc.array(fc.tuple(type, fc.nat(5)), { maxLength: 30 }), (files, imports) => {
        const p = importing(expectSplitFiles(files.map((registerType) => ({ registerType }))), ...imports);
        for (const t of REGISTER_TYPE_CODES) {
          const expected = files.filter((f) => f === t).length;
          const distinct = new Set(imports.filter(([it]) => it === t).map(([, n]) => n)).size;
          expect(splitFilesLeft(p)[t] ?? 0).toBe(Math.max(0, expected - distinct));
          expect((p.imported[t] ?? []).length).toBeLessThanOrEqual(expected);
        }
      }),
    );
  });
});

describe('agencyWorkDone: every split file imported, no import in flight, every book decided', () => {
  const allImported = importing(split(), ['KS', 1], ['KS', 2], ['KT', 3]);

  test('done when all three hold', () => {
    expect(agencyWorkDone({ splitFiles: allImported, importsInFlight: 0, books: decided })).toBe(true);
  });

  test('an agency importing by hand file by file is not done after its first file, though its books are decided', () => {
    expect(agencyWorkDone({ splitFiles: importing(split(), ['KS', 1]), importsInFlight: 0, books: decided })).toBe(false);
  });

  test('an import in flight keeps it open: it brings records to review', () => {
    expect(agencyWorkDone({ splitFiles: allImported, importsInFlight: 1, books: decided })).toBe(false);
  });

  test('a record to review or waiting for its transfer keeps it open, as does having no book yet', () => {
    expect(agencyWorkDone({ splitFiles: allImported, importsInFlight: 0, books: toReview })).toBe(false);
    expect(agencyWorkDone({ splitFiles: allImported, importsInFlight: 0, books: [book({ records: 1, approved: 1 })] })).toBe(false);
    expect(agencyWorkDone({ splitFiles: allImported, importsInFlight: 0, books: [] })).toBe(false);
  });

  test('before the run has read its split files it is never done', () => {
    expect(agencyWorkDone({ splitFiles: undefined, importsInFlight: 0, books: decided })).toBe(false);
  });

  test('an agency the split wrote no file for never ends by itself: only a coordinator closes it', () => {
    const none = importing(expectSplitFiles([]), ['KS', 1]);
    expect(agencyWorkDone({ splitFiles: none, importsInFlight: 0, books: decided })).toBe(false);
  });
});
