import { Dialog } from '../../components/dialog';
import { useI18n } from '../../lib/i18n/i18n';
import type { MessageKey } from '../../lib/i18n/vi';

/** The review's keys, as the help dialog (?) lists them. */
export const REVIEW_KEYS: ReadonlyArray<[keys: string[], what: MessageKey]> = [
  [['Enter', 'A'], 'keys.approve'],
  [['R'], 'keys.reject'],
  [['C'], 'keys.correct'],
  [['J', '↓', '→'], 'keys.next'],
  [['K', '↑', '←'], 'keys.previous'],
  [['X'], 'keys.select'],
  [['Shift+A'], 'keys.approveSelected'],
  [['+', '−'], 'keys.zoom'],
  [['0'], 'keys.fitWidth'],
  [['O'], 'keys.rotate'],
  [['[', ']'], 'keys.turnPage'],
  [['?'], 'keys.help'],
  [['Esc'], 'keys.close'],
];

export function KeysHelp(props: { open: boolean; onClose(): void }) {
  const { t } = useI18n();
  return (
    <Dialog open={props.open} onClose={props.onClose} id="keys" title={t('keys.title')}>
      <table className="keys-table">
        <tbody>
          {REVIEW_KEYS.map(([keys, what]) => (
            <tr key={what}>
              <td>
                {keys.map((k, i) => (
                  <span key={k}>
                    {i > 0 && ' / '}
                    <kbd>{k}</kbd>
                  </span>
                ))}
              </td>
              <td>{t(what)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <div className="actions">
        <button type="button" onClick={props.onClose} autoFocus>
          {t('common.close')} <kbd>Esc</kbd>
        </button>
      </div>
    </Dialog>
  );
}
