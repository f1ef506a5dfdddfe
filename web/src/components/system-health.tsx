/** Whether the servers behind the page answer (GET /health, public): shown where work starts. */
import { useQuery } from '@tanstack/react-query';
import { ApiError, apiGet } from '../lib/api-client';
import type { Health } from '../lib/api-types';
import { useI18n } from '../lib/i18n/i18n';

async function health(): Promise<Health> {
  try {
    return await apiGet<Health>('/health');
  } catch (e) {
    // A degraded system answers 503 with the same shape.
    if (e instanceof ApiError && e.status === 503) return { status: 'degraded', temporal: { ok: false }, postgres: { ok: false } };
    throw e;
  }
}

export function SystemHealth() {
  const { t } = useI18n();
  const q = useQuery({ queryKey: ['health'], queryFn: health, refetchInterval: 30_000 });
  const part = (name: string, ok: boolean) => `${name}: ${ok ? t('health.up') : t('health.down')}`;
  return (
    <p className="system-health" role="status">
      {t('health.label')}{' '}
      {q.data ? (
        <span className={q.data.status === 'ok' ? 'ok' : 'bad'}>
          {part('Temporal', q.data.temporal.ok)}; {part('PostgreSQL', q.data.postgres.ok)}
        </span>
      ) : q.isError ? (
        <span className="bad">{t('error.NETWORK_UNREACHABLE')}</span>
      ) : (
        t('common.loading')
      )}
    </p>
  );
}
