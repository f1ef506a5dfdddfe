/**
 * Picks the agency that keeps a former unit's books, with the keyboard: one text field that is
 * also a list (the ARIA combobox pattern). Empty, it lists the unit's candidates first, the most
 * likely on top, so Enter takes it; typed, it finds any agency of the province by code or by name
 * without accents. A code typed and not picked is sent as written: the API judges it.
 */
import { useId, useMemo, useState, type KeyboardEvent } from 'react';
import type { Agency, CustodianUnit } from '../../lib/api-types';
import { useI18n } from '../../lib/i18n/i18n';
import { agencyChoices, type AgencyChoice } from './custodians-model';

export interface Picked {
  /** The agency picked from the list, or the code typed. */
  code: string;
  name?: string;
  candidate: boolean;
}

export function AgencyPicker({ unit, agencies, initial, onChange }: { unit: CustodianUnit; agencies: readonly Agency[]; initial?: AgencyChoice; onChange(picked: Picked | undefined): void }) {
  const { t } = useI18n();
  const id = useId();
  const [text, setText] = useState(initial ? `${initial.code} — ${initial.name}` : '');
  const [query, setQuery] = useState('');
  const [open, setOpen] = useState(!initial);
  const [active, setActive] = useState(0);
  const choices = useMemo(() => agencyChoices(unit, agencies, query), [unit, agencies, query]);

  const pick = (c: AgencyChoice) => {
    setText(`${c.code} — ${c.name}`);
    setOpen(false);
    onChange({ code: c.code, name: c.name, candidate: c.candidate });
  };
  const type = (value: string) => {
    setText(value);
    setQuery(value);
    setActive(0);
    setOpen(true);
    // Digits are a code, sent as typed if no agency has it (the API then says why); words only search.
    const code = value.trim();
    if (!/^\d+$/.test(code)) return onChange(undefined);
    const exact = agencyChoices(unit, agencies, code).find((c) => c.code === code.padStart(5, '0'));
    onChange(exact ? { code: exact.code, name: exact.name, candidate: exact.candidate } : { code, candidate: unit.candidates.some((c) => c.code === code) });
  };
  const onKeyDown = (e: KeyboardEvent<HTMLInputElement>) => {
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      if (!open) return setOpen(true);
      const step = e.key === 'ArrowDown' ? 1 : -1;
      setActive((a) => (choices.length ? (a + step + choices.length) % choices.length : 0));
    } else if (e.key === 'Enter' && open && choices[active]) {
      // Enter takes the highlighted agency; once the list is closed, Enter sends the form.
      e.preventDefault();
      pick(choices[active]!);
    } else if (e.key === 'Escape' && open) {
      // Closes the list, not the dialog around it.
      e.preventDefault();
      e.stopPropagation();
      setOpen(false);
    }
  };

  const optionId = (i: number) => `${id}-option-${i}`;
  return (
    <div className="combobox">
      <label htmlFor={`${id}-input`}>{t('custodian.agency')}</label>
      <input
        id={`${id}-input`}
        type="text"
        role="combobox"
        autoComplete="off"
        aria-autocomplete="list"
        aria-expanded={open}
        aria-controls={open && choices.length > 0 ? `${id}-list` : undefined}
        aria-activedescendant={open && choices[active] ? optionId(active) : undefined}
        aria-describedby={`${id}-help`}
        value={text}
        onChange={(e) => type(e.target.value)}
        onKeyDown={onKeyDown}
        onClick={() => setOpen(true)}
        onBlur={() => setOpen(false)}
        autoFocus
      />
      <p id={`${id}-help`} className="field-help">
        {t('custodian.agencyHelp')}
      </p>
      {open && choices.length === 0 && <p className="muted">{t('custodian.noChoice')}</p>}
      {open && choices.length > 0 && (
        <ul id={`${id}-list`} role="listbox" aria-label={t('custodian.options')} className="combobox-list">
          {choices.map((c, i) => (
            <li
              key={c.code}
              id={optionId(i)}
              role="option"
              aria-selected={i === active}
              className={i === active ? 'active' : undefined}
              // Chosen on mousedown: a click would first blur the field.
              onMouseDown={(e) => {
                e.preventDefault();
                pick(c);
              }}
            >
              <span className="mono">{c.code}</span> {c.name}
              {c.candidate && <span className="badge badge-done">{t('custodian.candidate')}</span>}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
