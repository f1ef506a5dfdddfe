/** A coordinator ends an agency's part early, with a reason: what is approved still goes; the rest stays recorded as not transferred. */
import { useMutation } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { Dialog } from '../../components/dialog';
import { ErrorMessage } from '../../components/error-message';
import type { AgencyProgress } from '../../lib/api-types';
import { useI18n } from '../../lib/i18n/i18n';
import { closeAgency } from './api';

export function CloseAgencyDialog({ agency, onClose, onClosed }: { agency: AgencyProgress; onClose(): void; onClosed(): void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState('');
  const close = useMutation({ mutationFn: () => closeAgency(agency.code, reason.trim()), onSuccess: onClosed });
  return (
    <Dialog open title={t('close.title', { name: agency.name })} onClose={onClose}>
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          close.mutate();
        }}
      >
        <p>{t('close.explain')}</p>
        <div className="form-field">
          <label htmlFor="close-reason">{t('close.reason')}</label>
          <textarea id="close-reason" rows={3} maxLength={2000} value={reason} onChange={(e) => setReason(e.target.value)} autoFocus />
        </div>
        {close.isError && <ErrorMessage error={close.error} />}
        <div className="actions">
          <button type="submit" className="danger" disabled={close.isPending}>
            {close.isPending ? t('close.submitting') : t('close.submit')}
          </button>
          <button type="button" onClick={onClose}>
            {t('close.cancel')}
          </button>
        </div>
      </form>
    </Dialog>
  );
}
