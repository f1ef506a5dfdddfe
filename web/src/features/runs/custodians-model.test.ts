import { agencyChoices, shownUnits } from './custodians-model';
import type { CustodianUnit } from '../../lib/api-types';

const unit = (unitCode: string, unitName: string, rows: number, decided?: string): CustodianUnit => ({
  unitCode,
  unitName,
  level: unitCode.length === 3 ? 'district' : 'commune',
  reason: unitCode.length === 3 ? 'UNIT_DISTRICT_NEEDS_DECISION' : 'UNIT_SPLIT_NEEDS_DECISION',
  rows,
  registers: { KS: { rows, books: 1 } },
  candidates: [
    { code: '00025', name: 'UBND phường Giảng Võ' },
    { code: '00008', name: 'UBND phường Ngọc Hà' },
  ],
  ...(decided
    ? { decision: { unitCode, unitName, agencyCode: decided, agencyName: '', candidate: true, decidedBy: 'dieuphoi01', decidedAt: '2026-12-01T08:00:00.000Z', rows } }
    : {}),
});

const units = [unit('00007', 'Phường Cống Vị', 12), unit('001', 'Quận Ba Đình', 3, '00004'), unit('00181', 'Xã Ân Thi', 40), unit('00016', 'Phường Đống Đa', 5, '00025')];
const codes = (us: CustodianUnit[]) => us.map((u) => u.unitCode);

test('units filter by decided or not, search code (zeros left out or not) or name without accents, and sort names in Vietnamese order', () => {
  expect(codes(shownUnits(units, 'undecided', '', 'code'))).toEqual(['00007', '00181']);
  expect(codes(shownUnits(units, 'decided', '', 'code'))).toEqual(['001', '00016']);
  expect(codes(shownUnits(units, 'all', '7', 'code'))).toEqual(['00007']);
  expect(codes(shownUnits(units, 'all', '0000', 'code'))).toEqual(['00007']);
  expect(codes(shownUnits(units, 'all', 'cong vi', 'code'))).toEqual(['00007']);
  expect(codes(shownUnits(units, 'all', 'ĐỐNG', 'code'))).toEqual(['00016']);
  // "Ân" after "An…"-less names but after "Đống": a, â, b, c, d, đ order on the names' own letters.
  expect(shownUnits(units, 'all', '', 'name').map((u) => u.unitName)).toEqual(['Phường Cống Vị', 'Phường Đống Đa', 'Quận Ba Đình', 'Xã Ân Thi']);
  expect(codes(shownUnits(units, 'all', '', 'rows'))).toEqual(['00181', '00007', '00016', '001']);
});

test("a unit's candidates come first, in the catalog's order, then the province's other agencies by name; a search reaches both", () => {
  const agencies = [
    { code: '00001', name: 'UBND phường Hoàn Kiếm', level: 'commune' as const, provinceCode: '01' },
    { code: '00008', name: 'UBND phường Ngọc Hà', level: 'commune' as const, provinceCode: '01' },
    { code: '00004', name: 'UBND phường Ba Đình', level: 'commune' as const, provinceCode: '01' },
    { code: '00025', name: 'UBND phường Giảng Võ', level: 'commune' as const, provinceCode: '01' },
  ];
  expect(agencyChoices(units[0]!, agencies, '').map((a) => [a.code, a.candidate])).toEqual([
    ['00025', true],
    ['00008', true],
    ['00004', false],
    ['00001', false],
  ]);
  expect(agencyChoices(units[0]!, agencies, 'hoan kiem').map((a) => a.code)).toEqual(['00001']);
  expect(agencyChoices(units[0]!, agencies, '4').map((a) => a.code)).toEqual(['00004']);
  expect(agencyChoices(units[0]!, agencies, '', 3)).toHaveLength(3);
});
