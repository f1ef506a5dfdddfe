import { unitCatalog } from '../../domain/units/catalog';
import { agencyOf, currentProvinceCode } from '../../domain/units/routing';
import type { Agency } from './agencies';

const view = (a: ReturnType<typeof agencyOf>): Agency => ({ code: a.code, name: a.name, level: a.level, provinceCode: a.provinceCode });

/**
 * A civil-registration agency by its code, from the unit catalog: a 2025 commune (5 digits) or a
 * pre-2025 district (3 digits), the two kinds of folder the split writes. Pre-2025 communes are
 * not agencies any more: their registers are held by their successors.
 */
export function catalogAgency(code: string): Agency | undefined {
  const catalog = unitCatalog();
  const unit = code.length === 5 ? catalog.commune('2025', code) : code.length === 3 ? catalog.district(code) : undefined;
  return unit ? view(agencyOf(unit)) : undefined;
}

/** The current agencies of a province (the People's Committees of its 2025 communes): those that may keep a former unit's books. */
export function currentAgenciesOfProvince(provinceCode: string): Agency[] {
  const current = currentProvinceCode(provinceCode);
  return current ? unitCatalog().communes2025Of(current).map((u) => view(agencyOf(u))) : [];
}
