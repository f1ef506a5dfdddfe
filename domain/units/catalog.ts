/**
 * The administrative unit catalog: both generations (before and from 1 July 2025) and the
 * succession between them, from data/catalog.json (see data/PROVENANCE.md). Indexed once.
 */
import raw from './data/catalog.json';

export type Generation = 'legacy' | '2025';
export type UnitLevel = 'province' | 'district' | 'commune';

export interface Unit {
  generation: Generation;
  level: UnitLevel;
  code: string;
  /** Full Vietnamese name with its type, NFC: "Phường Phúc Xá", "Quận Ba Đình". */
  name: string;
  provinceCode: string;
  /** Legacy communes only. */
  districtCode?: string;
}

export type Succession =
  | { kind: 'same-or-merged'; to: Unit }
  | { kind: 'divided'; candidates: Unit[]; packageDefault: Unit | undefined };

interface RawCatalog {
  provincesLegacy: [string, string][];
  districts: [string, string, string][];
  communesLegacy: [string, string, string][];
  provinces2025: [string, string][];
  communes2025: [string, string, string][];
  provinceSuccessors: [string, string][];
  successors: [string, string][];
  districtSuccessors: [string, string][];
  splits: [string, string[], string | null][];
}

export interface Catalog {
  provinces(generation: Generation): readonly Unit[];
  province(generation: Generation, code: string): Unit | undefined;
  district(code: string): Unit | undefined;
  commune(generation: Generation, code: string): Unit | undefined;
  /** Pre-2025 districts and communes of a province (the registering units of old books). */
  legacyUnitsOf(provinceCode: string): { districts: Unit[]; communes: Unit[] };
  communes2025Of(provinceCode: string): Unit[];
  /** What a pre-2025 commune (or commune-less district) became on 1 July 2025. */
  successorOf(unit: Unit): Succession | undefined;
  /** The 2025 province a pre-2025 province became part of. */
  provinceSuccessor(code: string): Unit | undefined;
}

function build(data: RawCatalog): Catalog {
  const provinces = { legacy: new Map<string, Unit>(), '2025': new Map<string, Unit>() };
  for (const [code, name] of data.provincesLegacy) provinces.legacy.set(code, { generation: 'legacy', level: 'province', code, name, provinceCode: code });
  for (const [code, name] of data.provinces2025) provinces['2025'].set(code, { generation: '2025', level: 'province', code, name, provinceCode: code });
  const districts = new Map<string, Unit>();
  for (const [code, name, provinceCode] of data.districts) districts.set(code, { generation: 'legacy', level: 'district', code, name, provinceCode });
  const communes = { legacy: new Map<string, Unit>(), '2025': new Map<string, Unit>() };
  for (const [code, name, districtCode] of data.communesLegacy) {
    communes.legacy.set(code, { generation: 'legacy', level: 'commune', code, name, districtCode, provinceCode: districts.get(districtCode)!.provinceCode });
  }
  for (const [code, name, provinceCode] of data.communes2025) communes['2025'].set(code, { generation: '2025', level: 'commune', code, name, provinceCode });

  const byProvince = new Map<string, { districts: Unit[]; communes: Unit[] }>();
  for (const d of districts.values()) (byProvince.get(d.provinceCode) ?? byProvince.set(d.provinceCode, { districts: [], communes: [] }).get(d.provinceCode)!).districts.push(d);
  for (const c of communes.legacy.values()) byProvince.get(c.provinceCode)!.communes.push(c);
  const new2025ByProvince = new Map<string, Unit[]>();
  for (const c of communes['2025'].values()) (new2025ByProvince.get(c.provinceCode) ?? new2025ByProvince.set(c.provinceCode, []).get(c.provinceCode)!).push(c);

  const newCommune = (code: string) => communes['2025'].get(code)!;
  const successors = new Map<string, Succession>();
  for (const [from, to] of data.successors) successors.set(`commune:${from}`, { kind: 'same-or-merged', to: newCommune(to) });
  for (const [from, to] of data.districtSuccessors) successors.set(`district:${from}`, { kind: 'same-or-merged', to: newCommune(to) });
  for (const [from, candidates, def] of data.splits) {
    successors.set(`commune:${from}`, { kind: 'divided', candidates: candidates.map(newCommune), packageDefault: def ? newCommune(def) : undefined });
  }
  const provinceSuccessors = new Map(data.provinceSuccessors.map(([from, to]) => [from, provinces['2025'].get(to)!]));

  return {
    provinces: (g) => [...provinces[g].values()],
    province: (g, code) => provinces[g].get(code),
    district: (code) => districts.get(code),
    commune: (g, code) => communes[g].get(code),
    legacyUnitsOf: (p) => byProvince.get(p) ?? { districts: [], communes: [] },
    communes2025Of: (p) => new2025ByProvince.get(p) ?? [],
    successorOf: (u) => (u.generation === 'legacy' ? successors.get(`${u.level}:${u.code}`) : undefined),
    provinceSuccessor: (code) => provinceSuccessors.get(code),
  };
}

let catalog: Catalog | undefined;

/** The catalog, built on first use and shared. */
export function unitCatalog(): Catalog {
  catalog ??= build(raw as unknown as RawCatalog);
  return catalog;
}
