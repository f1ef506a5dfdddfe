import fc from 'fast-check';
import { checkOldIdCard, checkPersonalId, encodePersonalId, parsePersonalId } from './personal-id';

test('a well-formed number of Hà Nội, female, born 1985', () => {
  expect(checkPersonalId('001185012345', { sex: 'female', birthYear: 1985 })).toEqual({
    ok: true,
    problems: [],
    parsed: { provinceCode: '01', sex: 'female', birthYear: 1985 },
  });
});

test('century digits per the circular', () => {
  expect(parsePersonalId('079203000001')).toMatchObject({ sex: 'male', birthYear: 2003 });
  expect(parsePersonalId('079303000001')).toMatchObject({ sex: 'female', birthYear: 2003 });
  expect(parsePersonalId('079899000001')).toMatchObject({ sex: 'male', birthYear: 1899 });
  expect(parsePersonalId('079999000001')).toMatchObject({ sex: 'female', birthYear: 1899 });
});

test('wrong length and unknown province are errors; sex and year disagreements are warnings', () => {
  expect(checkPersonalId('00118501234').problems.map((p) => p.code)).toEqual(['PERSONAL_ID_FORMAT']);
  expect(checkPersonalId('123456789012').problems.map((p) => p.code)).toEqual(['PERSONAL_ID_PROVINCE_UNKNOWN']);
  const r = checkPersonalId('001085012345', { sex: 'female', birthYear: 1986 });
  expect(r.ok).toBe(true);
  expect(r.problems.map((p) => [p.code, p.severity])).toEqual([
    ['PERSONAL_ID_SEX_MISMATCH', 'warning'],
    ['PERSONAL_ID_BIRTH_MISMATCH', 'warning'],
  ]);
});

test('an old 9-digit card is its own type, never padded', () => {
  expect(checkOldIdCard('012345678').ok).toBe(true);
  expect(checkPersonalId('012345678').problems[0]!.code).toBe('PERSONAL_ID_FORMAT');
});

test('encode then parse gives back province, sex and year (property)', () => {
  fc.assert(
    fc.property(
      fc.constantFrom('01', '79', '38', '96'),
      fc.constantFrom('male' as const, 'female' as const),
      fc.integer({ min: 1800, max: 2299 }),
      fc.integer({ min: 0, max: 999_999 }),
      (provinceCode, sex, birthYear, serial) => {
        const id = encodePersonalId({ provinceCode, sex, birthYear, serial });
        expect(checkPersonalId(id, { sex, birthYear })).toEqual({ ok: true, problems: [], parsed: { provinceCode, sex, birthYear } });
      },
    ),
  );
});
