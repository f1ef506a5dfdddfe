import { unitCatalog } from '../../domain/units/catalog';
import { agencyOf } from '../../domain/units/routing';
import type { Agency } from './agencies';

/**
 * A civil-registration agency by its code, from the unit catalog: a 2025 commune (5 digits) or a
 * pre-2025 district (3 digits), the two kinds of folder the split writes. Pre-2025 communes are
 * not agencies any more: their registers are held by their successors.
 */
export function catalogAgency(code: string): Agency | undefined {
  const catalog = unitCatalog();
  const unit = code.length === 5 ? catalog.commune('2025', code) : code.length === 3 ? catalog.district(code) : undefined;
  if (!unit) return undefined;
  const a = agencyOf(unit);
  return { code: a.code, name: a.name, level: a.level, provinceCode: a.provinceCode };
}
