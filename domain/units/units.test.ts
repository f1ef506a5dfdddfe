import fc from 'fast-check';
import { restoreUnitCode, unitCatalog } from './catalog';
import { agencyOf, routeRegisteringUnit, provinceCodeByName } from './routing';
import { ProvinceUnknown, requireProvinceCode } from './province-code';
import { isAppError } from '../errors';
import { unitNameKey, nameMatches } from './unit-names';
import raw from './data/catalog.json';

const catalog = unitCatalog();

describe('catalog', () => {
  test('both generations with the counts of the published lists', () => {
    expect(catalog.provinces('legacy')).toHaveLength(63);
    expect(catalog.provinces('2025')).toHaveLength(34);
    expect(raw.districts).toHaveLength(696);
    expect(raw.communesLegacy).toHaveLength(10035);
    expect(raw.communes2025).toHaveLength(3321);
  });

  test('real units by code, in each generation', () => {
    expect(catalog.commune('legacy', '00001')).toMatchObject({ name: 'Phường Phúc Xá', districtCode: '001', provinceCode: '01' });
    expect(catalog.district('001')).toMatchObject({ name: 'Quận Ba Đình', provinceCode: '01' });
    // The same five digits name another unit from 1 July 2025.
    expect(catalog.commune('legacy', '00004')?.name).toBe('Phường Trúc Bạch');
    expect(catalog.commune('2025', '00004')?.name).toBe('Phường Ba Đình');
  });

  test('every pre-2025 commune has a successor that exists in the 2025 list', () => {
    for (const [code] of raw.communesLegacy) {
      const s = catalog.successorOf(catalog.commune('legacy', String(code))!);
      expect(s).toBeDefined();
      const targets = s!.kind === 'divided' ? s!.candidates : [s!.to];
      for (const t of targets) expect(catalog.commune('2025', t.code)).toBe(t);
    }
  });

  test('every pre-2025 province became part of one of the 34', () => {
    for (const p of catalog.provinces('legacy')) expect(catalog.provinceSuccessor(p.code)?.generation).toBe('2025');
    expect(catalog.provinceSuccessor('30')?.name).toBe('Thành phố Hải Phòng'); // Hải Dương
  });
});

describe('names', () => {
  test.each([
    ['Xã Hòa An', 'xã Hoà An'],
    ['Xã Hòa An', 'Hoa An'],
    ['Phường 1', 'P. 01'],
    ['Phường 01', 'P.1'],
    ['Thị trấn Cần Thạnh', 'TT. Cần Thạnh'],
    ['Quận Ba Đình', 'Q.Ba Đình'],
    ['Thành phố Hà Nội', 'TP Hà Nội'],
    ['Xã Chân Mây – Lăng Cô', 'Xã Chân Mây - Lăng Cô'],
  ])('%s = %s', (a, b) => {
    expect(nameMatches(unitNameKey(b), unitNameKey(a))).toBe(true);
  });

  test('a written type must agree', () => {
    expect(nameMatches(unitNameKey('Xã An Phú'), unitNameKey('Phường An Phú'))).toBe(false);
  });

  test('province names in any common form', () => {
    expect(provinceCodeByName('Hà Nội')).toBe('01');
    expect(provinceCodeByName('TP. Hồ Chí Minh')).toBe('79');
    expect(provinceCodeByName('tỉnh Thanh Hoá')).toBe('38');
  });
});

describe('routing a row to the agency that holds its register today', () => {
  test('a merged commune routes to its successor and keeps both codes', () => {
    const r = routeRegisteringUnit({ unitCode: '00001', registeredOn: '2009-03-05' });
    expect(r).toMatchObject({
      ok: true,
      matchedBy: 'code',
      successorApplied: true,
      registeringUnit: { code: '00001', name: 'Phường Phúc Xá' },
      currentUnit: { code: '00097', generation: '2025' },
      agency: { code: '00097', name: 'UBND phường Hồng Hà', level: 'commune', provinceCode: '01' },
    });
  });

  test('a code that lost its leading zeros is restored', () => {
    expect(restoreUnitCode(1, 'commune')).toBe('00001');
    expect(restoreUnitCode('1', 'district')).toBe('001');
    const r = routeRegisteringUnit({ unitCode: 1, unitLevel: 'commune', registeredOn: '2009-03-05' });
    expect(r.ok && r.registeringUnit.code).toBe('00001');
  });

  test('a unit merged away before 2025 routes through the unit that took it over', () => {
    const byCode = routeRegisteringUnit({ unitCode: '00010', registeredOn: '2012-04-02', provinceCode: '01' });
    const trucBach = routeRegisteringUnit({ unitCode: '00004', registeredOn: '2012-04-02' });
    expect(byCode).toMatchObject({ ok: true, successorApplied: true, registeringUnit: { code: '00010', name: 'Phường Nguyễn Trung Trực', former: true } });
    expect(byCode.ok && trucBach.ok && byCode.agency).toEqual(trucBach.ok && trucBach.agency);
    const byName = routeRegisteringUnit({ communeName: 'P. Nguyễn Trung Trực', districtName: 'Ba Đình', provinceCode: '01', registeredOn: 2012 });
    expect(byName).toMatchObject({ ok: true, matchedBy: 'name', registeringUnit: { code: '00010' } });
    // Huyện Trà Lĩnh (Cao Bằng) went to two districts in 2020: a person decides.
    expect(routeRegisteringUnit({ unitCode: '046', registeredOn: '2015-01-01' })).toMatchObject({ ok: false, reason: 'UNIT_SPLIT_NEEDS_DECISION' });
  });

  test('a 2025 registration uses the 2025 meaning of the code', () => {
    const r = routeRegisteringUnit({ unitCode: '00004', registeredOn: '2025-08-01' });
    expect(r).toMatchObject({ ok: true, successorApplied: false, agency: { code: '00004', name: 'UBND phường Ba Đình' } });
  });

  test('without a date, a code naming two different units needs the name', () => {
    expect(routeRegisteringUnit({ unitCode: '00004' })).toMatchObject({ ok: false, reason: 'UNIT_NAME_AMBIGUOUS' });
    expect(routeRegisteringUnit({ unitCode: '00004', communeName: 'P. Trúc Bạch' })).toMatchObject({ ok: true, registeringUnit: { generation: 'legacy' } });
  });

  test('by name only, with old tone placement, says it matched by name', () => {
    const r = routeRegisteringUnit({ communeName: 'phường Phúc Xá', districtName: 'Q. Ba Đình', provinceName: 'Hà Nội', registeredOn: 2009 });
    expect(r).toMatchObject({ ok: true, matchedBy: 'name', registeringUnit: { code: '00001' } });
  });

  test("a district's registers wait for the coordinator's custodian, then go to it under the district's own books", () => {
    const pending = routeRegisteringUnit({ unitCode: '001', registeredOn: '2015-01-01' });
    expect(pending).toMatchObject({ ok: false, reason: 'UNIT_DISTRICT_NEEDS_DECISION', pending: { unit: { code: '001', name: 'Quận Ba Đình' } } });
    // The communes Ba Đình's wards became, the one that took most of them first; the catalog records no seat.
    const candidates = !pending.ok ? pending.candidates!.map((u) => u.code) : [];
    const wards = unitCatalog().legacyUnitsOf('01').communes.filter((c) => c.districtCode === '001');
    const successors = new Set(wards.flatMap((c) => { const s = unitCatalog().successorOf(c)!; return s.kind === 'divided' ? s.candidates.map((u) => u.code) : [s.to.code]; }));
    expect(new Set(candidates)).toEqual(successors);
    expect(routeRegisteringUnit({ unitCode: '001', registeredOn: '2015-01-01' }, { dividedCommunes: 'decide', districtRegisters: 'district' })).toMatchObject({ ok: true, agency: { code: '001', level: 'district' } });
    const custodian = agencyOf(unitCatalog().commune('2025', candidates[0]!)!);
    const decided = routeRegisteringUnit({ unitCode: '001', registeredOn: '2015-01-01' }, { dividedCommunes: 'decide', districtRegisters: 'decide', custodians: new Map([['001', custodian]]) });
    expect(decided).toMatchObject({ ok: true, agency: custodian, registeringUnit: { code: '001' }, custodianOf: { code: '001' } });
  });

  test('unknown codes, missing units and divided communes are exceptions with a reason, never a guess', () => {
    expect(routeRegisteringUnit({ unitCode: '99999', registeredOn: '2010-01-01' })).toMatchObject({ ok: false, reason: 'UNIT_UNKNOWN_CODE' });
    expect(routeRegisteringUnit({})).toMatchObject({ ok: false, reason: 'UNIT_MISSING' });
    const [divided] = raw.splits[0]!;
    const r = routeRegisteringUnit({ unitCode: divided as string, registeredOn: '2010-01-01' });
    expect(r).toMatchObject({ ok: false, reason: 'UNIT_SPLIT_NEEDS_DECISION' });
    expect(!r.ok && r.candidates!.length).toBeGreaterThan(1);
    expect(routeRegisteringUnit({ unitCode: divided as string, registeredOn: '2010-01-01' }, { dividedCommunes: 'package-default', districtRegisters: 'decide' }).ok).toBe(true);
    const custodian = agencyOf(!r.ok ? r.candidates![1]! : unitCatalog().commune('2025', '00004')!);
    expect(routeRegisteringUnit({ unitCode: divided as string, registeredOn: '2010-01-01' }, { dividedCommunes: 'decide', districtRegisters: 'decide', custodians: new Map([[divided as string, custodian]]) })).toMatchObject({ ok: true, agency: custodian, custodianOf: { code: divided } });
  });

  test('a unit of another province is refused for this export', () => {
    expect(routeRegisteringUnit({ unitCode: '26734', registeredOn: '2010-01-01', provinceCode: '01' })).toMatchObject({ ok: false, reason: 'UNIT_OTHER_PROVINCE' });
  });

  test('every pre-2025 commune code routes to itself or a 2025 successor (property)', () => {
    const codes = raw.communesLegacy.map(([c]) => c as string);
    fc.assert(
      fc.property(fc.constantFrom(...codes), fc.integer({ min: 1950, max: 2024 }), (code, year) => {
        const r = routeRegisteringUnit({ unitCode: code, registeredOn: `${year}-06-15` });
        if (r.ok) {
          expect(r.registeringUnit.code).toBe(code);
          expect(r.currentUnit.generation).toBe('2025');
          expect(agencyOf(r.currentUnit)).toEqual(r.agency);
        } else {
          expect(r.reason).toBe('UNIT_SPLIT_NEEDS_DECISION');
        }
        // Padded or not, the same answer.
        expect(routeRegisteringUnit({ unitCode: Number(code), unitLevel: 'commune', registeredOn: `${year}-06-15` })).toEqual(r);
      }),
      { numRuns: 500 },
    );
  });
});

test('a province code as typed is a province of either generation, or refused as PROVINCE_UNKNOWN; a known code, with or without its 0 and spaces, is itself', () => {
  fc.assert(
    fc.property(fc.string({ maxLength: 6 }), (typed) => {
      try {
        const code = requireProvinceCode(typed);
        expect(catalog.province('legacy', code) ?? catalog.province('2025', code)).toBeDefined();
      } catch (e) {
        expect(isAppError(e) && e.code).toBe(ProvinceUnknown.code);
      }
    }),
  );
  const codes = [...new Set([...catalog.provinces('legacy'), ...catalog.provinces('2025')].map((p) => p.code))];
  fc.assert(fc.property(fc.constantFrom(...codes), fc.boolean(), (code, short) => expect(requireProvinceCode(` ${short ? String(Number(code)) : code} `)).toBe(code)));
});
