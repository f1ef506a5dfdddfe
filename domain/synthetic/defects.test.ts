import { otherTonePlacement, parseDefectList, unknownDefects, ALL_DEFECTS } from './defects';
import { createDuplicateNumberCheck } from '../registers/book-check';

test('the other tone placement, only on open syllables', () => {
  expect(otherTonePlacement('Xã Hoà An, Thanh Hóa, Thuỷ, hoàng')).toBe('Xã Hòa An, Thanh Hoá, Thủy, hoàng');
  expect(otherTonePlacement(otherTonePlacement('Hoà Khánh Thuý'))).toBe('Hoà Khánh Thuý');
});

test('defect lists', () => {
  expect(parseDefectList('all')).toEqual([...ALL_DEFECTS]);
  expect(unknownDefects(parseDefectList('text-vni, nope'))).toEqual(['nope']);
});

test('a registration number used twice in one book, and only then', () => {
  const check = createDuplicateNumberCheck();
  const row = { agencyCode: '00001', bookYear: 2009, bookNumber: '01', registrationNumber: '12' };
  expect(check.check('KS', row, 'dòng 2')).toBeUndefined();
  expect(check.check('KS', { ...row, bookNumber: '1', registrationNumber: '012' }, 'dòng 3')).toMatchObject({ code: 'DUPLICATE_REGISTRATION_NUMBER', messageVi: expect.stringContaining('dòng 2') });
  expect(check.check('KT', row, 'dòng 4')).toBeUndefined();
  expect(check.check('KS', { ...row, bookNumber: '02' }, 'dòng 5')).toBeUndefined();
});
