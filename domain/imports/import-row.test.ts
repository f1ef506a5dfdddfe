import { canonicalValues, checkImportRow, compileImportPlan, type ImportTarget } from './import-row';
import { SHIPPED_PROFILES } from '../profiles/shipped';

const PROFILE = SHIPPED_PROFILES['c06-default']!;
// Phường Hồng Hà (00097), Hà Nội: a 2025 ward of the catalog.
const TARGET: ImportTarget = { agencyCode: '00097', agencyName: 'UBND phường Hồng Hà', provinceCode: '01', registerType: 'KS' };
const HEADER = ['Năm đăng ký', 'Quyển số', 'Số đăng ký', 'Họ và tên', 'Ngày sinh', 'Giới tính'];
const ROW = [2010, '01', '125', 'Nguyễn Thị Ánh', '03/04/2010', 'Nữ'];

test('the same row in another column order stores the same values, in dictionary order', () => {
  const a = checkImportRow(compileImportPlan(HEADER, PROFILE, 'KS', TARGET), ROW, 2, new Map());
  const order = [5, 3, 0, 4, 2, 1];
  const b = checkImportRow(compileImportPlan(order.map((i) => HEADER[i]!), PROFILE, 'KS', TARGET), order.map((i) => ROW[i]!), 2, new Map());
  if (!a.ok || !b.ok) throw new Error('expected both rows to import');
  expect(canonicalValues(b.values)).toBe(canonicalValues(a.values));
  expect(Object.keys(JSON.parse(canonicalValues(a.values)) as object)).toEqual(['bookYear', 'bookNumber', 'registrationNumber', 'fullName', 'dateOfBirth', 'sex']);
  expect(a.key).toEqual({ unitCode: '00097', bookYear: 2010, bookNumber: '01', bookKey: '1', registrationNumber: '125', numberKey: '125' });
});

test('a number used twice in a book rejects the second row and names the first', () => {
  const plan = compileImportPlan(HEADER, PROFILE, 'KS', TARGET);
  const seen = new Map<string, number>();
  expect(checkImportRow(plan, ROW, 2, seen).ok).toBe(true);
  const again = checkImportRow(plan, [2010, '1', '0125', 'Trần Văn Bình', null, 'Nam'], 7, seen);
  expect(again).toEqual({ ok: false, problems: [expect.objectContaining({ code: 'DUPLICATE_REGISTRATION_NUMBER', messageVi: expect.stringContaining('dòng 2') })] });
});

test('every problem of a row at once, each naming its field in Vietnamese', () => {
  const plan = compileImportPlan(HEADER, PROFILE, 'KS', TARGET);
  const r = checkImportRow(plan, [2010, '01', null, null, '31/02/2010', 'x'], 3, new Map());
  if (r.ok) throw new Error('expected a rejection');
  expect(r.problems.map((p) => p.code).sort()).toEqual(['DATE_INVALID', 'REQUIRED_FIELD_MISSING', 'REQUIRED_FIELD_MISSING', 'SEX_INVALID']);
  expect(r.problems.find((p) => p.field === 'fullName')?.messageVi).toBe('Thiếu thông tin bắt buộc: Họ và tên.');
});

test("a row that names another agency's unit is refused with that agency's name", () => {
  const plan = compileImportPlan([...HEADER, 'Mã ĐVHC nơi đăng ký'], PROFILE, 'KS', TARGET);
  // 00004: the former Phường Ba Đình, whose registers are kept by another ward since 1 July 2025.
  const r = checkImportRow(plan, [...ROW, '00004'], 2, new Map());
  expect(r).toEqual({ ok: false, problems: [expect.objectContaining({ code: 'ROW_OTHER_AGENCY', messageVi: expect.stringMatching(/^Nơi đăng ký: dòng thuộc UBND /) })] });
});
