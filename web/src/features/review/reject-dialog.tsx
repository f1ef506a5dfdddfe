/** Why a record is rejected: one of the review's reasons (keys 1–5 pick one), a comment required for "other". */
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import { Dialog } from '../../components/dialog';
import { useI18n } from '../../lib/i18n/i18n';
import { REJECT_REASONS, type RejectReason } from '../../../../domain/review/review-types';

const REASONS = Object.keys(REJECT_REASONS) as RejectReason[];

export function RejectDialog(props: { open: boolean; registrationNumber: string; onCancel(): void; onReject(reason: RejectReason, comment: string): void }) {
  const { t } = useI18n();
  const [reason, setReason] = useState<RejectReason>('DATA_DIFFERS');
  const [comment, setComment] = useState('');

  function submit(e: FormEvent) {
    e.preventDefault();
    props.onReject(reason, comment.trim());
    setComment('');
  }
  function onKeyDown(e: KeyboardEvent<HTMLFormElement>) {
    if ((e.target as HTMLElement).tagName === 'TEXTAREA') return;
    const n = Number(e.key);
    if (Number.isInteger(n) && n >= 1 && n <= REASONS.length) {
      e.preventDefault();
      setReason(REASONS[n - 1]!);
      document.getElementById(`reject-${REASONS[n - 1]}`)?.focus();
    } else if (e.key === 'Enter') {
      e.preventDefault();
      e.currentTarget.requestSubmit();
    }
  }

  return (
    <Dialog open={props.open} onClose={props.onCancel} id="reject" title={t('reject.title', { number: props.registrationNumber })}>
      <form onSubmit={submit} onKeyDown={onKeyDown}>
        <fieldset>
          <legend>{t('reject.reason')}</legend>
          {REASONS.map((r, i) => (
            <div key={r} className="radio">
              <input type="radio" id={`reject-${r}`} name="reason" value={r} checked={reason === r} onChange={() => setReason(r)} autoFocus={reason === r} />
              <label htmlFor={`reject-${r}`}>
                <kbd>{i + 1}</kbd> {t(`reject.${r}`)}
              </label>
            </div>
          ))}
        </fieldset>
        <label htmlFor="reject-comment">{reason === 'OTHER' ? t('reject.commentRequired') : t('reject.comment')}</label>
        <textarea id="reject-comment" rows={2} value={comment} onChange={(e) => setComment(e.target.value)} required={reason === 'OTHER'} />
        <div className="actions">
          <button type="submit" className="danger">
            {t('reject.submit')} <kbd>Enter</kbd>
          </button>
          <button type="button" onClick={props.onCancel}>
            {t('common.cancel')} <kbd>Esc</kbd>
          </button>
        </div>
      </form>
    </Dialog>
  );
}
