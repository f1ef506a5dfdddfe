import { apiGet } from '../../lib/api-client';
import type { ProvinceNotification } from '../../lib/api-types';

export type NotificationKind = 'reminder' | 'escalation';

export function provinceNotifications(provinceCode: string, opts: { kind?: NotificationKind; agency?: string; limit: number }, signal?: AbortSignal) {
  const q = new URLSearchParams({ limit: String(opts.limit) });
  if (opts.kind) q.set('kind', opts.kind);
  if (opts.agency) q.set('agency', opts.agency);
  return apiGet<{ items: ProvinceNotification[] }>(`/api/provinces/${provinceCode}/notifications?${q}`, signal);
}
