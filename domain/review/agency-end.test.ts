import fc from 'fast-check';
import { REGISTER_TYPE_CODES, type RegisterTypeCode } from '../registers/register-types';
import { agencyWorkDone, expectSplitFiles, reviseSplitFiles, splitFilesAfter, splitFilesLeft, withImportedFile, type SplitFileRef, type SplitFilesProgress } from './agency-end';
import { EMPTY_COUNTS, type BookCounts, type ReviewBook } from './review-types';

const sha = (n: number) => n.toString(16).padStart(64, '0');
const book = (c: Partial<BookCounts>): ReviewBook => ({ registerType: 'KS', unitCode: '00004', bookYear: 2009, bookKey: '1', bookNumber: '01', counts: { ...EMPTY_COUNTS, ...c }, lastActivityAt: '2025-08-01T00:00:00.000Z' });
const decided = [book({ records: 3, transferred: 2, rejected: 1 })];
const toReview = [book({ records: 3, transferred: 2, imported: 1 })];
const file = (registerType: RegisterTypeCode, n: number): SplitFileRef => ({ registerType, sha256: sha(n) });
/** A KS file past 65,535 rows continues in a second one; one KT file (split files are numbered from 100). */
const SPLIT = [file('KS', 100), file('KS', 101), file('KT', 102)];
const split = () => expectSplitFiles(SPLIT);
const importing = (p: SplitFilesProgress, ...files: Array<[RegisterTypeCode, number]>) => files.reduce((q, [type, n]) => withImportedFile(q, type, sha(n)), p);

describe('split files', () => {
  test('expected by register type, each file once', () => {
    expect(split()).toEqual({ expected: { KS: [sha(100), sha(101)], KT: [sha(102)] }, imported: {}, earlier: {} });
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
        const p = importing(expectSplitFiles(files.map((registerType, i) => file(registerType, 100 + i))), ...imports);
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

describe('split files changed after release', () => {
  const allImported = () => importing(split(), ['KS', 100], ['KS', 101], ['KT', 102]);
  const left = (p: SplitFilesProgress) => splitFilesLeft(p);

  test('a file the split adds is waited for; reading the same files again changes nothing', () => {
    const { progress, added } = reviseSplitFiles(allImported(), [...SPLIT, file('KS', 103)]);
    expect(added).toEqual([file('KS', 103)]);
    expect(left(progress)).toEqual({ KS: 1 });
    expect(reviseSplitFiles(progress, [...SPLIT, file('KS', 103)])).toEqual({ progress, added: [] });
    expect(left(importing(progress, ['KS', 103]))).toEqual({});
  });

  test('a file the split rewrote: its old version imported as it was no longer counts, the new one is waited for', () => {
    const { progress, added } = reviseSplitFiles(allImported(), [file('KS', 100), file('KS', 104), file('KT', 102)]);
    expect(added).toEqual([file('KS', 104)]);
    expect(progress.expected).toEqual({ KS: [sha(100), sha(104)], KT: [sha(102)] });
    expect(progress.imported).toEqual({ KS: [sha(100)], KT: [sha(102)] });
    expect(left(progress)).toEqual({ KS: 1 });
  });

  test('a copy corrected in Excel counts for any file of its type, so also for the new version of one', () => {
    const corrected = importing(split(), ['KS', 100], ['KS', 7], ['KT', 102]);
    expect(left(reviseSplitFiles(corrected, [file('KS', 100), file('KS', 104), file('KT', 102)]).progress)).toEqual({});
  });

  test('a run started again after its agency ended waits only for the files the ended run was never given', () => {
    const ended = allImported();
    const { progress, added } = splitFilesAfter(ended, [...SPLIT, file('KS', 103), file('KH', 105)]);
    expect(added).toEqual([file('KS', 103), file('KH', 105)]);
    expect(left(progress)).toEqual({ KS: 1, KH: 1 });
    expect(progress.earlier).toEqual({ KS: [sha(100), sha(101)], KT: [sha(102)] });
    // An earlier file rewritten later is new to this run: its rows are.
    expect(reviseSplitFiles(progress, [file('KS', 100), file('KS', 104), file('KT', 102), file('KS', 103), file('KH', 105)]).added).toEqual([file('KS', 104)]);
    // Nothing new: nothing to wait for, which the caller must see (such a run would never end by itself).
    expect(splitFilesAfter(ended, SPLIT).added).toEqual([]);
    expect(splitFilesAfter(undefined, SPLIT).progress).toEqual(split());
  });

  test('property: after any revisions every split file of now is waited for or given earlier, never both, and imports never exceed what is waited for', () => {
    const type = fc.constantFrom<RegisterTypeCode>('KS', 'KT', 'KH');
    const files = fc.uniqueArray(fc.tuple(type, fc.nat(20)), { selector: ([, n]) => n, maxLength: 8 }).map((fs) => fs.map(([t, n]) => file(t, n)));
    fc.assert(
      fc.property(files, fc.array(fc.tuple(files, fc.array(fc.tuple(type, fc.nat(25)), { maxLength: 4 })), { maxLength: 5 }), fc.boolean(), (first, steps, restarted) => {
        let p = restarted ? splitFilesAfter(expectSplitFiles(first.slice(0, 2)), first).progress : expectSplitFiles(first);
        let now = first;
        for (const [next, imports] of steps) {
          const before = p;
          p = importing(reviseSplitFiles(p, next).progress, ...imports);
          // A file both before and after a revision keeps its place.
          for (const f of next.filter((g) => now.some((h) => h.sha256 === g.sha256))) {
            expect(before.expected[f.registerType]?.includes(f.sha256) ?? false).toBe(p.expected[f.registerType]?.includes(f.sha256) ?? false);
          }
          now = next;
        }
        const expected = Object.values(p.expected).flat();
        const earlier = Object.values(p.earlier).flat();
        expect(new Set([...expected, ...earlier])).toEqual(new Set(now.map((f) => f.sha256)));
        expect(expected.filter((s) => earlier.includes(s))).toEqual([]);
        for (const [t, shas] of Object.entries(p.imported)) expect(shas!.length).toBeLessThanOrEqual(p.expected[t as RegisterTypeCode]?.length ?? 0);
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
