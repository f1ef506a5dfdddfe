/**
 * Which civil-registration agency holds a row's register today. The row names the unit that
 * registered it (a code and/or names, as written at the time); the register is held by that
 * unit's People's Committee if the unit still exists, else by its successor after 1 July 2025.
 * The row keeps both. Nothing is guessed: an unknown code, an ambiguous name or a divided
 * commune is an exception with a reason code, unless the coordinator's rule says otherwise.
 */
import { lookupUnitCode, unitCatalog, type Unit } from './catalog';
import { unitsByName } from './name-index';
import { nameMatches, TYPES_OF_LEVEL, unitNameKey } from './unit-names';
import { detached } from '../memo';
import type { RecordValues } from '../registers/validate-record';
import { ROUTING_FAILURE_VI, type RoutingFailure } from './routing-failures';

export type { RoutingFailure } from './routing-failures';

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
   * row to the exceptions until the coordinator names the custodian; 'package-default' takes
   * the part the catalog marks.
   */
  dividedCommunes: 'decide' | 'package-default';
  /**
   * Registers of pre-2025 districts (the district level was abolished on 1 July 2025): 'decide'
   * sends them to the exceptions until the coordinator names the custodian; 'district' keeps
   * them in a folder of the district, an agency that no longer exists (for reading old splits).
   */
  districtRegisters: 'decide' | 'district';
  /**
   * The coordinator's decisions: the current agency that keeps the books of each former unit
   * (a divided commune, an abolished district, a former unit whose taker is not known), by the
   * former unit's code. Such a unit's rows go there instead of to the exceptions.
   */
  custodians?: ReadonlyMap<string, Agency>;
}

export const DEFAULT_ROUTING_RULES: RoutingRules = { dividedCommunes: 'decide', districtRegisters: 'decide' };

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

/** The reasons a coordinator's custodian decision resolves. */
export const CUSTODIAN_REASONS: readonly RoutingFailure[] = ['UNIT_SPLIT_NEEDS_DECISION', 'UNIT_DISTRICT_NEEDS_DECISION'];

export type RoutingResult =
  | {
      ok: true;
      agency: Agency;
      registeringUnit: Unit;
      currentUnit: Unit;
      matchedBy: 'code' | 'name';
      successorApplied: boolean;
      /** Set when the agency keeps the books by the coordinator's decision: the former unit decided. */
      custodianOf?: Unit;
    }
  | {
      ok: false;
      reason: RoutingFailure;
      messageVi: string;
      candidates?: Unit[];
      /** For a reason in CUSTODIAN_REASONS: the former unit whose custodian is to be decided, and the unit the row names. */
      pending?: { unit: Unit; registeringUnit: Unit };
    };

const fail = (reason: RoutingFailure, candidates?: Unit[]): RoutingResult => ({ ok: false, reason, messageVi: ROUTING_FAILURE_VI[reason], ...(candidates ? { candidates } : {}) });

const agencies = new WeakMap<Unit, Agency>();

/** "UBND phường Phúc Xá" from "Phường Phúc Xá": the People's Committee of the unit. */
export function agencyOf(unit: Unit): Agency {
  let agency = agencies.get(unit);
  if (!agency) agencies.set(unit, (agency = committeeOf(unit)));
  return agency;
}

function committeeOf(unit: Unit): Agency {
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

/** "00004 - UBND phường Ba Đình": an agency's folder name (NFC; characters no file system accepts replaced). */
export function agencyFolderName(agency: Agency): string {
  return `${agency.code} - ${agency.name}`.normalize('NFC').replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_');
}

function generationOf(registeredOn: RoutingInput['registeredOn']): 'legacy' | '2025' | undefined {
  if (registeredOn === null || registeredOn === undefined || registeredOn === '') return undefined;
  const s = String(registeredOn);
  if (/^\d{4}$/.test(s)) return Number(s) < 2025 ? 'legacy' : undefined; // a 2025 year alone cannot tell
  return s < REORGANISATION_DATE ? 'legacy' : '2025';
}

function byCode(input: RoutingInput, generation: 'legacy' | '2025' | undefined): Unit | Unit[] | undefined {
  const raw = String(input.unitCode).trim();
  // Without a stated level a 4- or 5-digit code is a commune and a shorter one a district: the
  // province is never the registering unit.
  const level = input.unitLevel ?? (raw.length >= 4 ? 'commune' : 'district');
  const found = lookupUnitCode(raw, { level, ...(generation ? { generation } : {}) });
  if (found.found === 'none') return undefined;
  if (found.found === 'one') return found.unit;
  // The same digits before and after 2025 naming the same place are one answer.
  const [a, b] = found.units;
  return found.units.length === 2 && a!.name === b!.name ? a : found.units;
}

function byName(input: RoutingInput, provinceCode: string, generation: 'legacy' | '2025' | undefined): Unit[] {
  const level = input.communeName ? 'commune' : 'district';
  const query = { provinceCode, level, ...(input.districtName ? { districtName: input.districtName } : {}), ...(input.communeName ? { communeName: input.communeName } : {}), ...(generation ? { generation } : {}) } as const;
  return unitsByName(query).map((n) => n.unit);
}

/** A unit merged away before 2025 stands for the unit that took it over, or is itself the unit to decide for. */
function lastStateOf(unit: Unit): { unit: Unit; unresolved: boolean } {
  if (!unit.former) return { unit, unresolved: false };
  const absorption = unitCatalog().absorptionOf(unit);
  return absorption?.kind === 'absorbed' ? { unit: absorption.into, unresolved: false } : { unit, unresolved: true };
}

/**
 * A former unit's rows: to its custodian when the coordinator named one, else to the
 * exceptions, with the current agencies that could keep its books.
 */
function custodianOrPending(reason: RoutingFailure, unit: Unit, registeringUnit: Unit, matchedBy: 'code' | 'name', rules: RoutingRules): RoutingResult {
  const custodian = rules.custodians?.get(unit.code);
  if (custodian) {
    const currentUnit = unitCatalog().commune('2025', custodian.code)!;
    return { ok: true, agency: custodian, registeringUnit, currentUnit, matchedBy, successorApplied: true, custodianOf: unit };
  }
  return { ...fail(reason, custodianCandidates(unit)), pending: { unit, registeringUnit } } as RoutingResult;
}

const candidateLists = new WeakMap<Unit, Unit[]>();

/**
 * The current communes that could keep a former unit's books, most likely first: for a divided
 * commune, the communes it was divided among; for a district, the communes its communes became,
 * those that took the most of them first (the catalog does not record a district's seat, so the
 * commune at the former seat cannot be put first); for a former unit whose taker is not known,
 * what its possible takers became.
 */
export function custodianCandidates(unit: Unit): Unit[] {
  let list = candidateLists.get(unit);
  if (list) return list;
  const catalog = unitCatalog();
  const successorsOf = (u: Unit): Unit[] => {
    const s = catalog.successorOf(u);
    return !s ? [] : s.kind === 'divided' ? s.candidates : [s.to];
  };
  if (unit.level === 'commune' && !unit.former) {
    list = successorsOf(unit);
  } else {
    const counts = new Map<Unit, number>();
    const add = (units: readonly Unit[]) => {
      for (const u of units) counts.set(u, (counts.get(u) ?? 0) + 1);
    };
    if (unit.former) {
      const absorption = catalog.absorptionOf(unit);
      const takers = absorption?.kind === 'unresolved' ? absorption.candidates : absorption ? [absorption.into] : [];
      for (const t of takers) add(t.level === 'district' ? custodianCandidates(t) : successorsOf(t));
    } else {
      for (const c of catalog.legacyUnitsOf(unit.provinceCode).communes) if (c.districtCode === unit.code) add(successorsOf(c));
    }
    list = [...counts].sort((x, y) => y[1] - x[1] || x[0].code.localeCompare(y[0].code)).map(([u]) => u);
  }
  candidateLists.set(unit, list);
  return list;
}

/** The 2025 province a province code of either generation is now part of. */
export function currentProvinceCode(code: string): string | undefined {
  const catalog = unitCatalog();
  return catalog.province('2025', code) ? code : catalog.provinceSuccessor(code)?.code;
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
    // A unit of the last pre-2025 state before one merged away earlier, before a 2025 commune of the same name.
    const current = candidates.filter((c) => c.generation === 'legacy' && !c.former);
    const former = candidates.filter((c) => c.former);
    const pool = current.length ? current : former.length ? former : candidates;
    if (pool.length > 1) return fail('UNIT_NAME_AMBIGUOUS', pool);
    unit = pool[0];
  } else {
    return fail('UNIT_MISSING');
  }
  unit = unit!;

  if (input.provinceCode && unit.provinceCode !== input.provinceCode) {
    const successorProvince = unit.generation === 'legacy' ? catalog.provinceSuccessor(unit.provinceCode)?.code : unit.provinceCode;
    if (successorProvince !== currentProvinceCode(input.provinceCode)) return fail('UNIT_OTHER_PROVINCE');
  }

  const registeringUnit = unit;
  if (registeringUnit.generation === '2025') return { ok: true, agency: agencyOf(registeringUnit), registeringUnit, currentUnit: registeringUnit, matchedBy, successorApplied: false };
  const { unit: last, unresolved } = lastStateOf(registeringUnit);
  if (unresolved) return custodianOrPending('UNIT_SPLIT_NEEDS_DECISION', last, registeringUnit, matchedBy, rules);
  const absorbed = last !== registeringUnit;
  const succession = catalog.successorOf(last);
  if (last.level === 'district') {
    // A commune-less island district became one commune-level unit; the others were abolished.
    if (succession?.kind === 'same-or-merged') return { ok: true, agency: agencyOf(succession.to), registeringUnit, currentUnit: succession.to, matchedBy, successorApplied: true };
    if (rules.districtRegisters === 'district') return { ok: true, agency: agencyOf(last), registeringUnit, currentUnit: last, matchedBy, successorApplied: absorbed };
    return custodianOrPending('UNIT_DISTRICT_NEEDS_DECISION', last, registeringUnit, matchedBy, rules);
  }
  if (!succession) return fail('UNIT_UNKNOWN_CODE');
  if (succession.kind === 'divided') {
    if (rules.dividedCommunes === 'package-default' && succession.packageDefault) {
      return { ok: true, agency: agencyOf(succession.packageDefault), registeringUnit, currentUnit: succession.packageDefault, matchedBy, successorApplied: true };
    }
    return custodianOrPending('UNIT_SPLIT_NEEDS_DECISION', last, registeringUnit, matchedBy, rules);
  }
  const to = succession.to;
  return { ok: true, agency: agencyOf(to), registeringUnit, currentUnit: to, matchedBy, successorApplied: absorbed || to.code !== last.code || to.name !== last.name };
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

/** One part of a router's key: its length first, so no two inputs share a key. */
function keyPart(v: string | number | null | undefined): string {
  if (v === undefined || v === null) return '-';
  const s = String(v);
  return `${s.length}:${s}`;
}

/** Routing answers a router keeps; past this many distinct inputs it starts afresh. */
const ROUTER_MAX_ENTRIES = 100_000;

/**
 * `routeRegisteringUnit` for many rows: a province's rows name a few thousand units, so each
 * distinct input is routed once. Inputs are the same when everything routing reads is: the
 * registration date counts only through the generation it tells. Answers are shared between
 * rows and must not be changed.
 */
export function createRouter(rules: RoutingRules = DEFAULT_ROUTING_RULES): (input: RoutingInput) => RoutingResult {
  const known = new Map<string, RoutingResult>();
  return (input) => {
    const key =
      keyPart(input.unitCode) + keyPart(input.unitLevel) + keyPart(input.communeName) + keyPart(input.districtName) + keyPart(input.provinceName) + keyPart(input.provinceCode) + keyPart(generationOf(input.registeredOn));
    let result = known.get(key);
    if (!result) {
      result = routeRegisteringUnit(input, rules);
      if (known.size >= ROUTER_MAX_ENTRIES) known.clear();
      known.set(detached(key), result);
    }
    return result;
  };
}

/** The record fields `routingInputOf` reads. */
export const ROUTING_FIELDS: readonly string[] = ['agencyCode', 'districtCode', 'agencyName', 'districtName', 'provinceName', 'registrationDate', 'bookYear'];

const str = (v: RecordValues[string]) => (typeof v === 'string' && v.trim() !== '' ? v : undefined);

/** The routing input of a parsed record: its unit code(s) and names, and its registration date. */
export function routingInputOf(values: RecordValues, provinceCode: string): RoutingInput {
  const agencyCode = str(values.agencyCode);
  const districtCode = str(values.districtCode);
  const agencyName = str(values.agencyName);
  const date = values.registrationDate;
  const registeredOn =
    typeof date === 'object' && date !== null && 'year' in date
      ? date.month !== undefined && date.day !== undefined
        ? `${date.year}-${String(date.month).padStart(2, '0')}-${String(date.day).padStart(2, '0')}`
        : date.year
      : typeof values.bookYear === 'number'
        ? values.bookYear
        : undefined;
  // A district-level row names its district as the registering place ("Quận Ba Đình"); a name
  // only matters when no code says which unit it is.
  const writtenType = agencyName && !agencyCode && !districtCode ? unitNameKey(agencyName).type : undefined;
  const agencyIsDistrict = writtenType !== undefined && TYPES_OF_LEVEL.district.includes(writtenType) && !TYPES_OF_LEVEL.commune.includes(writtenType);
  return {
    provinceCode,
    ...(agencyCode ? { unitCode: agencyCode, unitLevel: 'commune' as const } : districtCode ? { unitCode: districtCode, unitLevel: 'district' as const } : {}),
    ...(agencyName && !agencyIsDistrict ? { communeName: agencyName } : {}),
    ...(agencyIsDistrict ? { districtName: agencyName } : str(values.districtName) ? { districtName: str(values.districtName) } : {}),
    ...(str(values.provinceName) ? { provinceName: str(values.provinceName) } : {}),
    ...(registeredOn !== undefined ? { registeredOn } : {}),
  };
}
