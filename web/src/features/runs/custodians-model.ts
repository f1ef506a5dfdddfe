/**
 * The former units of a run as the custodians screen lists them: filtered by whether their
 * custodian is decided and by a search of their code or name (without accents), sorted (names
 * in Vietnamese order); and the agencies a coordinator may pick for one, its candidates first.
 * Pure.
 */
import { compareVietnamese } from '../../../../domain/text/collation';
import { searchKey } from '../../../../domain/text/search-key';
import type { Agency, CustodianUnit } from '../../lib/api-types';

export type UnitFilter = 'undecided' | 'decided' | 'all';
export const UNIT_SORTS = ['code', 'name', 'rows'] as const;
export type UnitSort = (typeof UNIT_SORTS)[number];

const byCode = (a: CustodianUnit, b: CustodianUnit) => a.unitCode.length - b.unitCode.length || (a.unitCode < b.unitCode ? -1 : a.unitCode > b.unitCode ? 1 : 0);
const COMPARE: Record<UnitSort, (a: CustodianUnit, b: CustodianUnit) => number> = {
  // Districts (3 digits) before communes (5), as the split lists them.
  code: byCode,
  name: (a, b) => compareVietnamese(a.unitName, b.unitName) || byCode(a, b),
  rows: (a, b) => b.rows - a.rows || byCode(a, b),
};

/** Matches a code by its start (leading zeros may be left out) or a name by its words without accents. */
function matches(code: string, name: string, query: string): boolean {
  const q = query.trim();
  if (!q) return true;
  if (/^\d+$/.test(q)) {
    const significant = q.replace(/^0+/, '');
    return code.startsWith(q) || (significant !== '' && code.replace(/^0+/, '').startsWith(significant));
  }
  return searchKey(name).includes(searchKey(q));
}

export function shownUnits(units: readonly CustodianUnit[], filter: UnitFilter, query: string, sort: UnitSort): CustodianUnit[] {
  return units
    .filter((u) => (filter === 'all' || (filter === 'decided') === (u.decision !== undefined)) && matches(u.unitCode, u.unitName, query))
    .sort(COMPARE[sort]);
}

export interface AgencyChoice extends Pick<Agency, 'code' | 'name'> {
  /** One of the unit's candidates: no basis needed. */
  candidate: boolean;
}

/**
 * The agencies a search offers for a unit: its candidates first in the catalog's order (most
 * likely first), then the province's other agencies in Vietnamese order of their names.
 */
export function agencyChoices(unit: CustodianUnit, agencies: readonly Agency[], query: string, limit = 50): AgencyChoice[] {
  const candidates = new Set(unit.candidates.map((c) => c.code));
  const others = agencies.filter((a) => !candidates.has(a.code)).sort((a, b) => compareVietnamese(a.name, b.name) || (a.code < b.code ? -1 : 1));
  return [...unit.candidates.map((c) => ({ code: c.code, name: c.name, candidate: true })), ...others.map((a) => ({ code: a.code, name: a.name, candidate: false }))]
    .filter((a) => matches(a.code, a.name, query))
    .slice(0, limit);
}
