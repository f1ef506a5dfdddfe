/**
 * One former unit's custodian decided (or changed): the agency picked from its candidates or
 * from the whole province, the basis (required by the run when the agency is not a candidate,
 * and asked for here as soon as such an agency is picked) and the People's Committee's decision.
 */
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Dialog } from '../../components/dialog';
import { ErrorMessage } from '../../components/error-message';
import type { Agency, CustodianUnit } from '../../lib/api-types';
import { formatCalendarDate } from '../../lib/format';
import { useI18n } from '../../lib/i18n/i18n';
import { AgencyPicker, type Picked } from './agency-picker';
import { decideCustodian } from './api';
import { RegisterCounts } from './register-counts';

export function CustodianDialog({ runId, unit, agencies, onClose, onDecided }: { runId: string; unit: CustodianUnit; agencies: readonly Agency[]; onClose(): void; onDecided(agencyName: string): void }) {
  const { t, n } = useI18n();
  const d = unit.decision;
  const [picked, setPicked] = useState<Picked | undefined>(d ? { code: d.agencyCode, name: d.agencyName, candidate: d.candidate } : undefined);
  const [basis, setBasis] = useState(d?.basis ?? '');
  const [number, setNumber] = useState(d?.committeeDecision?.number ?? '');
  const [date, setDate] = useState(d?.committeeDecision?.date ? formatCalendarDate(d.committeeDecision.date) : '');
  const decide = useMutation({
    mutationFn: () =>
      decideCustodian(runId, {
        unitCode: unit.unitCode,
        agencyCode: picked!.code,
        ...(basis.trim() ? { basis: basis.trim() } : {}),
        ...(number.trim() || date.trim() ? { committeeDecision: { number: number.trim(), date: date.trim() } } : {}),
      }),
    onSuccess: () => onDecided(picked!.name ?? picked!.code),
  });
  const outside = picked !== undefined && !picked.candidate;

  return (
    <Dialog open id="custodian-dialog" title={t('custodian.title', { name: unit.unitName, code: unit.unitCode })} onClose={onClose}>
      <form
        className="form-grid"
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          if (picked) decide.mutate();
        }}
      >
        <p className="help">
          {t('custodian.rows', { rows: n(unit.rows) })} <RegisterCounts unit={unit} />.
        </p>
        {unit.level === 'district' && <p className="help">{t('custodian.seatUnknown')}</p>}
        <AgencyPicker unit={unit} agencies={agencies} initial={d ? { code: d.agencyCode, name: d.agencyName, candidate: d.candidate } : undefined} onChange={setPicked} />
        {picked?.name && (
          <p className={outside ? 'notice' : 'help'} role="status">
            {t('custodian.chosen', { name: picked.name, code: picked.code })}
            {outside && <> {t('custodian.chosenOutside', { unit: unit.unitName })}</>}
          </p>
        )}
        <div className="form-field">
          <label htmlFor="custodian-basis">{outside ? t('custodian.basisRequired') : t('custodian.basis')}</label>
          <textarea id="custodian-basis" rows={2} maxLength={1000} value={basis} onChange={(e) => setBasis(e.target.value)} aria-required={outside || undefined} />
        </div>
        <div className="form-row">
          <div className="form-field">
            <label htmlFor="custodian-number">{t('custodian.number')}</label>
            <input id="custodian-number" type="text" maxLength={100} value={number} onChange={(e) => setNumber(e.target.value)} />
          </div>
          <div className="form-field">
            <label htmlFor="custodian-date">{t('custodian.date')}</label>
            <input id="custodian-date" type="text" inputMode="numeric" placeholder="dd/mm/yyyy" maxLength={20} value={date} onChange={(e) => setDate(e.target.value)} />
          </div>
        </div>
        {decide.isError && <ErrorMessage error={decide.error} />}
        <div className="actions">
          <button type="submit" className="primary" disabled={!picked || decide.isPending}>
            {decide.isPending ? t('custodian.submitting') : t('custodian.submit')}
          </button>
          <button type="button" onClick={onClose}>
            {t('common.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
