import fc from 'fast-check';
import { canonicalValues, checkImportRow, compileImportPlan, type ImportTarget } from './import-row';
import { SHIPPED_PROFILES } from '../profiles/shipped';
import { unitCatalog } from '../units/catalog';
import { agencyOf, type Agency } from '../units/routing';

const PROFILE = SHIPPED_PROFILES['c06-default']!;
// Phường Hồng Hà (00097), Hà Nội: a 2025 ward of the catalog.
const TARGET: ImportTarget = { agencyCode: '00097', agencyName: 'UBND phường Hồng Hà', provinceCode: '01', registerType: 'KS', custodians: new Map() };
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

describe('a row of a former unit: imported by the custodian the run decided, by no one before', () => {
  // On 1 July 2025 Phường Cống Vị (00007) was divided between Phường Giảng Võ (00025) and Phường Ngọc Hà (00008),
  // Phường Điện Biên (00019) among four wards, and the district Ba Đình (001) was abolished.
  const catalog = unitCatalog();
  const agency = (code: string) => agencyOf(catalog.commune('2025', code)!);
  const targetOf = (code: string, custodians: ReadonlyMap<string, Agency>): ImportTarget => ({ ...TARGET, agencyCode: code, agencyName: agency(code).name, custodians });
  const check = (code: string, custodians: ReadonlyMap<string, Agency>, column: string, unit: string) =>
    checkImportRow(compileImportPlan([...HEADER, column], PROFILE, 'KS', targetOf(code, custodians)), [...ROW, unit], 2, new Map());
  const COMMUNE = 'Mã ĐVHC nơi đăng ký';
  const decided = new Map([['00007', agency('00025')]]);

  test('the custodian imports it, keyed by the former unit', () => {
    expect(check('00025', decided, COMMUNE, '00007')).toMatchObject({ ok: true, key: { unitCode: '00007', bookNumber: '01', registrationNumber: '125' } });
  });

  test('any other agency, a candidate not chosen too, is refused with the custodian named', () => {
    for (const other of ['00008', '00097']) {
      expect(check(other, decided, COMMUNE, '00007')).toEqual({
        ok: false,
        problems: [
          expect.objectContaining({
            field: 'agencyCode',
            code: 'ROW_OTHER_AGENCY',
            messageVi: `Nơi đăng ký: dòng thuộc đơn vị cũ 00007 - Phường Cống Vị, có sổ do UBND phường Giảng Võ (mã 00025) lưu giữ theo quyết định của điều phối viên, không phải ${agency(other).name} đang nhập.`,
          }),
        ],
      });
    }
  });

  test('before a decision no agency imports it, and the reason says the custodian is not decided', () => {
    for (const code of ['00025', '00008', '00097']) {
      expect(check(code, new Map(), COMMUNE, '00007')).toEqual({
        ok: false,
        problems: [
          expect.objectContaining({
            code: 'ROW_CUSTODIAN_UNDECIDED',
            messageVi:
              'Nơi đăng ký: dòng thuộc đơn vị cũ 00007 - Phường Cống Vị, chưa có quyết định cơ quan lưu giữ sổ trong lượt chạy này nên chưa cơ quan nào nhập được. Đề nghị điều phối viên quyết định cơ quan lưu giữ (hotich run decide-custodians), rồi nhập lại dòng này.',
          }),
        ],
      });
    }
  });

  test("an abolished district's rows likewise", () => {
    expect(check('00025', new Map(), 'Mã huyện', '001')).toMatchObject({ ok: false, problems: [{ code: 'ROW_CUSTODIAN_UNDECIDED', messageVi: expect.stringContaining('đơn vị cũ 001 - Quận Ba Đình,') }] });
    const district = new Map([['001', agency('00004')]]);
    expect(check('00004', district, 'Mã huyện', '001')).toMatchObject({ ok: true, key: { unitCode: '001' } });
    expect(check('00025', district, 'Mã huyện', '001')).toMatchObject({ ok: false, problems: [{ code: 'ROW_OTHER_AGENCY', messageVi: expect.stringContaining('có sổ do UBND phường Ba Đình (mã 00004)') }] });
  });

  test('property: whatever the decisions, a former unit\'s row is imported by exactly its custodian, or by no one while undecided', () => {
    const formers: Array<[column: string, unit: string]> = [[COMMUNE, '00007'], [COMMUNE, '00019'], ['Mã huyện', '001']];
    const agencies = ['00004', '00008', '00025', '00070', '00097', '00190'];
    fc.assert(
      fc.property(fc.array(fc.option(fc.constantFrom(...agencies), { nil: undefined }), { minLength: formers.length, maxLength: formers.length }), (chosen) => {
        const custodians = new Map(formers.flatMap(([, unit], i) => (chosen[i] ? [[unit, agency(chosen[i]!)] as const] : [])));
        formers.forEach(([column, unit], i) => {
          const taking = agencies.filter((code) => check(code, custodians, column, unit).ok);
          expect(taking).toEqual(chosen[i] ? [chosen[i]] : []);
        });
      }),
      { numRuns: 60 },
    );
  });
});

test('a cell holding a NUL, in a field or a column of its own, refuses its row with CELL_NUL naming the column (PostgreSQL keeps no NUL: the whole import failed, uncoded)', () => {
  const plan = compileImportPlan([...HEADER, 'Cột riêng'], PROFILE, 'KS', TARGET);
  expect(checkImportRow(plan, [...ROW.slice(0, 3), 'Nguyễn\u0000Ánh', ...ROW.slice(4), 'x'], 2, new Map())).toEqual({ ok: false, problems: [expect.objectContaining({ code: 'CELL_NUL', messageVi: expect.stringContaining('Cột Họ và tên') })] });
  expect(checkImportRow(plan, [...ROW, 'a\u0000b'], 2, new Map())).toEqual({ ok: false, problems: [expect.objectContaining({ code: 'CELL_NUL', messageVi: expect.stringContaining('Cột Cột riêng') })] });
});
