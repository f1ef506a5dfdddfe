/** A former unit's rows and books per register type, as the split counted them ("KS: 120 dòng, 8 quyển"). */
import type { CustodianUnit } from '../../lib/api-types';
import { useI18n } from '../../lib/i18n/i18n';

export function RegisterCounts({ unit }: { unit: CustodianUnit }) {
  const { t } = useI18n();
  const types = Object.entries(unit.registers) as Array<[keyof CustodianUnit['registers'], { rows: number; books: number }]>;
  return (
    <span className="register-counts">
      {types.map(([type, c], i) => (
        <span key={type}>
          {i > 0 && ' · '}
          <abbr title={t(`registerType.${type}`)}>{type}</abbr> {t('custodians.registerRows', { rows: c.rows, books: c.books })}
        </span>
      ))}
    </span>
  );
}
