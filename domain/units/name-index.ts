/**
 * Finding units by the names a row writes, within a province and optionally a district. Every
 * name a unit is known by counts: its name, other spellings and earlier names ('variant'), the
 * names of units it took over as the republication records them ('alias'), and the names of
 * former units ('former'). Indexed once per province by folded core, so a lookup is a map read.
 */
import { unitCatalog, type Generation, type Unit } from './catalog';
import { aliasKey, nameMatches, TYPES_OF_LEVEL, unitNameKey, type UnitNameKey } from './unit-names';

export type NameSource = 'current' | 'variant' | 'alias' | 'former';

export interface NamedUnit {
  unit: Unit;
  key: UnitNameKey;
  source: NameSource;
}

interface ProvinceNames {
  communes: Map<string, NamedUnit[]>;
  districts: Map<string, NamedUnit[]>;
}

const indexes = new Map<string, ProvinceNames>();

function add(index: Map<string, NamedUnit[]>, named: NamedUnit): void {
  const list = index.get(named.key.core);
  if (list) list.push(named);
  else index.set(named.key.core, [named]);
}

function addUnit(index: Map<string, NamedUnit[]>, unit: Unit): void {
  const catalog = unitCatalog();
  add(index, { unit, key: unitNameKey(unit.name), source: unit.former ? 'former' : 'current' });
  for (const other of catalog.otherNamesOf(unit)) {
    const key = other.kind === 'variant' ? unitNameKey(other.text) : aliasKey(other.text);
    add(index, { unit, key, source: unit.former ? 'former' : other.kind });
  }
}

/** The names of a pre-2025 province's units, and of the 2025 communes of the province it became part of. */
function provinceNames(provinceCode: string): ProvinceNames {
  let index = indexes.get(provinceCode);
  if (!index) {
    const catalog = unitCatalog();
    const legacy = catalog.legacyUnitsOf(provinceCode);
    const former = catalog.formerUnitsOf(provinceCode);
    const successor = catalog.provinceSuccessor(provinceCode);
    index = { communes: new Map(), districts: new Map() };
    for (const unit of [...legacy.communes, ...former.communes, ...(successor ? catalog.communes2025Of(successor.code) : [])]) addUnit(index.communes, unit);
    for (const unit of [...legacy.districts, ...former.districts]) addUnit(index.districts, unit);
    indexes.set(provinceCode, index);
  }
  return index;
}

function lookup(index: Map<string, NamedUnit[]>, written: UnitNameKey, level: 'district' | 'commune'): NamedUnit[] {
  // A written type of the other level ("Huyện X" asked as a commune) names no unit of this level.
  if (written.type && !TYPES_OF_LEVEL[level].includes(written.type)) return [];
  const found = [...(index.get(written.core) ?? []), ...(written.whole ? (index.get(written.whole) ?? []) : [])];
  return found.filter((n) => nameMatches(written, n.key));
}

/** The district a unit counts as after the mergers of 2020–2025: a former district's absorber, else itself. */
function lastDistrictOf(districtCode: string): string {
  const catalog = unitCatalog();
  const former = catalog.former('district', districtCode);
  const absorption = former && catalog.absorptionOf(former);
  return absorption?.kind === 'absorbed' ? absorption.into.code : districtCode;
}

export interface NameQuery {
  /** A pre-2025 province code: the rows' province. */
  provinceCode: string;
  districtName?: string;
  communeName?: string;
  level: 'district' | 'commune';
  /** When the registration date tells the generation; 2025 units have no districts. */
  generation?: Generation;
}

/**
 * Units the names can denote, each once, with the best source it was found by. A district name
 * narrows communes to that district (before or after the mergers of 2020–2025); a district name
 * that names no district of the province narrows nothing.
 */
export function unitsByName(q: NameQuery): NamedUnit[] {
  const index = provinceNames(q.provinceCode);
  const districts = q.districtName ? lookup(index.districts, unitNameKey(q.districtName), 'district') : [];
  let found: NamedUnit[];
  if (q.level === 'district') {
    found = q.generation === '2025' ? [] : districts;
  } else {
    if (!q.communeName) return [];
    found = lookup(index.communes, unitNameKey(q.communeName), 'commune').filter((n) => !q.generation || n.unit.generation === q.generation);
    if (districts.length > 0) {
      const within = new Set(districts.map((d) => lastDistrictOf(d.unit.code)));
      // 2025 communes belong to no district: a district name leaves them out when a legacy commune fits.
      const legacy = found.filter((n) => n.unit.generation === 'legacy' && within.has(lastDistrictOf(n.unit.districtCode!)));
      found = legacy.length > 0 || found.some((n) => n.unit.generation === 'legacy') ? legacy : found;
    }
  }
  const rank: Record<NameSource, number> = { current: 0, variant: 1, alias: 2, former: 3 };
  const best = new Map<Unit, NamedUnit>();
  for (const n of found) {
    const seen = best.get(n.unit);
    if (!seen || rank[n.source] < rank[seen.source]) best.set(n.unit, n);
  }
  return [...best.values()];
}
