/**
 * Step 1 as the coordinator starts it: the package C06 delivered, uploaded (with its progress)
 * or picked in the inbox, with what the handover minutes say: its SHA-256, who delivered it and
 * over which channel. The run's page follows; the same package registered again finds its run.
 */
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useRef, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { ErrorMessage } from '../../components/error-message';
import type { UploadProgress } from '../../lib/api-client';
import { formatBytes, formatDateTime } from '../../lib/format';
import { useI18n } from '../../lib/i18n/i18n';
import { useSession } from '../../lib/session';
import { inboxFiles, startFromInbox, startFromUpload } from './api';

type Source = 'upload' | 'inbox';

export function NewRunPage() {
  const { t, lang } = useI18n();
  const { user } = useSession();
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [source, setSource] = useState<Source>('upload');
  const [file, setFile] = useState<File | null>(null);
  const [inboxPath, setInboxPath] = useState('');
  const [sha256, setSha256] = useState('');
  const [deliveredBy, setDeliveredBy] = useState('');
  const [channel, setChannel] = useState('');
  const [progress, setProgress] = useState<UploadProgress | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const abort = useRef<AbortController | null>(null);
  const inbox = useQuery({ queryKey: ['inbox'], queryFn: ({ signal }) => inboxFiles(signal), enabled: source === 'inbox' });

  async function submit(e: FormEvent) {
    e.preventDefault();
    setError(null);
    setBusy(true);
    const fields = { provinceCode: user.provinceCode!, sha256: sha256.trim(), deliveredBy: deliveredBy.trim(), channel: channel.trim() };
    try {
      let started;
      if (source === 'upload') {
        abort.current = new AbortController();
        setProgress({ loaded: 0, total: file!.size });
        started = await startFromUpload(fields, file!, setProgress, abort.current.signal);
      } else {
        started = await startFromInbox(fields, inboxPath);
      }
      await queryClient.invalidateQueries({ queryKey: ['runs'] });
      navigate(`/runs/${started.runId}`, { state: { existing: started.existing } });
    } catch (err) {
      if ((err as Error).name !== 'AbortError') setError(err);
      setBusy(false);
      setProgress(null);
    }
  }

  const percent = progress && progress.total > 0 ? Math.floor((progress.loaded / progress.total) * 100) : 0;
  return (
    <section aria-labelledby="new-run-title" className="narrow">
      <h1 id="new-run-title">{t('newRun.title')}</h1>
      <p className="muted">{t('newRun.intro', { province: user.provinceCode! })}</p>
      <form onSubmit={submit} className="form-grid">
        <fieldset>
          <legend>{t('newRun.source')}</legend>
          <label className="choice">
            <input type="radio" name="source" value="upload" checked={source === 'upload'} onChange={() => setSource('upload')} />
            {t('newRun.sourceUpload')}
          </label>
          <label className="choice">
            <input type="radio" name="source" value="inbox" checked={source === 'inbox'} onChange={() => setSource('inbox')} />
            {t('newRun.sourceInbox')}
          </label>
        </fieldset>

        {source === 'upload' ? (
          <div className="form-field">
            <label htmlFor="new-run-file">{t('newRun.file')}</label>
            <input id="new-run-file" type="file" accept=".xlsx,.xls,.csv,.zip" required onChange={(e) => setFile(e.target.files?.[0] ?? null)} aria-describedby="new-run-file-help" />
            <p id="new-run-file-help" className="help">
              {file ? t('newRun.fileChosen', { name: file.name, size: formatBytes(file.size, lang) }) : t('newRun.fileHelp')}
            </p>
          </div>
        ) : (
          <fieldset>
            <legend>{t('newRun.inboxFile')}</legend>
            {inbox.isPending && <p className="loading">{t('common.loading')}</p>}
            {inbox.isError && <ErrorMessage error={inbox.error} onRetry={() => void inbox.refetch()} />}
            {inbox.data && inbox.data.files.length === 0 && <p>{t('newRun.inboxEmpty')}</p>}
            {inbox.data?.files.map((f) => (
              <label key={f.path} className="choice">
                <input type="radio" name="inboxPath" value={f.path} required checked={inboxPath === f.path} onChange={() => setInboxPath(f.path)} />
                <span>
                  {f.path} <span className="muted">({formatBytes(f.sizeBytes, lang)}, {formatDateTime(f.modifiedAt)})</span>
                </span>
              </label>
            ))}
            {inbox.data?.truncated && <p className="help">{t('newRun.inboxTruncated', { count: inbox.data.files.length })}</p>}
          </fieldset>
        )}

        <div className="form-field">
          <label htmlFor="new-run-sha">{t('newRun.sha256')}</label>
          <input id="new-run-sha" className="mono" required spellCheck={false} autoComplete="off" value={sha256} onChange={(e) => setSha256(e.target.value)} aria-describedby="new-run-sha-help" />
          <p id="new-run-sha-help" className="help">
            {t('newRun.sha256Help')}
          </p>
        </div>
        <div className="form-field">
          <label htmlFor="new-run-delivered">{t('newRun.deliveredBy')}</label>
          <input id="new-run-delivered" required value={deliveredBy} onChange={(e) => setDeliveredBy(e.target.value)} placeholder={t('newRun.deliveredByExample')} />
        </div>
        <div className="form-field">
          <label htmlFor="new-run-channel">{t('newRun.channel')}</label>
          <input id="new-run-channel" required value={channel} onChange={(e) => setChannel(e.target.value)} placeholder={t('newRun.channelExample')} />
        </div>

        {error !== null && <ErrorMessage error={error} />}
        {progress && (
          <div className="upload-progress">
            <label htmlFor="new-run-progress">
              {percent < 100 ? t('newRun.uploading', { percent, loaded: formatBytes(progress.loaded, lang), total: formatBytes(progress.total, lang) }) : t('newRun.uploaded')}
            </label>
            <progress id="new-run-progress" max={100} value={percent} />
          </div>
        )}
        <div className="actions">
          <button type="submit" className="primary" disabled={busy}>
            {busy ? t('newRun.submitting') : t('newRun.submit')}
          </button>
          {busy && progress && (
            <button type="button" onClick={() => abort.current?.abort()}>
              {t('newRun.cancelUpload')}
            </button>
          )}
          <Link to="/">{t('runs.back')}</Link>
        </div>
      </form>
    </section>
  );
}
