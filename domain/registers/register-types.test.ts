import { fieldsOf, REGISTER_TYPES, REGISTER_TYPE_CODES, SHARED_FIELDS } from './register-types';
import { validateRecord } from './validate-record';
import { foldKey } from '../text/normalize';

test('one table: every type, unique keys, NFC Vietnamese labels, aliases that never collide within a type', () => {
  expect(REGISTER_TYPES.map((t) => t.code)).toEqual([...REGISTER_TYPE_CODES]);
  for (const t of REGISTER_TYPE_CODES) {
    const fields = fieldsOf(t);
    expect(new Set(fields.map((f) => f.key)).size).toBe(fields.length);
    const headers = new Map<string, string>();
    for (const f of fields) {
      expect(f.labelVi).toBe(f.labelVi.normalize('NFC'));
      for (const h of [f.labelVi, ...(f.aliases ?? [])]) {
        const key = foldKey(h);
        expect([t, h, headers.get(key) ?? f.key]).toEqual([t, h, f.key]);
        headers.set(key, f.key);
      }
    }
    expect(fields.filter((f) => f.required).length).toBeGreaterThanOrEqual(4);
  }
  expect(SHARED_FIELDS.filter((f) => f.required).map((f) => f.key)).toEqual(['bookYear', 'bookNumber', 'registrationNumber']);
});

describe('validateRecord returns every problem at once', () => {
  test('missing key and names', () => {
    const problems = validateRecord('KH', { bookYear: 2009 });
    expect(problems.map((p) => [p.field, p.code])).toEqual([
      ['bookNumber', 'REQUIRED_FIELD_MISSING'],
      ['registrationNumber', 'REQUIRED_FIELD_MISSING'],
      ['husbandName', 'REQUIRED_FIELD_MISSING'],
      ['wifeName', 'REQUIRED_FIELD_MISSING'],
    ]);
    expect(problems[2]!.messageVi).toBe('Thiếu thông tin bắt buộc: Họ và tên chồng.');
  });

  test('a clean birth record has none', () => {
    expect(
      validateRecord('KS', {
        bookYear: 2009, bookNumber: '01', registrationNumber: '125', fullName: 'Nguyễn Văn An',
        registrationDate: { year: 2009, month: 3, day: 10 }, dateOfBirth: { year: 2009, month: 3, day: 5 }, sex: 'male',
      }),
    ).toEqual([]);
  });

  test('inconsistencies are warnings, for the reviewer', () => {
    const problems = validateRecord('KS', {
      bookYear: 2010, bookNumber: '01', registrationNumber: '7', fullName: 'Trần Thị Bình', sex: 'female',
      registrationDate: { year: 2009, month: 3, day: 10 }, dateOfBirth: { year: 2009, month: 4, day: 1 }, personalId: '001085012345',
    });
    expect(problems.map((p) => [p.code, p.severity])).toEqual([
      ['PERSONAL_ID_SEX_MISMATCH', 'warning'],
      ['PERSONAL_ID_BIRTH_MISMATCH', 'warning'],
      ['BOOK_YEAR_MISMATCH', 'warning'],
      ['EVENT_AFTER_REGISTRATION', 'warning'],
    ]);
  });

  test('marriage below the legal age, death before birth', () => {
    expect(
      validateRecord('KH', {
        bookYear: 2015, bookNumber: '01', registrationNumber: '3', husbandName: 'Lê Văn Cường', wifeName: 'Phạm Thị Dung',
        registrationDate: { year: 2015, month: 6, day: 1 }, husbandDateOfBirth: { year: 1996, month: 6, day: 2 }, wifeDateOfBirth: { year: 1997, month: 1, day: 1 },
      }).map((p) => p.code),
    ).toEqual(['MARRIAGE_AGE_BELOW_LEGAL']);
    expect(
      validateRecord('KT', { bookYear: 2015, bookNumber: '01', registrationNumber: '3', fullName: 'Hoàng Văn Em', dateOfBirth: { year: 1950 }, dateOfDeath: { year: 1949, month: 2 } }).map((p) => p.code),
    ).toEqual(['DEATH_BEFORE_BIRTH']);
  });
});
