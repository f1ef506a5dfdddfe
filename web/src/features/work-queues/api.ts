import { queryOptions } from '@tanstack/react-query';
import { apiGet } from '../../lib/api-client';
import type { MyDecisions } from '../../lib/api-types';
import { agencyKeys } from '../../lib/agency';

/** Midnight of today where the official is: "done today" counts from there. */
export function startOfToday(now = new Date()): Date {
  return new Date(now.getFullYear(), now.getMonth(), now.getDate());
}

export const myDecisionsQuery = (agencyCode: string) =>
  queryOptions({
    queryKey: [...agencyKeys.mine(agencyCode), 'today'],
    queryFn: ({ signal }) => apiGet<MyDecisions>(`/api/agencies/${agencyCode}/decisions/mine?since=${encodeURIComponent(startOfToday().toISOString())}`, signal),
    refetchInterval: 60_000,
  });
