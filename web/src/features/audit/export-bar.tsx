/** The exports of a screen: each button saves one file and says which, or shows the API's refusal. */
import { useState } from 'react';
import { ErrorMessage } from '../../components/error-message';
import { useI18n } from '../../lib/i18n/i18n';
import { saveFile } from '../../lib/save-file';

export interface ExportItem {
  label: string;
  /** Saves the file and gives its name. */
  save(): Promise<string>;
}

/** Saves text the page made (a CSV) under a name. */
export function saveText(text: string, name: string, type: string): Promise<string> {
  saveFile(new Blob([text], { type }), name);
  return Promise.resolve(name);
}

export function ExportBar({ label, items }: { label: string; items: readonly ExportItem[] }) {
  const { t } = useI18n();
  const [state, setState] = useState<{ kind: 'idle' } | { kind: 'busy' } | { kind: 'saved'; name: string } | { kind: 'failed'; error: unknown }>({ kind: 'idle' });
  async function run(item: ExportItem) {
    setState({ kind: 'busy' });
    try {
      setState({ kind: 'saved', name: await item.save() });
    } catch (error) {
      setState({ kind: 'failed', error });
    }
  }
  return (
    <div className="export-bar" role="group" aria-label={label}>
      <span className="export-label">{label}</span>
      {items.map((item) => (
        <button key={item.label} type="button" onClick={() => void run(item)} disabled={state.kind === 'busy'}>
          {item.label}
        </button>
      ))}
      <span role="status" className="muted">
        {state.kind === 'saved' && t('audit.export.saved', { name: state.name })}
      </span>
      {state.kind === 'failed' && <ErrorMessage error={state.error} />}
    </div>
  );
}
