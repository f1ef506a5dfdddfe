import fc from 'fast-check';
/**
 * A decisions table read line by line: every wrong line is named with its row number, its code
 * and its Vietnamese reason, not only the first; blank lines and units left undecided are told
 * apart from a line that lost its unit.
 */
import { isAppError } from '../errors';
import { checkCustodianTable, CustodianDecisionDateInvalid, CustodianTableColumns, custodianTableDecisions, custodianTableLines, CUSTODIAN_TABLE, decisionDate, type NeededUnits } from './custodians';

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


const codeOrValue = <T>(fn: () => T): { value: T } | { code: string } => {
  try {
    return { value: fn() };
  } catch (e) {
    if (isAppError(e)) return { code: e.code };
    throw e;
  }
};

test('a decision date written dd/mm/yyyy or yyyy-mm-dd comes back as that day; any other text is refused with its code', () => {
  const day = fc.date({ min: new Date('1900-01-01T00:00:00Z'), max: new Date('2099-12-31T00:00:00Z'), noInvalidDate: true });
  fc.assert(
    fc.property(day, fc.boolean(), fc.boolean(), (d, slashes, pad) => {
      const [y, m, dd] = d.toISOString().slice(0, 10).split('-') as [string, string, string];
      const p = (s: string) => (pad ? s : String(Number(s)));
      const written = slashes ? ` ${p(dd)}/${p(m)}/${y} ` : `${y}-${m}-${dd}`;
      expect(decisionDate(written)).toBe(`${y}-${m}-${dd}`);
    }),
  );
  fc.assert(
    fc.property(fc.oneof(fc.string({ maxLength: 12 }), fc.stringMatching(/^\d{1,2}\/\d{1,2}\/\d{4}$/), fc.stringMatching(/^\d{4}-\d{2}-\d{2}$/)), (s) => {
      const r = codeOrValue(() => decisionDate(s));
      if ('code' in r) expect(r.code).toBe(CustodianDecisionDateInvalid.code);
      else expect(new Date(`${r.value}T00:00:00Z`).toISOString().slice(0, 10)).toBe(r.value);
    }),
  );
});

test('any table is read into its lines or refused for its columns; every line with data is kept, with its row number', () => {
  const anyCell = fc.oneof(fc.string({ maxLength: 8 }), fc.integer(), fc.constant(null), fc.constant(undefined), fc.constant(' '));
  const headers = fc.array(fc.oneof(fc.constantFrom(...Object.values(CUSTODIAN_TABLE), ''), fc.string({ maxLength: 8 })), { maxLength: 7 });
  fc.assert(
    fc.property(headers, fc.array(fc.array(anyCell, { maxLength: 7 }), { maxLength: 12 }), (h, rows) => {
      const r = codeOrValue(() => custodianTableLines([h, ...rows].map((cells, i) => ({ row: i + 1, cells })), 'bang.csv'));
      if ('code' in r) return expect(r.code).toBe(CustodianTableColumns.code);
      const withData = rows.flatMap((cells, i) => (cells.some((c) => c !== null && c !== undefined && String(c).trim() !== '') ? [i + 2] : []));
      expect(r.value.map((l) => l.line)).toEqual(withData);
    }),
  );
  // The template's own columns, in any order, always read.
  fc.assert(
    fc.property(fc.shuffledSubarray(Object.values(CUSTODIAN_TABLE), { minLength: 6 }), fc.array(fc.array(fc.string({ maxLength: 6 }), { minLength: 6, maxLength: 6 }), { maxLength: 8 }), (h, rows) => {
      const lines = custodianTableLines([h, ...rows].map((cells, i) => ({ row: i + 1, cells })), 'bang.csv');
      for (const l of lines) {
        const cells = rows[l.line - 2]!;
        expect(l.unitCode).toBe(cells[h.indexOf(CUSTODIAN_TABLE.unit)]!.normalize('NFC').trim());
        expect(l.agencyCode).toBe(cells[h.indexOf(CUSTODIAN_TABLE.agency)]!.normalize('NFC').trim());
      }
    }),
  );
});
