import { queryOptions } from '@tanstack/react-query';
import { apiGet, apiPost } from '../../lib/api-client';
import type { BookClaim, BookRef, DecisionItem, DecisionResult, RecordDetail, RecordHistory, RecordPage } from '../../lib/api-types';
import { agencyKeys } from '../../lib/agency';

/** A page of the list: at most what one request of decisions takes (MAX_DECISIONS_PER_BATCH is 200). */
export const LIST_PAGE = 50;

export type ListFilter = 'all' | 'imported' | 'rejected' | 'noScan';

function listQuery(agencyCode: string, book: BookRef, filter: ListFilter, offset: number): string {
  const q = new URLSearchParams({ type: book.registerType, unit: book.unitCode, year: String(book.bookYear), book: book.bookKey, limit: String(LIST_PAGE), offset: String(offset) });
  if (filter === 'imported' || filter === 'rejected') q.set('state', filter);
  if (filter === 'noScan') q.set('scanned', 'false');
  return `/api/agencies/${agencyCode}/records?${q}`;
}

export const recordListQuery = (agencyCode: string, book: BookRef, filter: ListFilter, offset: number) =>
  queryOptions({
    queryKey: [...agencyKeys.records(agencyCode), book.registerType, book.unitCode, book.bookYear, book.bookKey, filter, offset],
    queryFn: ({ signal }) => apiGet<RecordPage>(listQuery(agencyCode, book, filter, offset), signal),
  });

export const recordQuery = (id: number) => queryOptions({ queryKey: ['record', id], queryFn: ({ signal }) => apiGet<RecordDetail>(`/api/records/${id}`, signal), staleTime: 60_000 });

export const historyQuery = (id: number) =>
  queryOptions({ queryKey: ['record', id, 'versions'], queryFn: ({ signal }) => apiGet<RecordHistory>(`/api/records/${id}/versions`, signal), staleTime: 60_000 });

export const claimBook = (agencyCode: string, book: BookRef) => apiPost<BookClaim>(`/api/agencies/${agencyCode}/books/claim`, { book });
export const releaseBook = (agencyCode: string, book: BookRef) => apiPost<{ released: boolean }>(`/api/agencies/${agencyCode}/books/release`, { book });

/** Approvals may leave `pages` out: the API then takes the pages attached now. */
export type Decision = DecisionItem | (Omit<Extract<DecisionItem, { kind: 'approve' }>, 'pages'> & { pages?: string[] });

export const decide = (agencyCode: string, items: Decision[]) =>
  apiPost<{ decided: number; refused: number; results: DecisionResult[] }>(`/api/agencies/${agencyCode}/decisions`, { items });
