/**
 * Which civil-registration agency holds a row's register today. The row names the unit that
 * registered it (a code and/or names, as written at the time); the register is held by that
 * unit's People's Committee if the unit still exists, else by its successor after 1 July 2025.
 * The row keeps both. Nothing is guessed: an unknown code, an ambiguous name or a divided
 * commune is an exception with a reason code, unless the coordinator's rule says otherwise.
 */
import { unitCatalog, type Unit } from './catalog';
import { nameMatches, unitNameKey, type UnitNameKey } from './unit-names';

export const REORGANISATION_DATE = '2025-07-01';

export interface Agency {
  /** The unit code of the People's Committee that holds registers: 5-digit commune, 3-digit district. */
  code: string;
  /** "UBND phường Phúc Xá", "UBND quận Ba Đình". */
  name: string;
  level: 'commune' | 'district';
  provinceCode: string;
  generation: Unit['generation'];
}

export interface RoutingRules {
  /**
   * Divided communes (471 pre-2025 communes went to several 2025 communes): 'decide' sends the
   * row to the exceptions for a person; 'package-default' takes the part the catalog marks.
   */
  dividedCommunes: 'decide' | 'package-default';
  /**
   * Registers of pre-2025 districts (district level, abolished on 1 July 2025): kept in a
   * folder of the district (the split's district level) — working assumption, see README.
   */
  districtRegisters: 'district';
}

export const DEFAULT_ROUTING_RULES: RoutingRules = { dividedCommunes: 'decide', districtRegisters: 'district' };

export interface RoutingInput {
  /** The code as written: 5-digit commune or 3-digit district (a spreadsheet may have dropped zeros). */
  unitCode?: string | number | null;
  /** What the code column holds ("Mã xã" / "Mã huyện"); without it, the length decides. */
  unitLevel?: 'commune' | 'district';
  provinceName?: string | null;
  districtName?: string | null;
  communeName?: string | null;
  /** ISO date or year of registration: tells which generation a code belongs to. */
  registeredOn?: string | number | null;
  /** The province the export is for, when the row does not name one. */
  provinceCode?: string;
}

export type RoutingFailure =
  | 'UNIT_UNKNOWN_CODE'
  | 'UNIT_NOT_FOUND'
  | 'UNIT_NAME_AMBIGUOUS'
  | 'UNIT_SPLIT_NEEDS_DECISION'
  | 'UNIT_OTHER_PROVINCE'
  | 'UNIT_MISSING';

export type RoutingResult =
  | { ok: true; agency: Agency; registeringUnit: Unit; currentUnit: Unit; matchedBy: 'code' | 'name'; successorApplied: boolean }
  | { ok: false; reason: RoutingFailure; messageVi: string; candidates?: Unit[] };

const MESSAGES_VI: Record<RoutingFailure, string> = {
  UNIT_UNKNOWN_CODE: 'Mã đơn vị hành chính nơi đăng ký không có trong danh mục.',
  UNIT_NOT_FOUND: 'Không tìm thấy đơn vị hành chính nơi đăng ký theo tên.',
  UNIT_NAME_AMBIGUOUS: 'Tên đơn vị hành chính nơi đăng ký ứng với nhiều đơn vị; cần mã đơn vị hoặc tên huyện để phân biệt.',
  UNIT_SPLIT_NEEDS_DECISION: 'Xã/phường nơi đăng ký đã được chia cho nhiều đơn vị mới từ 01/7/2025; cần người điều phối quyết định cơ quan lưu giữ sổ.',
  UNIT_OTHER_PROVINCE: 'Đơn vị hành chính nơi đăng ký thuộc tỉnh khác.',
  UNIT_MISSING: 'Dòng dữ liệu không có mã hoặc tên đơn vị hành chính nơi đăng ký.',
};

const fail = (reason: RoutingFailure, candidates?: Unit[]): RoutingResult => ({ ok: false, reason, messageVi: MESSAGES_VI[reason], ...(candidates ? { candidates } : {}) });

/** "UBND phường Phúc Xá" from "Phường Phúc Xá": the People's Committee of the unit. */
export function agencyOf(unit: Unit): Agency {
  const firstWordLength = unit.name.match(/^(Thành phố|Thị trấn|Thị xã|Đặc khu|Phường|Quận|Huyện|Xã)\s/u)?.[1]?.length ?? 0;
  const typed = firstWordLength ? unit.name.slice(0, firstWordLength).toLocaleLowerCase('vi') + unit.name.slice(firstWordLength) : unit.name;
  return {
    code: unit.code,
    name: `UBND ${typed}`,
    level: unit.level === 'district' ? 'district' : 'commune',
    provinceCode: unit.provinceCode,
    generation: unit.generation,
  };
}

/** 5, 3 or 2 digits with the zeros a spreadsheet dropped put back; the length says the level. */
export function restoreUnitCode(code: string | number, expected: 'commune' | 'district' | 'province'): string {
  const width = { commune: 5, district: 3, province: 2 }[expected];
  const digits = String(code).trim();
  return /^\d+$/.test(digits) && digits.length <= width ? digits.padStart(width, '0') : digits;
}

function generationOf(registeredOn: RoutingInput['registeredOn']): 'legacy' | '2025' | undefined {
  if (registeredOn === null || registeredOn === undefined || registeredOn === '') return undefined;
  const s = String(registeredOn);
  if (/^\d{4}$/.test(s)) return Number(s) < 2025 ? 'legacy' : undefined; // a 2025 year alone cannot tell
  return s < REORGANISATION_DATE ? 'legacy' : '2025';
}

interface NameIndex {
  communes: Array<{ unit: Unit; key: UnitNameKey; districtKey?: UnitNameKey }>;
  districts: Array<{ unit: Unit; key: UnitNameKey }>;
}

const nameIndexes = new Map<string, NameIndex>();

function nameIndex(provinceCode: string): NameIndex {
  let index = nameIndexes.get(provinceCode);
  if (!index) {
    const catalog = unitCatalog();
    const { districts, communes } = catalog.legacyUnitsOf(provinceCode);
    index = {
      districts: districts.map((unit) => ({ unit, key: unitNameKey(unit.name) })),
      communes: [
        ...communes.map((unit) => ({ unit, key: unitNameKey(unit.name), districtKey: unitNameKey(catalog.district(unit.districtCode!)!.name) })),
        ...catalog.communes2025Of(provinceCode).map((unit) => ({ unit, key: unitNameKey(unit.name) })),
      ],
    };
    nameIndexes.set(provinceCode, index);
  }
  return index;
}

function byCode(input: RoutingInput, generation: 'legacy' | '2025' | undefined): Unit | Unit[] | undefined {
  const catalog = unitCatalog();
  const raw = String(input.unitCode).trim();
  if (!/^\d{1,5}$/.test(raw)) return undefined;
  const level = input.unitLevel ?? (raw.length >= 4 ? 'commune' : 'district');
  if (level === 'commune') {
    const code = restoreUnitCode(raw, 'commune');
    const legacy = catalog.commune('legacy', code);
    const current = catalog.commune('2025', code);
    if (generation === 'legacy') return legacy;
    if (generation === '2025') return current;
    if (legacy && current && legacy.name !== current.name) return [legacy, current];
    return legacy ?? current;
  }
  // A district code (3 digits, possibly with lost zeros) exists only before 2025.
  return catalog.district(restoreUnitCode(raw, 'district'));
}

function byName(input: RoutingInput, provinceCode: string, generation: 'legacy' | '2025' | undefined): Unit[] {
  const index = nameIndex(provinceCode);
  if (input.communeName) {
    const key = unitNameKey(input.communeName);
    const districtKey = input.districtName ? unitNameKey(input.districtName) : undefined;
    return index.communes
      .filter((c) => nameMatches(key, c.key) && (!generation || c.unit.generation === generation) && (!districtKey || !c.districtKey || nameMatches(districtKey, c.districtKey)))
      .filter((c, _, all) => !districtKey || c.unit.generation === 'legacy' || !all.some((o) => o.unit.generation === 'legacy'))
      .map((c) => c.unit);
  }
  if (input.districtName) {
    const key = unitNameKey(input.districtName);
    return index.districts.filter((d) => nameMatches(key, d.key)).map((d) => d.unit);
  }
  return [];
}

export function routeRegisteringUnit(input: RoutingInput, rules: RoutingRules = DEFAULT_ROUTING_RULES): RoutingResult {
  const catalog = unitCatalog();
  const generation = generationOf(input.registeredOn);
  let unit: Unit | undefined;
  let matchedBy: 'code' | 'name' = 'code';

  if (input.unitCode !== undefined && input.unitCode !== null && String(input.unitCode).trim() !== '') {
    const found = byCode(input, generation);
    if (Array.isArray(found)) {
      // The code names one unit before 2025 and another after: the names decide.
      const named = input.communeName ? found.filter((u) => nameMatches(unitNameKey(input.communeName!), unitNameKey(u.name))) : [];
      if (named.length !== 1) return fail('UNIT_NAME_AMBIGUOUS', found);
      unit = named[0];
    } else if (!found) {
      return fail('UNIT_UNKNOWN_CODE');
    } else {
      unit = found;
    }
  } else if (input.communeName || input.districtName) {
    matchedBy = 'name';
    const provinceCode = input.provinceCode ?? (input.provinceName ? provinceCodeByName(input.provinceName) : undefined);
    if (!provinceCode) return fail('UNIT_NOT_FOUND');
    const candidates = byName(input, provinceCode, generation);
    if (candidates.length === 0) return fail('UNIT_NOT_FOUND');
    const legacy = candidates.filter((c) => c.generation === 'legacy');
    const pool = generation ? candidates : legacy.length ? legacy : candidates;
    if (pool.length > 1) return fail('UNIT_NAME_AMBIGUOUS', pool);
    unit = pool[0];
  } else {
    return fail('UNIT_MISSING');
  }
  unit = unit!;

  if (input.provinceCode && unit.provinceCode !== input.provinceCode) {
    const successorProvince = unit.generation === 'legacy' ? catalog.provinceSuccessor(unit.provinceCode)?.code : unit.provinceCode;
    const exportProvince = catalog.province('2025', input.provinceCode) ? input.provinceCode : catalog.provinceSuccessor(input.provinceCode)?.code;
    if (successorProvince !== exportProvince) return fail('UNIT_OTHER_PROVINCE');
  }

  if (unit.generation === '2025') return { ok: true, agency: agencyOf(unit), registeringUnit: unit, currentUnit: unit, matchedBy, successorApplied: false };
  if (unit.level === 'district') {
    const succession = catalog.successorOf(unit);
    // A commune-less island district became one commune-level unit; other districts keep their folder.
    if (succession?.kind === 'same-or-merged') return { ok: true, agency: agencyOf(succession.to), registeringUnit: unit, currentUnit: succession.to, matchedBy, successorApplied: true };
    return { ok: true, agency: agencyOf(unit), registeringUnit: unit, currentUnit: unit, matchedBy, successorApplied: false };
  }
  const succession = catalog.successorOf(unit);
  if (!succession) return fail('UNIT_UNKNOWN_CODE');
  if (succession.kind === 'divided') {
    if (rules.dividedCommunes === 'package-default' && succession.packageDefault) {
      return { ok: true, agency: agencyOf(succession.packageDefault), registeringUnit: unit, currentUnit: succession.packageDefault, matchedBy, successorApplied: true };
    }
    return fail('UNIT_SPLIT_NEEDS_DECISION', succession.candidates);
  }
  return { ok: true, agency: agencyOf(succession.to), registeringUnit: unit, currentUnit: succession.to, matchedBy, successorApplied: succession.to.code !== unit.code || succession.to.name !== unit.name };
}

const provinceKeys = new Map<string, string>();

/** "TP Hà Nội", "Hà Nội", "Thành phố Hà Nội" → "01"; either generation. */
export function provinceCodeByName(name: string): string | undefined {
  if (provinceKeys.size === 0) {
    const catalog = unitCatalog();
    for (const g of ['2025', 'legacy'] as const) for (const p of catalog.provinces(g)) provinceKeys.set(unitNameKey(p.name).core, p.code);
  }
  return provinceKeys.get(unitNameKey(name).core);
}
