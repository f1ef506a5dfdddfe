/**
 * A decisions table read line by line: every wrong line is named with its row number, its code
 * and its Vietnamese reason, not only the first; blank lines and units left undecided are told
 * apart from a line that lost its unit.
 */
import { isAppError } from '../errors';
import { checkCustodianTable, custodianTableDecisions, custodianTableLines, CUSTODIAN_TABLE, type NeededUnits } from './custodians';

// Phường Cống Vị (00007) was divided between Giảng Võ (00025) and Ngọc Hà (00008); Quận Ba Đình (001) was abolished.
const needed: NeededUnits = { '00007': ['00025', '00008'], '001': ['00004', '00008'] };
const header = [CUSTODIAN_TABLE.unit, CUSTODIAN_TABLE.agency, CUSTODIAN_TABLE.basis, CUSTODIAN_TABLE.decisionNumber];
const table = (...rows: unknown[][]) => [header, ...rows].map((cells, i) => ({ row: i + 1, cells }));

test('lines keep their row numbers; blank lines are left out; a line without an agency leaves its unit undecided', () => {
  const lines = custodianTableLines([{ row: 1, cells: header }, { row: 2, cells: ['7', '25', '', '12/QĐ-UBND'] }, { row: 4, cells: ['', null, ' ', ''] }, { row: 5, cells: ['001', '', '', ''] }], 'bang.csv');
  expect(lines).toEqual([
    { line: 2, unitCode: '7', agencyCode: '25', decision: { unitCode: '7', agencyCode: '25', committeeDecision: { number: '12/QĐ-UBND', date: '' } } },
    { line: 5, unitCode: '001', agencyCode: '' },
  ]);
  expect(checkCustodianTable('01', needed, lines)).toEqual([
    { line: 2, status: 'decided', unitCode: '00007', unitName: 'Phường Cống Vị', agencyCode: '00025', agencyName: 'UBND phường Giảng Võ', candidate: true },
    { line: 5, status: 'undecided', unitCode: '001' },
  ]);
});

test('every wrong line is refused with its own code and reason, and nothing of the table is taken', () => {
  const lines = custodianTableLines(
    table(
      ['00007', '00025', ''], // 2: right
      ['001', '99999', ''], // 3: no such agency
      ['00007', '00008', ''], // 4: the unit of line 2 again, another agency
      ['', '00025', 'theo công văn'], // 5: no unit
      ['001', '00097', ''], // 6: not a candidate, no basis
      ['00099', '00025', ''], // 7: a unit that needs no decision
    ),
    'bang.xlsx',
  );
  const outcomes = checkCustodianTable('01', needed, lines);
  expect(outcomes.map((o) => [o.line, o.status, o.status === 'refused' ? o.code : ''])).toEqual([
    [2, 'decided', ''],
    [3, 'refused', 'CUSTODIAN_AGENCY_UNKNOWN'],
    [4, 'refused', 'CUSTODIAN_UNIT_TWICE'],
    [5, 'refused', 'CUSTODIAN_TABLE_UNIT_MISSING'],
    [6, 'refused', 'CUSTODIAN_BASIS_MISSING'],
    [7, 'refused', 'CUSTODIAN_UNIT_NOT_NEEDED'],
  ]);
  expect(outcomes[3]).toMatchObject({ messageVi: 'Dòng 5 có dữ liệu nhưng không ghi "Mã đơn vị cũ"; ghi mã xã/huyện cũ hoặc xoá dòng.' });
  let refusal: unknown;
  try {
    custodianTableDecisions('01', needed, lines, 'bang.xlsx');
  } catch (e) {
    refusal = e;
  }
  expect(isAppError(refusal) && refusal.code).toBe('CUSTODIAN_TABLE_REFUSED');
  if (!isAppError(refusal)) return;
  expect((refusal.params as { lines: Array<{ line: number }> }).lines.map((l) => l.line)).toEqual([3, 4, 5, 6, 7]);
  expect(refusal.messageVi).toMatch(/^Bảng quyết định "bang\.xlsx" có 5 dòng không nhận được nên không quyết định nào trong bảng được ghi: dòng 3: Mã cơ quan "99999" không có trong danh mục/);
  expect(refusal.messageVi).toContain('(và 2 dòng khác)');
});

test('a table of right lines gives its decisions; one that decides nothing is refused as empty', () => {
  const { decisions, outcomes } = custodianTableDecisions('01', needed, custodianTableLines(table(['00007', '00008', ''], ['001', '', '']), 'bang.csv'), 'bang.csv');
  expect(decisions).toEqual([{ unitCode: '00007', agencyCode: '00008' }]);
  expect(outcomes.map((o) => o.status)).toEqual(['decided', 'undecided']);
  expect(() => custodianTableDecisions('01', needed, custodianTableLines(table(['001', '', '']), 'bang.csv'), 'bang.csv')).toThrow(expect.objectContaining({ code: 'CUSTODIAN_DECISIONS_EMPTY' }));
  expect(() => custodianTableLines([{ row: 1, cells: [CUSTODIAN_TABLE.unit, 'Cơ quan'] }], 'bang.csv')).toThrow(expect.objectContaining({ code: 'CUSTODIAN_TABLE_COLUMNS' }));
});
