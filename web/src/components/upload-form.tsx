/**
 * One upload: the fields, the file, the progress of the upload, then the wait while the system
 * works on it (an import, a table of decisions), then the report (or the API's refusal, with
 * what the refusal details, such as the lines of a table it names).
 */
import { useRef, useState, type FormEvent, type ReactNode } from 'react';
import { ErrorMessage } from './error-message';
import type { UploadProgress } from '../lib/api-client';
import { formatBytes } from '../lib/format';
import { useI18n } from '../lib/i18n/i18n';

type Phase<R> = { kind: 'idle' } | { kind: 'uploading'; progress: UploadProgress } | { kind: 'importing' } | { kind: 'done'; result: R } | { kind: 'failed'; error: unknown };

export function UploadForm<R>(props: {
  id: string;
  title: string;
  fileLabel: string;
  accept: string;
  submitLabel: string;
  /** What the page says once the file is up, while the API works on it. */
  processingLabel: string;
  fields?: ReactNode;
  /** What to upload, under the form (the file field's description). */
  help?: ReactNode;
  /** Inside a section of its own: an h3, and the fields, the file and the button on one line. */
  inline?: boolean;
  upload(file: File, onProgress: (p: UploadProgress) => void): Promise<R>;
  report(result: R): ReactNode;
  /** More of a refusal than its message and code. */
  refusal?(error: unknown): ReactNode;
  onDone(): void;
}) {
  const { t, lang } = useI18n();
  const [phase, setPhase] = useState<Phase<R>>({ kind: 'idle' });
  const fileInput = useRef<HTMLInputElement>(null);
  const busy = phase.kind === 'uploading' || phase.kind === 'importing';

  async function submit(e: FormEvent) {
    e.preventDefault();
    const file = fileInput.current?.files?.[0];
    if (!file) return;
    setPhase({ kind: 'uploading', progress: { loaded: 0, total: file.size } });
    try {
      const result = await props.upload(file, (progress) => setPhase(progress.total > 0 && progress.loaded >= progress.total ? { kind: 'importing' } : { kind: 'uploading', progress }));
      setPhase({ kind: 'done', result });
      props.onDone();
    } catch (error) {
      setPhase({ kind: 'failed', error });
    }
  }

  return (
    <section className={props.inline ? 'upload upload-inline' : 'upload'} aria-labelledby={`${props.id}-title`}>
      {props.inline ? <h3 id={`${props.id}-title`}>{props.title}</h3> : <h2 id={`${props.id}-title`}>{props.title}</h2>}
      <form onSubmit={submit} className="upload-form">
        {props.fields}
        <label htmlFor={`${props.id}-file`}>{props.fileLabel}</label>
        <input id={`${props.id}-file`} ref={fileInput} type="file" accept={props.accept} required disabled={busy} aria-describedby={props.help ? `${props.id}-help` : undefined} />

        <button type="submit" className="primary" disabled={busy}>
          {props.submitLabel}
        </button>
        {props.help && (
          <p id={`${props.id}-help`} className="field-help">
            {props.help}
          </p>
        )}
      </form>
      <div aria-live="polite">
        {phase.kind === 'uploading' && (
          <p className="progress-line">
            <label>
              {t('upload.progress', { percent: phase.progress.total ? Math.floor((phase.progress.loaded / phase.progress.total) * 100) : 0 })}
              <progress value={phase.progress.loaded} max={phase.progress.total || 1} />
            </label>{' '}
            <span className="muted">
              {formatBytes(phase.progress.loaded, lang)} / {formatBytes(phase.progress.total, lang)}
            </span>
          </p>
        )}
        {phase.kind === 'importing' && (
          <p className="progress-line" role="status">
            {props.processingLabel}
          </p>
        )}
      </div>
      {phase.kind === 'failed' && (
        <>
          <ErrorMessage error={phase.error} />
          {props.refusal?.(phase.error)}
        </>
      )}
      {phase.kind === 'done' && props.report(phase.result)}
    </section>
  );
}
