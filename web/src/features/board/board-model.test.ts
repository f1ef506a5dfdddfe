import { boardRows, filterRows, sortRows, totalsOf } from './board-model';
import type { AgencyProgress } from '../../lib/api-types';

const agency = (code: string, name: string, extra: Partial<AgencyProgress> = {}): AgencyProgress => ({ code, name, level: 'commune', rows: 10, files: 1, phase: 'in_review', ...extra });

const agencies = [
  agency('00010', 'UBND xã Ân Thi', { phase: 'awaiting_import' }),
  agency('00004', 'UBND phường Đống Đa', { overdueBooks: 2 }),
  agency('00007', 'UBND phường Đông Ngạc', { phase: 'completed' }),
  agency('00013', 'UBND xã An Khánh', { overdueBooks: 1 }),
  agency('271', 'UBND huyện Ba Vì', { level: 'district', phase: 'in_review' }),
];
const counts = [
  { code: '00004', records: 100, withPage: 80, approved: 60, rejected: 2, transferred: 50 },
  { code: '00007', records: 40, withPage: 40, approved: 40, rejected: 0, transferred: 40 },
  { code: '00013', records: 300, withPage: 10, approved: 5, rejected: 1, transferred: 0 },
];
const rows = boardRows(agencies, counts);
const codes = (rs: Array<{ code: string }>) => rs.map((r) => r.code);

test('names sort in Vietnamese order (domain/text/collation.ts): letters first, a before â, đ before n; tones only between names spelled alike', () => {
  // "Ân" (â) after "An" (a); "Đống Đa" before "Đông Ngạc": their letters differ at "đ" / "n" before any tone counts.
  expect(sortRows(rows, 'name').map((r) => r.name)).toEqual(['UBND huyện Ba Vì', 'UBND phường Đống Đa', 'UBND phường Đông Ngạc', 'UBND xã An Khánh', 'UBND xã Ân Thi']);
  expect(sortRows(boardRows([agency('1', 'UBND xã Hòa'), agency('2', 'UBND xã Hoa'), agency('3', 'UBND xã Hóa')], undefined), 'name').map((r) => r.name)).toEqual(['UBND xã Hoa', 'UBND xã Hòa', 'UBND xã Hóa']);
  expect(codes(sortRows(rows, 'code'))).toEqual(['00004', '00007', '00010', '00013', '271']);
  expect(codes(sortRows(rows, 'overdue'))).toEqual(['00004', '00013', '00007', '00010', '271']);
  expect(codes(sortRows(rows, 'records'))).toEqual(['00013', '00004', '00007', '00010', '271']);
  expect(codes(sortRows(rows, 'transferred'))).toEqual(['00010', '00013', '271', '00004', '00007']);
});

test('search finds a code by its start and a name without accents; filters by phase and overdue books', () => {
  const all = { phase: 'all' as const, overdueOnly: false, query: '' };
  expect(codes(filterRows(rows, { ...all, query: 'dong' }))).toEqual(['00004', '00007']);
  expect(codes(filterRows(rows, { ...all, query: 'ĐỐNG ĐA' }))).toEqual(['00004']);
  expect(codes(filterRows(rows, { ...all, query: '0001' }))).toEqual(['00010', '00013']);
  expect(codes(filterRows(rows, { ...all, query: 'an' }))).toEqual(['00010', '00013']);
  expect(codes(filterRows(rows, { ...all, phase: 'in_review' }))).toEqual(['00004', '00013', '271']);
  expect(codes(filterRows(rows, { ...all, overdueOnly: true }))).toEqual(['00004', '00013']);
  expect(codes(filterRows(rows, { phase: 'in_review', overdueOnly: true, query: 'khanh' }))).toEqual(['00013']);
});

test('totals add up the rows shown, counts that have not come yet as nothing', () => {
  expect(totalsOf(rows)).toEqual({ agencies: 5, rows: 50, records: 440, withPage: 130, approved: 105, rejected: 3, transferred: 90, overdueBooks: 3 });
  expect(totalsOf(boardRows(agencies, undefined))).toMatchObject({ records: 0, overdueBooks: 3 });
});
