/**
 * The administrative unit catalog: both generations (before and from 1 July 2025), the units
 * merged away between 2020 and 2025 that old books still name, and the succession between
 * them, from data/catalog.json (see data/PROVENANCE.md). Indexed once, on first use.
 */
import raw from './data/catalog.json';

export type Generation = 'legacy' | '2025';
export type UnitLevel = 'province' | 'district' | 'commune';

export interface Unit {
  generation: Generation;
  level: UnitLevel;
  code: string;
  /** Full Vietnamese name with its type, NFC, as the GSO list spells it: "Phường Phúc Xá", "Quận Ba Đình". */
  name: string;
  provinceCode: string;
  /** Legacy communes only. */
  districtCode?: string;
  /**
   * Legacy districts and communes: the dates of the first and the last GSO list that names the
   * unit (lists of 2020-02-25, 2021-02-03, 2023-05-07, 2025-01-04, and the state of 2025-06-30).
   * A unit listed from 2020-02-25 may be older; one last listed before 2025-06-30 is `former`.
   */
  listed?: { first: string; last: string };
  /** A legacy unit merged into another (or divided) before 1 July 2025. */
  former?: true;
}

export type Succession =
  | { kind: 'same-or-merged'; to: Unit }
  | { kind: 'divided'; candidates: Unit[]; packageDefault: Unit | undefined };

/** What became of a former unit before 2025: the unit that took it over, or the candidates when that is not known. */
export type Absorption = { kind: 'absorbed'; into: Unit } | { kind: 'unresolved'; candidates: Unit[] };

interface RawCatalog {
  lists: string[];
  provincesLegacy: [string, string][];
  districts: [string, string, string, number][];
  communesLegacy: [string, string, string, number][];
  formerDistricts: [string, string, string, number, number, string | null, string[]][];
  formerCommunes: [string, string, string, number, number, string | null, string[]][];
  variants: ['district' | 'commune' | 'commune2025', string, string[]][];
  aliases: [string, 'province' | 'district' | 'commune', string[]][];
  provinces2025: [string, string][];
  communes2025: [string, string, string][];
  provinceSuccessors: [string, string][];
  successors: [string, string][];
  districtSuccessors: [string, string][];
  splits: [string, string[], string | null][];
}

/** Another way of writing a unit's name, from the catalog's sources. */
export interface OtherName {
  /**
   * 'variant': another spelling of the same unit, or a name it bore in an earlier GSO list;
   * 'alias': a name the republication records for a unit it took over or was renamed from,
   * given only as folded letters ("nguyentrungtruc"), with its unit type when known.
   */
  kind: 'variant' | 'alias';
  /** Display text for a variant; "type|letters" for an alias ("xa|dinhxuyen", "|yenvien"). */
  text: string;
}

export interface Catalog {
  /** Dates of the GSO lists the legacy generation was assembled from, oldest first. */
  readonly lists: readonly string[];
  provinces(generation: Generation): readonly Unit[];
  province(generation: Generation, code: string): Unit | undefined;
  /** A district of the last pre-2025 state. */
  district(code: string): Unit | undefined;
  /** A commune of the last pre-2025 state ('legacy') or of the 2025 list. */
  commune(generation: Generation, code: string): Unit | undefined;
  /** A district or commune that a GSO list of 2020–2025 names but that was gone before 1 July 2025. */
  former(level: 'district' | 'commune', code: string): Unit | undefined;
  /** Pre-2025 districts and communes of a province (the registering units of old books), last state. */
  legacyUnitsOf(provinceCode: string): { districts: Unit[]; communes: Unit[] };
  /** Former districts and communes of a pre-2025 province. */
  formerUnitsOf(provinceCode: string): { districts: Unit[]; communes: Unit[] };
  communes2025Of(provinceCode: string): Unit[];
  /** What a pre-2025 commune (or commune-less district) of the last state became on 1 July 2025. */
  successorOf(unit: Unit): Succession | undefined;
  /** Which unit of the last pre-2025 state took over a former unit. */
  absorptionOf(unit: Unit): Absorption | undefined;
  /** The 2025 province a pre-2025 province became part of. */
  provinceSuccessor(code: string): Unit | undefined;
  /** Spellings and earlier names of a unit besides `unit.name`. */
  otherNamesOf(unit: Unit): readonly OtherName[];
}

const unitKey = (u: Pick<Unit, 'generation' | 'level' | 'code'>) => `${u.generation}:${u.level}:${u.code}`;

function groupBy<T>(items: Iterable<T>, key: (t: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = key(item);
    const group = groups.get(k);
    if (group) group.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

function build(data: RawCatalog): Catalog {
  const final = data.lists[data.lists.length - 1]!;
  const listed = (first: number, last: number) => ({ first: data.lists[first]!, last: data.lists[last]! });
  const provinces = { legacy: new Map<string, Unit>(), '2025': new Map<string, Unit>() };
  for (const [code, name] of data.provincesLegacy) provinces.legacy.set(code, { generation: 'legacy', level: 'province', code, name, provinceCode: code });
  for (const [code, name] of data.provinces2025) provinces['2025'].set(code, { generation: '2025', level: 'province', code, name, provinceCode: code });

  const districts = new Map<string, Unit>();
  for (const [code, name, provinceCode, first] of data.districts) {
    districts.set(code, { generation: 'legacy', level: 'district', code, name, provinceCode, listed: { first: data.lists[first]!, last: final } });
  }
  const formerDistricts = new Map<string, Unit>();
  for (const [code, name, provinceCode, first, last] of data.formerDistricts) {
    formerDistricts.set(code, { generation: 'legacy', level: 'district', code, name, provinceCode, listed: listed(first, last), former: true });
  }
  const districtOf = (code: string) => (districts.get(code) ?? formerDistricts.get(code))!;
  const communes = { legacy: new Map<string, Unit>(), '2025': new Map<string, Unit>() };
  for (const [code, name, districtCode, first] of data.communesLegacy) {
    communes.legacy.set(code, { generation: 'legacy', level: 'commune', code, name, districtCode, provinceCode: districtOf(districtCode).provinceCode, listed: { first: data.lists[first]!, last: final } });
  }
  const formerCommunes = new Map<string, Unit>();
  for (const [code, name, districtCode, first, last] of data.formerCommunes) {
    formerCommunes.set(code, { generation: 'legacy', level: 'commune', code, name, districtCode, provinceCode: districtOf(districtCode).provinceCode, listed: listed(first, last), former: true });
  }
  for (const [code, name, provinceCode] of data.communes2025) communes['2025'].set(code, { generation: '2025', level: 'commune', code, name, provinceCode });

  const legacyByProvince = new Map<string, { districts: Unit[]; communes: Unit[] }>();
  const formerByProvince = new Map<string, { districts: Unit[]; communes: Unit[] }>();
  for (const p of provinces.legacy.keys()) {
    legacyByProvince.set(p, { districts: [], communes: [] });
    formerByProvince.set(p, { districts: [], communes: [] });
  }
  for (const d of districts.values()) legacyByProvince.get(d.provinceCode)!.districts.push(d);
  for (const c of communes.legacy.values()) legacyByProvince.get(c.provinceCode)!.communes.push(c);
  for (const d of formerDistricts.values()) formerByProvince.get(d.provinceCode)!.districts.push(d);
  for (const c of formerCommunes.values()) formerByProvince.get(c.provinceCode)!.communes.push(c);
  const new2025ByProvince = groupBy(communes['2025'].values(), (c) => c.provinceCode);

  const newCommune = (code: string) => communes['2025'].get(code)!;
  const successors = new Map<string, Succession>();
  for (const [from, to] of data.successors) successors.set(`commune:${from}`, { kind: 'same-or-merged', to: newCommune(to) });
  for (const [from, to] of data.districtSuccessors) successors.set(`district:${from}`, { kind: 'same-or-merged', to: newCommune(to) });
  for (const [from, candidates, def] of data.splits) {
    successors.set(`commune:${from}`, { kind: 'divided', candidates: candidates.map(newCommune), packageDefault: def ? newCommune(def) : undefined });
  }
  const absorptions = new Map<string, Absorption>();
  const absorption = (into: string | null, candidates: string[], lookup: (code: string) => Unit): Absorption =>
    into ? { kind: 'absorbed', into: lookup(into) } : { kind: 'unresolved', candidates: candidates.map(lookup) };
  for (const [code, , , , , into, candidates] of data.formerDistricts) absorptions.set(`district:${code}`, absorption(into, candidates, (c) => districts.get(c)!));
  for (const [code, , , , , into, candidates] of data.formerCommunes) absorptions.set(`commune:${code}`, absorption(into, candidates, (c) => communes.legacy.get(c)!));
  const provinceSuccessors = new Map(data.provinceSuccessors.map(([from, to]) => [from, provinces['2025'].get(to)!]));

  const otherNames = new Map<string, OtherName[]>();
  const addName = (key: string, name: OtherName) => (otherNames.get(key) ?? otherNames.set(key, []).get(key)!).push(name);
  for (const [kind, code, names] of data.variants) {
    const key = kind === 'commune2025' ? unitKey({ generation: '2025', level: 'commune', code }) : unitKey({ generation: 'legacy', level: kind, code });
    for (const text of names) addName(key, { kind: 'variant', text });
  }
  for (const [code, level, keys] of data.aliases) for (const text of keys) addName(unitKey({ generation: 'legacy', level, code }), { kind: 'alias', text });

  return {
    lists: data.lists,
    provinces: (g) => [...provinces[g].values()],
    province: (g, code) => provinces[g].get(code),
    district: (code) => districts.get(code),
    commune: (g, code) => communes[g].get(code),
    former: (level, code) => (level === 'district' ? formerDistricts : formerCommunes).get(code),
    legacyUnitsOf: (p) => legacyByProvince.get(p) ?? { districts: [], communes: [] },
    formerUnitsOf: (p) => formerByProvince.get(p) ?? { districts: [], communes: [] },
    communes2025Of: (p) => new2025ByProvince.get(p) ?? [],
    successorOf: (u) => (u.generation === 'legacy' && !u.former ? successors.get(`${u.level}:${u.code}`) : undefined),
    absorptionOf: (u) => (u.former ? absorptions.get(`${u.level}:${u.code}`) : undefined),
    provinceSuccessor: (code) => provinceSuccessors.get(code),
    otherNamesOf: (u) => otherNames.get(unitKey(u)) ?? [],
  };
}

let catalog: Catalog | undefined;

/** The catalog, built on first use and shared. */
export function unitCatalog(): Catalog {
  catalog ??= build(raw as unknown as RawCatalog);
  return catalog;
}

const WIDTH = { commune: 5, district: 3, province: 2 } as const;

/** A code with the zeros a spreadsheet dropped put back, for a code known to be of `level`. */
export function restoreUnitCode(code: string | number, level: 'commune' | 'district' | 'province'): string {
  const digits = String(code).trim();
  return /^\d+$/.test(digits) && digits.length <= WIDTH[level] ? digits.padStart(WIDTH[level], '0') : digits;
}

/**
 * A province by its code in any of the forms it is written: "1", "01", or the 3-digit form of
 * personal ID numbers ("001"). Pre-2025 codes by default (the personal ID numbering).
 */
export function provinceByCode(code: string | number, generation: Generation = 'legacy'): Unit | undefined {
  const digits = String(code).trim();
  if (!/^\d{1,3}$/.test(digits) || (digits.length === 3 && digits[0] !== '0')) return undefined;
  return unitCatalog().province(generation, digits.slice(-2).padStart(2, '0'));
}

export type CodeLookup =
  | { found: 'one'; unit: Unit }
  /** The digits fit units of several levels or generations: the level, the date or a name must decide. */
  | { found: 'several'; units: Unit[] }
  | { found: 'none' };

function levelsFor(written: string | number, digits: string): Array<'commune' | 'district' | 'province'> {
  if (digits.length >= 4) return ['commune'];
  // A text that kept its leading zero kept all of them.
  const keptZero = typeof written === 'string' && digits.startsWith('0');
  if (keptZero && digits.length === 3) return ['district'];
  if (keptZero && digits.length === 2) return ['province'];
  return (['commune', 'district', 'province'] as const).filter((l) => digits.length <= WIDTH[l]);
}

/**
 * The unit(s) a written code can denote. Without `level`, the length decides where that is
 * unambiguous (GSO codes are 2, 3 and 5 digits): 5 or 4 digits (one zero lost) is a commune, a
 * text "0xx" a district, a text "0x" a province. Anything shorter may have lost zeros and fits
 * every level whose width it does not exceed, so each is tried.
 * Without `generation`, a commune code is looked up in both (many 2025 communes took the code
 * of a commune they absorbed); former units are found too.
 */
export function lookupUnitCode(written: string | number, opts: { level?: 'commune' | 'district' | 'province'; generation?: Generation } = {}): CodeLookup {
  const digits = String(written).trim();
  if (!/^\d{1,5}$/.test(digits)) return { found: 'none' };
  const levels = opts.level ? [opts.level] : levelsFor(written, digits);
  const catalog = unitCatalog();
  const generations: Generation[] = opts.generation ? [opts.generation] : ['legacy', '2025'];
  const units: Unit[] = [];
  for (const level of levels) {
    if (digits.length > WIDTH[level]) continue;
    const code = digits.padStart(WIDTH[level], '0');
    for (const g of generations) {
      const unit =
        level === 'province' ? catalog.province(g, code)
        : level === 'district' ? (g === 'legacy' ? (catalog.district(code) ?? catalog.former('district', code)) : undefined)
        : g === 'legacy' ? (catalog.commune('legacy', code) ?? catalog.former('commune', code))
        : catalog.commune('2025', code);
      if (unit) units.push(unit);
    }
  }
  if (units.length === 0) return { found: 'none' };
  return units.length === 1 ? { found: 'one', unit: units[0]! } : { found: 'several', units };
}
