import fc from 'fast-check';
import type { AppError } from '../errors';
import { fieldsOf } from '../registers/register-types';
import type { RecordValues } from '../registers/validate-record';
import { agencyFinished, applyCorrection, batchProblem, decisionRefusal, decisionsProblem, dueNotices, hasWorkLeft, standingClaim } from './review-rules';
import {
  CORRECTION_REASONS,
  EMPTY_COUNTS,
  MAX_DECISIONS_PER_BATCH,
  REJECT_REASONS,
  type BookCounts,
  type CorrectionReason,
  type DecisionItem,
  type RejectReason,
  type ReviewBook,
} from './review-types';

const PAGE = 'a'.repeat(64);
const approve = (recordId: number, pages: string[] = [PAGE]): DecisionItem => ({ recordId, kind: 'approve', pages });
const reject = (recordId: number, reasonCode: string, comment?: string): DecisionItem => ({ recordId, kind: 'reject', reasonCode: reasonCode as RejectReason, comment });
const correct = (recordId: number, fields: Record<string, string>, reasonCode = 'DATA_DIFFERS', comment?: string): DecisionItem => ({
  recordId,
  kind: 'correct',
  reasonCode: reasonCode as CorrectionReason,
  comment,
  fields,
});
const codeOf = (e: AppError | undefined) => e?.code;

describe('batchProblem', () => {
  test('a well-formed batch of each kind has no problem', () => {
    expect(batchProblem('KS', [approve(1), reject(2, 'DATA_DIFFERS'), correct(3, { fullName: 'Nguyễn Văn A' })])).toBeUndefined();
  });

  test('an empty batch (or none at all) is refused', () => {
    expect(codeOf(batchProblem('KS', []))).toBe('REVIEW_BATCH_EMPTY');
    expect(codeOf(batchProblem('KS', undefined as unknown as DecisionItem[]))).toBe('REVIEW_BATCH_EMPTY');
  });

  test(`a page of ${MAX_DECISIONS_PER_BATCH} decisions is the most one batch holds`, () => {
    const ids = (n: number) => Array.from({ length: n }, (_, i) => approve(i + 1));
    expect(batchProblem('KS', ids(MAX_DECISIONS_PER_BATCH))).toBeUndefined();
    const tooMany = batchProblem('KS', ids(MAX_DECISIONS_PER_BATCH + 1));
    expect(codeOf(tooMany)).toBe('REVIEW_BATCH_TOO_LARGE');
    expect(tooMany?.params).toEqual({ count: MAX_DECISIONS_PER_BATCH + 1 });
    expect(tooMany?.kind).toBe('validation');
  });

  test('a record decided twice in one batch is refused, naming it', () => {
    const e = batchProblem('KS', [approve(7), reject(8, 'DUPLICATE'), reject(7, 'DATA_DIFFERS')]);
    expect(codeOf(e)).toBe('REVIEW_DUPLICATE_RECORD');
    expect(e?.params).toEqual({ recordId: 7 });
    expect(e?.messageVi).toContain('7');
  });

  test.each([
    ['no pages', []],
    ['pages missing', undefined],
  ])('an approval with %s is REVIEW_APPROVAL_WITHOUT_SCAN (a conflict, in Vietnamese)', (_, pages) => {
    const e = batchProblem('KS', [approve(1), { recordId: 2, kind: 'approve', pages: pages as unknown as string[] }]);
    expect(codeOf(e)).toBe('REVIEW_APPROVAL_WITHOUT_SCAN');
    expect(e?.kind).toBe('conflict');
    expect(e?.params).toEqual({ recordId: 2 });
    expect(e?.messageVi).toMatch(/bản quét/);
  });

  test.each(Object.keys(REJECT_REASONS).filter((r) => r !== 'OTHER'))('reject reason %s needs no comment', (reason) => {
    expect(batchProblem('KS', [reject(1, reason)])).toBeUndefined();
  });

  test.each(Object.keys(CORRECTION_REASONS).filter((r) => r !== 'OTHER'))('correction reason %s needs no comment', (reason) => {
    expect(batchProblem('KS', [correct(1, { fullName: 'X' }, reason)])).toBeUndefined();
  });

  test('a reason that is not of the decision kind is refused, listing the allowed ones', () => {
    const e = batchProblem('KS', [reject(1, 'ENCODING')]);
    expect(codeOf(e)).toBe('REVIEW_REASON_INVALID');
    expect(e?.params).toEqual({ value: 'ENCODING', allowed: Object.keys(REJECT_REASONS).join(', ') });
    expect(codeOf(batchProblem('KS', [correct(1, { fullName: 'X' }, 'WRONG_PAGE')]))).toBe('REVIEW_REASON_INVALID');
    expect(codeOf(batchProblem('KS', [reject(1, 'toString')]))).toBe('REVIEW_REASON_INVALID');
    expect(codeOf(batchProblem('KS', [reject(1, undefined as unknown as string)]))).toBe('REVIEW_REASON_INVALID');
  });

  test('an unknown kind of decision is refused', () => {
    const e = batchProblem('KS', [{ recordId: 1, kind: 'delete' } as unknown as DecisionItem]);
    expect(codeOf(e)).toBe('REVIEW_REASON_INVALID');
    expect(e?.params).toEqual({ value: 'delete', allowed: 'approve, reject, correct' });
  });

  test('OTHER needs a comment that is more than blanks, for rejections and corrections', () => {
    for (const item of [reject(4, 'OTHER'), reject(4, 'OTHER', '   \t'), correct(4, { fullName: 'X' }, 'OTHER'), correct(4, { fullName: 'X' }, 'OTHER', ' ')]) {
      const e = batchProblem('KS', [item]);
      expect(codeOf(e)).toBe('REVIEW_COMMENT_REQUIRED');
      expect(e?.params).toEqual({ recordId: 4 });
    }
    expect(batchProblem('KS', [reject(4, 'OTHER', 'Sổ bị rách')])).toBeUndefined();
    expect(batchProblem('KS', [correct(4, { fullName: 'X' }, 'OTHER', 'Theo trích lục')])).toBeUndefined();
  });

  test('a correction must change a field of its register that does not place the record', () => {
    expect(codeOf(batchProblem('KS', [correct(1, {})]))).toBe('REVIEW_CORRECTION_EMPTY');
    expect(codeOf(batchProblem('KS', [{ recordId: 1, kind: 'correct', reasonCode: 'DATA_DIFFERS' } as unknown as DecisionItem]))).toBe('REVIEW_CORRECTION_EMPTY');

    const unknown = batchProblem('KS', [correct(1, { husbandName: 'Trần Văn B' })]);
    expect(codeOf(unknown)).toBe('REVIEW_FIELD_UNKNOWN');
    expect(unknown?.params).toEqual({ recordId: 1, field: 'husbandName' });
    expect(batchProblem('KH', [correct(1, { husbandName: 'Trần Văn B' })])).toBeUndefined();

    for (const field of ['agencyCode', 'districtCode', 'registerType', 'bookYear', 'bookNumber', 'registrationNumber']) {
      const e = batchProblem('KS', [correct(1, { fullName: 'X', [field]: '1' })]);
      expect(codeOf(e)).toBe('REVIEW_FIELD_PROTECTED');
      expect(e?.params).toMatchObject({ recordId: 1, field, label: fieldsOf('KS').find((f) => f.key === field)!.labelVi });
    }
    // Shared fields that do not place the record can be corrected.
    expect(batchProblem('KS', [correct(1, { registrationDate: '01/02/2009', signer: 'Lê C', pageNumber: '12' })])).toBeUndefined();
  });

  test('the first problem in the order sent is the one reported', () => {
    expect(codeOf(batchProblem('KS', [approve(1, []), reject(2, 'OTHER')]))).toBe('REVIEW_APPROVAL_WITHOUT_SCAN');
    expect(codeOf(batchProblem('KS', [reject(2, 'OTHER'), approve(1, [])]))).toBe('REVIEW_COMMENT_REQUIRED');
  });

  describe('properties', () => {
    const rejectReason = fc.constantFrom(...(Object.keys(REJECT_REASONS) as RejectReason[]));
    const correctionReason = fc.constantFrom(...(Object.keys(CORRECTION_REASONS) as CorrectionReason[]));
    const comment = fc.string({ minLength: 1, maxLength: 20 }).map((s) => `c${s}`);
    const editable = fieldsOf('KS')
      .map((f) => f.key)
      .filter((k) => !['agencyCode', 'districtCode', 'registerType', 'bookYear', 'bookNumber', 'registrationNumber'].includes(k));
    /** A well-formed decision on a record whose id is filled in later. */
    const wellFormed = fc.oneof(
      fc.array(fc.stringMatching(/^[0-9a-f]{64}$/), { minLength: 1, maxLength: 3 }).map((pages) => (id: number): DecisionItem => ({ recordId: id, kind: 'approve', pages })),
      fc.tuple(rejectReason, comment).map(([reasonCode, c]) => (id: number): DecisionItem => ({ recordId: id, kind: 'reject', reasonCode, comment: c })),
      fc
        .tuple(correctionReason, comment, fc.dictionary(fc.constantFrom(...editable), fc.string({ maxLength: 10 }), { minKeys: 1, maxKeys: 4 }))
        .map(([reasonCode, c, fields]) => (id: number): DecisionItem => ({ recordId: id, kind: 'correct', reasonCode, comment: c, fields })),
    );
    const batch = (max: number) =>
      fc.uniqueArray(fc.integer({ min: 1, max: 1_000_000 }), { minLength: 1, maxLength: max }).chain((ids) => fc.tuple(fc.constant(ids), fc.array(wellFormed, { minLength: ids.length, maxLength: ids.length })));

    test('every batch of well-formed decisions on distinct records, up to a page, passes', () => {
      fc.assert(
        fc.property(batch(MAX_DECISIONS_PER_BATCH), ([ids, makers]) => {
          expect(batchProblem('KS', ids.map((id, i) => makers[i]!(id)))).toBeUndefined();
        }),
        { numRuns: 200 },
      );
    });

    test('repeating any record of a well-formed batch is refused as a duplicate of that record', () => {
      fc.assert(
        fc.property(batch(50), fc.nat(), fc.nat(), ([ids, makers], which, where) => {
          const items = ids.map((id, i) => makers[i]!(id));
          const again = items[which % items.length]!;
          const at = where % (items.length + 1);
          const withDup = [...items.slice(0, at), { ...again }, ...items.slice(at)];
          if (withDup.length > MAX_DECISIONS_PER_BATCH) return;
          const e = batchProblem('KS', withDup);
          expect(codeOf(e)).toBe('REVIEW_DUPLICATE_RECORD');
          expect(e?.params).toEqual({ recordId: again.recordId });
        }),
      );
    });

    test('any approval without pages makes the batch REVIEW_APPROVAL_WITHOUT_SCAN for that record', () => {
      fc.assert(
        fc.property(batch(50), fc.nat(), ([ids, makers], which) => {
          const items = ids.map((id, i) => makers[i]!(id));
          const i = which % items.length;
          // Only the first problem is reported: earlier decisions stay well formed.
          items[i] = { recordId: items[i]!.recordId, kind: 'approve', pages: [] };
          const e = batchProblem('KS', items);
          expect(codeOf(e)).toBe('REVIEW_APPROVAL_WITHOUT_SCAN');
          expect(e?.params).toEqual({ recordId: items[i]!.recordId });
        }),
      );
    });
  });
});

describe('applyCorrection', () => {
  const current: RecordValues = {
    agencyCode: '00004',
    bookYear: 2009,
    bookNumber: '01',
    registrationNumber: '125',
    registrationDate: { year: 2009, month: 3, day: 10 },
    fullName: 'Nguyen Van An',
    dateOfBirth: { year: 2009, month: 3, day: 1 },
    sex: 'male',
    motherName: 'Trần Thị Bình',
  };
  const imported: RecordValues = { ...current, fullName: 'Nguyen Van Ann' };

  const ok = (r: ReturnType<typeof applyCorrection>) => {
    if ('error' in r) throw new Error(`refused: ${r.error.code} ${r.error.messageVi}`);
    return r;
  };
  const refused = (r: ReturnType<typeof applyCorrection>) => {
    if (!('error' in r)) throw new Error(`accepted: ${JSON.stringify(r.values)}`);
    return r.error;
  };

  test('typed text is read as the dictionary reads a cell: dates, sex, NFC text', () => {
    const decomposed = 'Nguyễn Văn An'.normalize('NFD');
    const r = ok(applyCorrection('KS', 9, current, imported, { fullName: decomposed, dateOfBirth: '02/03/2009', sex: 'Nữ' }));
    expect(r.values.fullName).toBe('Nguyễn Văn An'.normalize('NFC'));
    expect(r.values.dateOfBirth).toEqual({ year: 2009, month: 3, day: 2 });
    expect(r.values.sex).toBe('female');
    // Untouched fields keep their values.
    expect(r.values.motherName).toBe('Trần Thị Bình');
    expect(r.values.registrationDate).toEqual({ year: 2009, month: 3, day: 10 });
  });

  test('the values come back in dictionary order whatever order they were kept or typed in', () => {
    const shuffled: RecordValues = Object.fromEntries(Object.entries(current).reverse());
    const r = ok(applyCorrection('KS', 9, shuffled, imported, { sex: 'Nam', fullName: 'Nguyễn Văn An' }));
    const order = fieldsOf('KS').map((f) => f.key);
    const keys = Object.keys(r.values);
    expect(keys).toEqual(order.filter((k) => keys.includes(k)));
    expect(new Set(keys)).toEqual(new Set(Object.keys(current)));
  });

  test('each changed field records the value before, the value as imported and the corrected one, as shown', () => {
    const r = ok(applyCorrection('KS', 9, current, imported, { fullName: 'Nguyễn Văn An', dateOfBirth: '2/3/2009', sex: 'nữ' }));
    expect(r.changes).toEqual({
      fullName: { original: 'Nguyen Van An', imported: 'Nguyen Van Ann', corrected: 'Nguyễn Văn An' },
      dateOfBirth: { original: '01/03/2009', imported: '01/03/2009', corrected: '02/03/2009' },
      sex: { original: 'Nam', imported: 'Nam', corrected: 'Nữ' },
    });
    expect(Object.keys(r.changes)).toEqual(['fullName', 'dateOfBirth', 'sex']);
  });

  test('an empty value clears a field that is not required', () => {
    const r = ok(applyCorrection('KS', 9, current, imported, { motherName: '  ' }));
    expect(r.values).not.toHaveProperty('motherName');
    expect(r.changes.motherName).toEqual({ original: 'Trần Thị Bình', imported: 'Trần Thị Bình', corrected: '' });
  });

  test('a field the record did not have can be filled in', () => {
    const r = ok(applyCorrection('KS', 9, current, imported, { fatherName: 'Nguyễn Văn Cường' }));
    expect(r.values.fatherName).toBe('Nguyễn Văn Cường');
    expect(r.changes.fatherName).toEqual({ original: '', imported: '', corrected: 'Nguyễn Văn Cường' });
  });

  test.each([
    ['a date that does not exist', { dateOfBirth: '31/02/2009' }, 'Ngày sinh'],
    ['a sex that is not one', { sex: 'không biết' }, 'Giới tính'],
    ['a required field emptied', { fullName: '' }, 'Họ và tên'],
    ['a malformed personal id', { personalId: '12ab' }, 'Số định danh cá nhân'],
  ])('%s is refused with REVIEW_FIELD_INVALID naming the field', (_, typed, label) => {
    const e = refused(applyCorrection('KS', 42, current, imported, typed as Record<string, string>));
    expect(e.code).toBe('REVIEW_FIELD_INVALID');
    expect(e.params).toMatchObject({ recordId: 42, label });
    expect(e.messageVi).toContain('42');
  });

  test('a lunar date is kept as text (a warning, not a refusal)', () => {
    const r = ok(applyCorrection('KS', 9, current, imported, { dateOfBirth: 'ngày 5 tháng 3 năm Kỷ Sửu (âm lịch)' }));
    expect(typeof r.values.dateOfBirth).toBe('string');
  });

  test('an error the record already had in a field not corrected does not refuse the correction', () => {
    const broken: RecordValues = { ...current, personalId: '12ab' };
    ok(applyCorrection('KS', 9, broken, broken, { fullName: 'Nguyễn Văn An' }));
  });

  test('inputs are not changed', () => {
    const before = JSON.stringify([current, imported]);
    applyCorrection('KS', 9, current, imported, { fullName: 'Khác', sex: 'Nữ' });
    expect(JSON.stringify([current, imported])).toBe(before);
  });

  test('property: correcting text fields to Vietnamese text keeps every other value and orders keys by the dictionary', () => {
    const textFields = fieldsOf('KS').filter((f) => f.type === 'text' && !['bookNumber', 'registrationNumber'].includes(f.key)).map((f) => f.key);
    const order = fieldsOf('KS').map((f) => f.key);
    fc.assert(
      fc.property(fc.dictionary(fc.constantFrom(...textFields), fc.array(fc.constantFrom('Nguyễn', 'Trần', 'Lê', 'Phạm', 'Thị', 'Văn', 'Hương', 'Đức', 'Ánh', 'Quỳnh', 'Hà Nội', 'Kinh'), { minLength: 1, maxLength: 4 }).map((w) => w.join(' ')), { minKeys: 1, maxKeys: 5 }), (typed) => {
        const r = ok(applyCorrection('KS', 1, current, imported, typed));
        for (const [k, v] of Object.entries(current)) if (!(k in typed)) expect(r.values[k]).toEqual(v);
        for (const k of Object.keys(typed)) {
          expect(r.values[k]).toBe(typed[k]!.normalize('NFC'));
          expect(r.changes[k]?.corrected).toBe(typed[k]!.normalize('NFC'));
        }
        expect(Object.keys(r.changes).sort()).toEqual(Object.keys(typed).sort());
        const keys = Object.keys(r.values);
        expect(keys).toEqual(order.filter((k) => keys.includes(k)));
      }),
    );
  });
});

describe('standingClaim', () => {
  const settings = { claimIdleMs: 30 * 60_000 };
  const at = Date.parse('2025-08-01T08:00:00.000Z');
  const claim = { by: 'cc.an', since: '2025-08-01T07:00:00.000Z', lastActiveAt: new Date(at).toISOString() };

  test('no claim, nobody holds the book', () => {
    expect(standingClaim({}, at, settings)).toBeUndefined();
  });

  test('a claim stands until its holder has been idle for claimIdleMs, then lapses', () => {
    expect(standingClaim({ claim }, at, settings)).toBe(claim);
    expect(standingClaim({ claim }, at + settings.claimIdleMs - 1, settings)).toBe(claim);
    expect(standingClaim({ claim }, at + settings.claimIdleMs, settings)).toBeUndefined();
    expect(standingClaim({ claim }, at + 10 * settings.claimIdleMs, settings)).toBeUndefined();
  });

  test('it is the last activity that counts, not when the claim began', () => {
    const old = { ...claim, since: '2025-07-01T00:00:00.000Z' };
    expect(standingClaim({ claim: old }, at + 1000, settings)).toBe(old);
  });

  test('property: the claim stands exactly while now − lastActiveAt < claimIdleMs', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 4e12 }), fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 1, max: 1e9 }), (last, delta, idle) => {
        const c = { by: 'x', since: new Date(last).toISOString(), lastActiveAt: new Date(last).toISOString() };
        expect(standingClaim({ claim: c }, last + delta, { claimIdleMs: idle }) !== undefined).toBe(delta < idle);
      }),
    );
  });
});

describe('dueNotices', () => {
  const DAY = 86_400_000;
  const settings = { reminderAfterMs: 3 * DAY, escalateAfterMs: 7 * DAY };
  const t0 = Date.parse('2025-08-01T00:00:00.000Z');
  const counts = (c: Partial<BookCounts>): BookCounts => ({ ...EMPTY_COUNTS, ...c });
  const book = (key: string, idleSince: number, c: Partial<BookCounts> = { records: 10, imported: 10 }, flags: Partial<Pick<ReviewBook, 'reminded' | 'escalated'>> = {}): ReviewBook => ({
    registerType: 'KS',
    unitCode: '00004',
    bookYear: 2009,
    bookKey: key,
    bookNumber: key.padStart(2, '0'),
    counts: counts(c),
    lastActivityAt: new Date(idleSince).toISOString(),
    ...flags,
  });
  const kinds = (r: ReturnType<typeof dueNotices>) => r.due.map((d) => `${d.book.bookKey}:${d.kind}`);

  test('nothing is due before the reminder; the next moment is the reminder', () => {
    const r = dueNotices([book('1', t0)], t0 + DAY, settings);
    expect(r.due).toEqual([]);
    expect(r.nextAt).toBe(t0 + settings.reminderAfterMs);
  });

  test('the reminder falls due first, then the escalation', () => {
    const b = book('1', t0);
    const r1 = dueNotices([b], t0 + settings.reminderAfterMs, settings);
    expect(kinds(r1)).toEqual(['1:reminder']);
    expect(r1.nextAt).toBe(t0 + settings.escalateAfterMs);

    const reminded = { ...b, reminded: true };
    const r2 = dueNotices([reminded], t0 + 5 * DAY, settings);
    expect(r2.due).toEqual([]);
    expect(r2.nextAt).toBe(t0 + settings.escalateAfterMs);

    const r3 = dueNotices([reminded], t0 + settings.escalateAfterMs, settings);
    expect(kinds(r3)).toEqual(['1:escalation']);
    expect(r3.nextAt).toBeUndefined();

    expect(dueNotices([{ ...reminded, escalated: true }], t0 + 30 * DAY, settings)).toEqual({ due: [], nextAt: undefined });
  });

  test('a book idle past both deadlines at once gets the reminder and the escalation, in that order', () => {
    const r = dueNotices([book('1', t0)], t0 + 8 * DAY, settings);
    expect(kinds(r)).toEqual(['1:reminder', '1:escalation']);
    expect(r.nextAt).toBeUndefined();
  });

  test('books without work left (all transferred or rejected, or empty) are ignored', () => {
    const done = [book('1', t0, { records: 5, transferred: 4, rejected: 1 }), book('2', t0, { records: 0 })];
    expect(dueNotices(done, t0 + 30 * DAY, settings)).toEqual({ due: [], nextAt: undefined });
    // Approved records waiting for the transfer are work left; so are records awaiting a scan.
    expect(kinds(dueNotices([book('3', t0, { records: 2, approved: 2 })], t0 + 4 * DAY, settings))).toEqual(['3:reminder']);
    expect(kinds(dueNotices([book('4', t0, { records: 2, imported: 2, awaitingScan: 2 })], t0 + 4 * DAY, settings))).toEqual(['4:reminder']);
  });

  test('nextAt is the earliest deadline still ahead across books', () => {
    const books = [book('1', t0), book('2', t0 - 2 * DAY), book('3', t0 - 10 * DAY, undefined, { reminded: true, escalated: true }), book('4', t0 - DAY, { records: 3, rejected: 3 })];
    const now = t0 + DAY / 2;
    const r = dueNotices(books, now, settings);
    expect(r.due).toEqual([]);
    expect(r.nextAt).toBe(t0 - 2 * DAY + settings.reminderAfterMs);
    // After book 2's reminder is due, the next is book 1's reminder (earlier than 2's escalation).
    const later = dueNotices(books, t0 + DAY + 1, settings);
    expect(kinds(later)).toEqual(['2:reminder']);
    expect(later.nextAt).toBe(t0 + settings.reminderAfterMs);
  });

  describe('properties', () => {
    const arbBook = fc
      .record({
        idle: fc.integer({ min: 0, max: 20 * DAY }),
        imported: fc.nat(5),
        approved: fc.nat(5),
        rejected: fc.nat(5),
        transferred: fc.nat(5),
        reminded: fc.boolean(),
        escalated: fc.boolean(),
      });
    const books = fc.array(arbBook, { maxLength: 12 }).map((xs) =>
      xs.map((x, i) =>
        book(String(i + 1), t0 - x.idle, { records: x.imported + x.approved + x.rejected + x.transferred, imported: x.imported, approved: x.approved, rejected: x.rejected, transferred: x.transferred }, { reminded: x.reminded, escalated: x.escalated }),
      ),
    );
    const arbSettings = fc.tuple(fc.integer({ min: 1, max: 10 * DAY }), fc.integer({ min: 0, max: 10 * DAY })).map(([r, extra]) => ({ reminderAfterMs: r, escalateAfterMs: r + extra }));

    test('no notice is due before its time, none twice, and nextAt is in the future', () => {
      fc.assert(
        fc.property(books, arbSettings, fc.integer({ min: -5 * DAY, max: 5 * DAY }), (bs, s, offset) => {
          const now = t0 + offset;
          const { due, nextAt } = dueNotices(bs, now, s);
          const seen = new Set<string>();
          for (const d of due) {
            const idle = Date.parse(d.book.lastActivityAt);
            expect(now).toBeGreaterThanOrEqual(idle + (d.kind === 'reminder' ? s.reminderAfterMs : s.escalateAfterMs));
            expect(hasWorkLeft(d.book)).toBe(true);
            expect(d.kind === 'reminder' ? d.book.reminded : d.book.escalated).toBeFalsy();
            const key = `${d.book.bookKey}/${d.kind}`;
            expect(seen.has(key)).toBe(false);
            seen.add(key);
          }
          if (nextAt !== undefined) expect(nextAt).toBeGreaterThan(now);
        }),
      );
    });

    test('every pending notice of a book with work is either due now or no later than nextAt; books without work change nothing', () => {
      fc.assert(
        fc.property(books, arbSettings, fc.integer({ min: -5 * DAY, max: 5 * DAY }), (bs, s, offset) => {
          const now = t0 + offset;
          const r = dueNotices(bs, now, s);
          for (const b of bs) {
            const idle = Date.parse(b.lastActivityAt);
            for (const [kind, at, sent] of [['reminder', idle + s.reminderAfterMs, b.reminded], ['escalation', idle + s.escalateAfterMs, b.escalated]] as const) {
              const isDue = r.due.some((d) => d.book === b && d.kind === kind);
              if (!hasWorkLeft(b) || sent) expect(isDue).toBe(false);
              else if (now >= at) expect(isDue).toBe(true);
              else {
                expect(isDue).toBe(false);
                expect(r.nextAt).toBeLessThanOrEqual(at);
              }
            }
          }
          expect(dueNotices(bs.filter(hasWorkLeft), now, s)).toEqual(r);
        }),
      );
    });
  });
});

describe('agencyFinished', () => {
  const b = (c: Partial<BookCounts>): ReviewBook => ({ registerType: 'KS', unitCode: '00004', bookYear: 2009, bookKey: '1', bookNumber: '01', counts: { ...EMPTY_COUNTS, ...c }, lastActivityAt: '2025-08-01T00:00:00.000Z' });

  test('an agency with no book has not finished (it has not started)', () => {
    expect(agencyFinished([])).toBe(false);
  });

  test('finished when every record of every book is transferred or rejected', () => {
    expect(agencyFinished([b({ records: 3, transferred: 2, rejected: 1 }), b({ records: 1, transferred: 1 })])).toBe(true);
  });

  test('a record to review or an approved one waiting for its transfer keeps it open', () => {
    expect(agencyFinished([b({ records: 3, transferred: 3 }), b({ records: 1, imported: 1 })])).toBe(false);
    expect(agencyFinished([b({ records: 1, imported: 1, awaitingScan: 1 })])).toBe(false);
    expect(agencyFinished([b({ records: 3, transferred: 2, approved: 1 })])).toBe(false);
  });

  test('property: finished ⇔ some book and no book holds imported or approved records', () => {
    const counts = fc.record({ imported: fc.nat(3), approved: fc.nat(3), rejected: fc.nat(3), transferred: fc.nat(3) });
    fc.assert(
      fc.property(fc.array(counts, { maxLength: 8 }), (cs) => {
        const books = cs.map((c) => b({ ...c, records: c.imported + c.approved + c.rejected + c.transferred }));
        expect(agencyFinished(books)).toBe(cs.length > 0 && cs.every((c) => c.imported === 0 && c.approved === 0));
      }),
    );
  });
});

describe('decisions and the record life cycle', () => {
  const book = (c: Partial<BookCounts>): ReviewBook => ({ registerType: 'KS', unitCode: '00004', bookYear: 2009, bookKey: '1', bookNumber: '01', counts: { ...EMPTY_COUNTS, ...c }, lastActivityAt: '2025-08-01T00:00:00.000Z' });
  const official = { role: 'official' as const };

  test('a decision is refused on a record in a state it does not start from, each with its reason', () => {
    expect(decisionRefusal('approve', 7, 'imported')).toBeUndefined();
    expect(codeOf(decisionRefusal('approve', 7, 'approved'))).toBe('REVIEW_RECORD_APPROVED');
    expect(codeOf(decisionRefusal('reject', 7, 'transferred'))).toBe('REVIEW_RECORD_TRANSFERRED');
    expect(codeOf(decisionRefusal('approve', 7, 'rejected'))).toBe('REVIEW_RECORD_REJECTED');
    expect(codeOf(decisionRefusal('reject', 7, 'rejected'))).toBe('REVIEW_RECORD_REJECTED');
    expect(decisionRefusal('correct', 7, 'rejected')).toBeUndefined();
    expect(decisionRefusal('approve', 7, 'rejected')!.messageVi).toMatch(/^Hồ sơ số 7 đã bị từ chối/);
  });

  test('the run refuses a batch a coordinator sends, or one no record of the book can take', () => {
    expect(codeOf(decisionsProblem({ role: 'coordinator' }, '00004', book({ imported: 3 }), [approve(1)]))).toBe('REVIEW_NOT_OFFICIAL_OF_AGENCY');
    expect(decisionsProblem(official, '00004', book({ imported: 1 }), [approve(1), reject(2, 'DATA_DIFFERS')])).toBeUndefined();
    // Everything decided: nothing left to approve or reject, but a rejected record may still be corrected.
    const settled = book({ rejected: 2, transferred: 5 });
    const refused = decisionsProblem(official, '00004', settled, [approve(1)]);
    expect(codeOf(refused)).toBe('REVIEW_NOTHING_TO_DECIDE');
    expect(refused!.messageVi).toContain('có thể phê duyệt');
    expect(decisionsProblem(official, '00004', settled, [correct(1, { fullName: 'Nguyễn Văn A' })])).toBeUndefined();
  });
});
