import { queryOptions } from '@tanstack/react-query';
import { apiGet, apiPost } from '../../lib/api-client';
import type { TransfersView } from '../../lib/api-types';
import { agencyKeys } from '../../lib/agency';

export const transfersQuery = (agencyCode: string) =>
  queryOptions({ queryKey: agencyKeys.transfers(agencyCode), queryFn: ({ signal }) => apiGet<TransfersView>(`/api/agencies/${agencyCode}/transfers?limit=20`, signal), refetchInterval: 10_000 });

export const transferNow = (agencyCode: string) => apiPost<unknown>(`/api/agencies/${agencyCode}/transfers`);
