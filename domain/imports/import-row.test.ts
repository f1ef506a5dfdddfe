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

describe('a sheet without a book-year column', () => {
  const header = HEADER.filter((h) => h !== 'Năm đăng ký').concat('Ngày đăng ký');
  const plan = compileImportPlan(header, PROFILE, 'KS', TARGET);

  test("takes each row's book year from its registration date, at its place in the record, and says so", () => {
    const r = checkImportRow(plan, ['01', '125', 'Nguyễn Thị Ánh', '03/04/2010', 'Nữ', '05/2010'], 2, new Map());
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(r.key.bookYear).toBe(2010);
    expect(r.notes.derived).toEqual([{ field: 'bookYear', from: 'registrationDate', messageVi: 'Năm đăng ký lấy từ ngày đăng ký' }]);
    const withColumn = checkImportRow(compileImportPlan([...HEADER, 'Ngày đăng ký'], PROFILE, 'KS', TARGET), [...ROW, '05/2010'], 2, new Map());
    if (!withColumn.ok) throw new Error('expected the row to import');
    expect(canonicalValues(r.values)).toBe(canonicalValues(withColumn.values));
  });

  test('rejects a row whose date gives no year with that reason alone', () => {
    for (const date of [null, 'không rõ']) {
      const r = checkImportRow(plan, ['01', '126', 'Trần Văn Bình', '03/04/2010', 'Nam', date], 3, new Map());
      expect(r).toEqual({ ok: false, problems: [expect.objectContaining({ code: 'BOOK_YEAR_UNKNOWN', messageVi: 'Năm đăng ký: trang không có cột "Năm đăng ký" và ngày đăng ký của dòng để trống hoặc không cho biết năm.' })] });
    }
  });
});

test('a row that would lose a non-blank cell (under no header, past the header) is rejected, naming the column; the error columns are not data', () => {
  const plan = compileImportPlan([...HEADER, null, 'Lỗi', 'Mã lỗi', 'Cột lạ'], PROFILE, 'KS', TARGET);
  expect(checkImportRow(plan, [...ROW, null, 'Họ và tên: …', 'REQUIRED_FIELD_MISSING', 'giữ lại'], 2, new Map())).toMatchObject({ ok: true, notes: { extra: [['Cột lạ', 'giữ lại']] } });
  expect(checkImportRow(plan, [...ROW, 'ghi bên lề'], 3, new Map())).toEqual({
    ok: false,
    problems: [
      expect.objectContaining({
        code: 'CELL_NOT_CONSERVED',
        messageVi: 'Ô ở cột G (không có tiêu đề) có dữ liệu nhưng không có chỗ trong kết quả (cột không có tiêu đề, nằm ngoài dòng tiêu đề hoặc trùng chỗ với cột khác); dòng được giữ nguyên, không ghi thiếu ô này.',
      }),
    ],
  });
  expect(checkImportRow(plan, [...ROW.slice(0, 3), '127', ...ROW.slice(4), null, null, null, ' ', 'ngoài cùng'], 4, new Map())).toMatchObject({ ok: false, problems: [{ code: 'CELL_NOT_CONSERVED', messageVi: expect.stringMatching(/^Ô ở cột K /) }] });
  // A value the field cannot read is that field's problem, not a lost cell.
  expect(checkImportRow(plan, [...ROW.slice(0, 5), 'x'], 5, new Map())).toMatchObject({ ok: false, problems: [{ code: 'SEX_INVALID' }] });
});

test('a note on two lines is imported on its two lines', () => {
  const plan = compileImportPlan([...HEADER, 'Ghi chú'], PROFILE, 'KS', TARGET);
  const r = checkImportRow(plan, [...ROW, 'Đã cải chính;\r\ntheo "Quyết định" số 50'], 2, new Map());
  expect(r).toMatchObject({ ok: true, values: { notes: 'Đã cải chính;\ntheo "Quyết định" số 50' } });
});
