/**
 * A record's fields, grouped, as the register writes them; a value changed by a later import or
 * a correction shows its earlier values struck through above it. In correction mode each field
 * the official may correct is an input (the fields that place the entry in its book are not:
 * a wrong one is a wrong record, to reject).
 */
import { useI18n } from '../../lib/i18n/i18n';
import type { RecordDetail, RecordHistory } from '../../lib/api-types';
import { PLACE_FIELDS } from '../../../../domain/review/review-rules';
import { groupFields, type FieldGroup } from './field-groups';

export function RecordFields(props: {
  record: RecordDetail;
  history: RecordHistory | undefined;
  showEmpty: boolean;
  /** Set in correction mode: the values as the official types them. */
  draft?: Record<string, string>;
  onDraft?(key: string, value: string): void;
}) {
  const { t } = useI18n();
  const { record, history, draft } = props;
  const groups = groupFields(record.fields, history?.versions.map((v) => v.fields) ?? []);
  const title = (g: FieldGroup) => (g.kind === 'person' ? g.title : t(`fields.group.${g.kind}`));
  return (
    <div className="record-fields">
      {groups.map(({ group, rows }) => {
        const visible = rows.filter((r) => draft || props.showEmpty || r.value !== '' || r.earlier.length > 0);
        if (visible.length === 0) return null;
        const id = `group-${group.kind === 'person' ? group.prefix : group.kind}`;
        return (
          <section key={id} aria-labelledby={id} className="field-group">
            <h3 id={id}>{title(group)}</h3>
            <dl>
              {visible.map((r) => (
                <div key={r.key} className={r.earlier.length > 0 ? 'field changed' : 'field'}>
                  <dt>
                    {draft && !PLACE_FIELDS.has(r.key) ? <label htmlFor={`field-${r.key}`}>{r.label}</label> : r.label}
                  </dt>
                  <dd>
                    {r.earlier.map((old, i) => (
                      <del key={i} className="earlier" title={t('fields.earlier')}>
                        <span className="visually-hidden">{t('fields.earlier')}: </span>
                        {old || t('fields.empty')}
                      </del>
                    ))}
                    {draft && !PLACE_FIELDS.has(r.key) ? (
                      <input id={`field-${r.key}`} value={draft[r.key] ?? r.value} onChange={(e) => props.onDraft!(r.key, e.target.value)} />
                    ) : (
                      <span className="value">{r.value || <span className="muted">{t('fields.empty')}</span>}</span>
                    )}
                  </dd>
                </div>
              ))}
            </dl>
          </section>
        );
      })}
    </div>
  );
}
