/** Opens a record's trail by its id: the id a finding, a complaint or another system names. */
import { useId, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import { useI18n } from '../../lib/i18n/i18n';
import { trailPath } from './labels';

export function RecordSearch({ initial = '' }: { initial?: string }) {
  const { t } = useI18n();
  const id = useId();
  const navigate = useNavigate();
  const [text, setText] = useState(initial);
  const [invalid, setInvalid] = useState(false);
  function submit(e: FormEvent) {
    e.preventDefault();
    const n = Number(text.trim());
    if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(n) || n < 1) return setInvalid(true);
    setInvalid(false);
    navigate(trailPath(n));
  }
  return (
    <form className="table-tools record-search" role="search" aria-label={t('audit.recordSearch.label')} onSubmit={submit}>
      <label className="inline-field" htmlFor={`${id}-record`}>
        {t('audit.recordSearch.id')}
      </label>
      <input
        id={`${id}-record`}
        value={text}
        onChange={(e) => setText(e.target.value)}
        inputMode="numeric"
        size={12}
        aria-invalid={invalid || undefined}
        aria-describedby={invalid ? `${id}-record-error` : undefined}
      />
      <button type="submit">{t('audit.recordSearch.open')}</button>
      {invalid && (
        <span id={`${id}-record-error`} className="field-error" role="alert">
          {t('audit.recordSearch.invalid')}
        </span>
      )}
    </form>
  );
}
