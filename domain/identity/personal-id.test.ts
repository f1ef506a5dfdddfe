import fc from 'fast-check';
import { unitCatalog } from '../units/catalog';
import { checkOldIdCard, checkPersonalId, encodePersonalId, parsePersonalId } from './personal-id';

const PROVINCES = unitCatalog().provinces('legacy').map((p) => p.code);

test('a well-formed number of Hà Nội, female, born 1985', () => {
  expect(checkPersonalId('001185012345', { sex: 'female', birthYear: 1985 })).toEqual({
    ok: true,
    problems: [],
    parsed: { provinceCode: '001', century: 1900, sex: 'female', birthYear2: 85, birthYear: 1985 },
  });
});

test.each([
  ['079003000001', 1900, 'male', 1903],
  ['079103000001', 1900, 'female', 1903],
  ['079203000001', 2000, 'male', 2003],
  ['079303000001', 2000, 'female', 2003],
  ['079499000001', 2100, 'male', 2199],
  ['079500000001', 2100, 'female', 2100],
  ['079650000001', 2200, 'male', 2250],
  ['079750000001', 2200, 'female', 2250],
  ['079899000001', 1800, 'male', 1899],
  ['079999000001', 1800, 'female', 1899],
])('digit 4 of %s: century %i, %s, born %i', (id, century, sex, birthYear) => {
  expect(parsePersonalId(id)).toMatchObject({ century, sex, birthYear });
});

test('province codes: the 63 pre-2025 provinces in their 3-digit form', () => {
  expect(PROVINCES).toHaveLength(63);
  for (const code of ['001', '079', '096']) expect(checkPersonalId(`${code}085000001`).ok).toBe(true);
  // A gap in the list (003) and codes beyond its last (097, 099).
  for (const code of ['000', '003', '097', '099']) expect(checkPersonalId(`${code}085000001`).problems.map((p) => p.code)).toEqual(['PERSONAL_ID_PROVINCE_UNKNOWN']);
});

test('wrong length is an error; spaces inside are ignored', () => {
  expect(checkPersonalId('00118501234').problems.map((p) => p.code)).toEqual(['PERSONAL_ID_FORMAT']);
  expect(checkPersonalId('0011850123456').problems.map((p) => p.code)).toEqual(['PERSONAL_ID_FORMAT']);
  expect(checkPersonalId('00118501234a').ok).toBe(false);
  expect(checkPersonalId('001 185 012345').ok).toBe(true);
});

test('sex and year disagreements are warnings for the reviewer, in Vietnamese', () => {
  const r = checkPersonalId('001085012345', { sex: 'female', birthYear: 1986 });
  expect(r.ok).toBe(true);
  expect(r.problems).toEqual([
    { code: 'PERSONAL_ID_SEX_MISMATCH', severity: 'warning', messageVi: 'Chữ số thứ 4 của số định danh ứng với giới tính nam, khác giới tính ghi trong sổ.' },
    { code: 'PERSONAL_ID_BIRTH_MISMATCH', severity: 'warning', messageVi: 'Chữ số thứ 4 đến thứ 6 của số định danh ứng với năm sinh 1985, khác năm sinh 1986 ghi trong sổ.' },
  ]);
  expect(checkPersonalId('001085012345', { sex: 'male', birthYear: 1985 }).problems).toEqual([]);
});

test('an old 9-digit card is its own type, never padded', () => {
  expect(checkOldIdCard('012345678')).toEqual({ ok: true, problems: [] });
  expect(checkOldIdCard('01234567').problems.map((p) => p.code)).toEqual(['OLD_ID_FORMAT']);
  const asPersonalId = checkPersonalId('012345678');
  expect(asPersonalId.problems.map((p) => p.code)).toEqual(['PERSONAL_ID_FORMAT']);
  expect(asPersonalId.problems[0]!.messageVi).toMatch(/chứng minh nhân dân/);
});

test('encodePersonalId refuses what no number can say', () => {
  expect(() => encodePersonalId({ provinceCode: '01', sex: 'male', birthYear: 1799, serial: 1 })).toThrow(RangeError);
  expect(() => encodePersonalId({ provinceCode: '01', sex: 'male', birthYear: 1990, serial: 1_000_000 })).toThrow(RangeError);
  expect(() => encodePersonalId({ provinceCode: '0001', sex: 'male', birthYear: 1990, serial: 1 })).toThrow(RangeError);
});

test('encode then check gives back province, sex and year with no problem (property)', () => {
  fc.assert(
    fc.property(
      fc.constantFrom(...PROVINCES),
      fc.constantFrom('male' as const, 'female' as const),
      fc.integer({ min: 1800, max: 2299 }),
      fc.integer({ min: 0, max: 999_999 }),
      (provinceCode, sex, birthYear, serial) => {
        const id = encodePersonalId({ provinceCode, sex, birthYear, serial });
        expect(id).toMatch(/^\d{12}$/);
        expect(checkPersonalId(id, { sex, birthYear })).toEqual({
          ok: true,
          problems: [],
          parsed: { provinceCode: provinceCode.padStart(3, '0'), century: Math.floor(birthYear / 100) * 100, sex, birthYear2: birthYear % 100, birthYear },
        });
      },
    ),
  );
});
