import { isAppError } from '../errors';
import { fieldsOf } from '../registers/register-types';
import { validateRecord } from '../registers/validate-record';
import { encodeTcvn3 } from '../text/legacy-encoding';
import { cellValue, parseRowValues, displayValue } from './cell-values';
import { loadProfile } from './profile-schema';
import { SHIPPED_PROFILES, splitOutputHeaders } from './shipped';
import { compileSheetMapping, findHeaderRow, mapRow, registerTypeFromText, sheetRegisterType, type Cell } from './sheet-mapping';

const c06 = SHIPPED_PROFILES['c06-default']!;

function caught(fn: () => unknown): { code: string; messageVi: string } {
  try {
    fn();
  } catch (e) {
    if (isAppError(e)) return { code: e.code, messageVi: e.messageVi };
    throw e;
  }
  throw new Error('expected an error');
}

test('register type from sheet names and cells', () => {
  expect(registerTypeFromText('KS')).toBe('KS');
  expect(registerTypeFromText('ks 2009')).toBe('KS');
  expect(registerTypeFromText('Sổ đăng ký khai tử')).toBe('KT');
  expect(registerTypeFromText('Ghi vào sổ việc ly hôn')).toBe('LH');
  expect(registerTypeFromText('Kết hôn')).toBe('KH');
  expect(registerTypeFromText('Sheet1')).toBeUndefined();
  expect(caught(() => sheetRegisterType(c06, 'Sheet1')).code).toBe('PROFILE_REGISTER_TYPE_UNKNOWN');
});

describe('a C06-style sheet with a title, blank rows and aliases', () => {
  const rows: Cell[][] = [
    ['DANH SÁCH ĐĂNG KÝ KHAI SINH', null, null],
    [],
    ['Mã xã', 'Năm', 'Quyển', 'Số ĐK', 'Ngày ĐK', 'HỌ TÊN', 'Ngay sinh', 'Giới tính', 'Số CCCD', 'Cột lạ', 'Số ĐK'],
    [1, 2009, '01', 125, 39883, encodeTcvn3('Nguyễn Thị Hoà'), '05/03/2009', 'Nữ', 1309012345, '=SUM(A1)', 'x'],
  ];

  test('finds the header row, maps aliases, keeps unknown and duplicate columns verbatim in order', () => {
    const h = findHeaderRow(rows, c06, 'KS', 'KS');
    expect(h).toBe(2);
    const mapping = compileSheetMapping(rows[h]!, c06, 'KS', 'KS');
    expect(mapping.fields.map((f) => f.key)).toEqual(['agencyCode', 'bookYear', 'bookNumber', 'registrationNumber', 'registrationDate', 'fullName', 'dateOfBirth', 'sex', 'personalId']);
    const row = mapRow(mapping, rows[3]!);
    expect(row.extra).toEqual([['Cột lạ', '=SUM(A1)'], ['Số ĐK', 'x']]);

    const parsed = parseRowValues(mapping.fields, row.values);
    expect(parsed.values).toEqual({
      agencyCode: '00001', bookYear: 2009, bookNumber: '01', registrationNumber: '125',
      registrationDate: { year: 2009, month: 3, day: 11 }, fullName: 'Nguyễn Thị Hoà', dateOfBirth: { year: 2009, month: 3, day: 5 }, sex: 'female', personalId: '001309012345',
    });
    expect(parsed.repaired).toEqual([{ field: 'fullName', original: encodeTcvn3('Nguyễn Thị Hoà'), encoding: 'tcvn3' }]);
    expect(parsed.restoredZeros).toEqual(['agencyCode', 'personalId']);
    expect(parsed.problems).toEqual([]);
    expect(validateRecord('KS', parsed.values).map((p) => p.code)).toEqual([]);
  });

  test('a missing required column names it and its accepted headers', () => {
    const e = caught(() => compileSheetMapping(['Năm', 'Quyển', 'Họ tên'], c06, 'KS', 'KS'));
    expect(e.code).toBe('PROFILE_COLUMN_MISSING');
    expect(e.messageVi).toBe('Trang "KS" thiếu cột bắt buộc: "Số đăng ký" (hoặc "Số ĐK", "Số", "Số đăng kí", "Số TT").');
  });

  test('without a book-year column, a registration-date column will do; without either, both are named', () => {
    expect(compileSheetMapping(['Quyển số', 'Số đăng ký', 'Ngày đăng ký', 'Họ và tên'], c06, 'KS', 'KS').bookYearFromDate).toBe(true);
    expect(compileSheetMapping(['Năm', 'Quyển số', 'Số đăng ký', 'Ngày đăng ký', 'Họ và tên'], c06, 'KS', 'KS').bookYearFromDate).toBe(false);
    expect(caught(() => compileSheetMapping(['Quyển số', 'Số đăng ký', 'Họ và tên'], c06, 'KS', 'KS')).messageVi).toBe(
      'Trang "KS" thiếu cột bắt buộc: "Năm đăng ký" (hoặc "Năm", "Năm sổ", "Năm mở sổ"; hoặc cột "Ngày đăng ký" để lấy năm từ ngày).',
    );
  });

  test('no header among the first rows is a coded error', () => {
    expect(caught(() => findHeaderRow([['a'], ['b']], c06, 'KS', 'KS')).code).toBe('PROFILE_HEADER_NOT_FOUND');
  });
});

test('bad values are reported per field, lunar and unknown dates kept as text', () => {
  const fields = fieldsOf('KS');
  const parsed = parseRowValues(fields, { bookYear: 'hai nghìn', bookNumber: '1', registrationNumber: '7', fullName: 'Lê Văn Tám', sex: 'không rõ', dateOfBirth: 'rằm tháng Giêng (âm lịch)', registrationDate: '31/02/2009', agencyCode: '123456' });
  expect(parsed.problems.map((p) => [p.field, p.code, p.severity])).toEqual([
    ['agencyCode', 'CODE_INVALID', 'error'],
    ['bookYear', 'INTEGER_INVALID', 'error'],
    ['registrationDate', 'DATE_INVALID', 'error'],
    ['dateOfBirth', 'DATE_LUNAR', 'warning'],
    ['sex', 'SEX_INVALID', 'error'],
  ]);
  expect(parsed.values.dateOfBirth).toBe('rằm tháng Giêng (âm lịch)');
});

test('split-output re-reads what the split writes, losslessly', () => {
  const profile = SHIPPED_PROFILES['split-output']!;
  const headers = splitOutputHeaders('KH', ['Cột lạ']);
  const mapping = compileSheetMapping(headers, profile, 'KH', 'KH');
  expect(mapping.fields.map((f) => f.key)).toEqual(fieldsOf('KH').map((f) => f.key));
  const values = { bookYear: 2015, bookNumber: '02', registrationNumber: '125/BS', husbandName: 'Trần Văn Ba', wifeName: 'Đỗ Thị Tư', registrationDate: { year: 2015, month: 6 } };
  const cells = fieldsOf('KH').map((f) => displayValue(f, values[f.key as keyof typeof values]));
  const back = parseRowValues(mapping.fields, mapRow(mapping, [...cells, 'giữ nguyên']).values);
  expect(back.problems).toEqual([]);
  expect(back.values).toEqual(values);
});

test('profile files are validated', () => {
  expect(caught(() => loadProfile({ ...c06, headerRow: { mode: 'find', minMatches: 0, scanRows: 5 } })).code).toBe('PROFILE_INVALID');
  expect(caught(() => loadProfile({ ...c06, extra: 1 })).code).toBe('PROFILE_INVALID');
});

describe('free text keeps its lines; every other text is one line', () => {
  const field = (key: string) => fieldsOf('TDCC').find((f) => f.key === key)!;
  const value = (key: string, text: string) => {
    const notes = { problems: [], repaired: [], restoredZeros: [] } as Parameters<typeof cellValue>[2];
    return { value: cellValue(field(key), text, notes), repaired: notes.repaired };
  };

  test('which fields are free text is said by the dictionary', () => {
    expect(fieldsOf('TDCC').filter((f) => f.freeText).map((f) => f.key)).toEqual(['notes', 'contentBefore', 'contentAfter', 'grounds']);
    expect(fieldsOf('KT').filter((f) => f.freeText).map((f) => f.key)).toEqual(['notes', 'causeOfDeath']);
  });

  test('a note on two lines: CRLF and CR become LF, each line trimmed and collapsed, blank lines at the ends dropped', () => {
    expect(value('notes', 'Đã cải chính;\r\ntheo "Quyết định" số 50').value).toBe('Đã cải chính;\ntheo "Quyết định" số 50');
    expect(value('grounds', '\r\n Điều 7  Luật Hộ tịch\rkhoản 2\n\n  Quyết định số 50 \r\n\r\n').value).toBe('Điều 7 Luật Hộ tịch\nkhoản 2\n\nQuyết định số 50');
    expect(value('notes', 'một dòng,  hai  khoảng trắng ').value).toBe('một dòng, hai khoảng trắng');
  });

  test('names, codes and numbers on two lines are one line', () => {
    expect(value('fullName', 'Nguyễn\r\nVăn  An').value).toBe('Nguyễn Văn An');
    expect(value('bookNumber', '01\n').value).toBe('01');
    expect(value('registrationNumber', '12\r\n5').value).toBe('12 5');
  });

  test('a line in TCVN3 is repaired, the other left as it is, and the whole cell kept as received', () => {
    const received = `${encodeTcvn3('Nguyễn Thị Hoà xin cải chính')}\r\nngày sinh`;
    expect(value('contentBefore', received)).toEqual({ value: 'Nguyễn Thị Hoà xin cải chính\nngày sinh', repaired: [{ field: 'contentBefore', original: received, encoding: 'tcvn3' }] });
  });
});
