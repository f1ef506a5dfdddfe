/**
 * What several screens read of the signed-in official's agency: its name, and its books with
 * their counts and claims (the agency run's own state). One query key each, so a decision or an
 * import refreshes every screen that shows them.
 */
import { queryOptions } from '@tanstack/react-query';
import { apiGet } from './api-client';
import type { Agency, BookRef, BookView, BooksView } from './api-types';

export const agencyKeys = {
  all: (code: string) => ['agency', code] as const,
  books: (code: string) => ['agency', code, 'books'] as const,
  records: (code: string) => ['agency', code, 'records'] as const,
  imports: (code: string) => ['agency', code, 'imports'] as const,
  transfers: (code: string) => ['agency', code, 'transfers'] as const,
  mine: (code: string) => ['agency', code, 'mine'] as const,
};

export const agencyQuery = (code: string) =>
  queryOptions({ queryKey: [...agencyKeys.all(code), 'info'], queryFn: ({ signal }) => apiGet<Agency>(`/api/agencies/${code}`, signal), staleTime: Infinity });

export const booksQuery = (code: string) =>
  queryOptions({ queryKey: agencyKeys.books(code), queryFn: ({ signal }) => apiGet<BooksView>(`/api/agencies/${code}/books`, signal), refetchInterval: 20_000 });

export const sameBook = (a: BookRef, b: BookRef) => a.registerType === b.registerType && a.unitCode === b.unitCode && a.bookYear === b.bookYear && a.bookKey === b.bookKey;

/** The page's address of a book's review, optionally at one record. */
export function bookPath(b: BookRef, recordId?: number): string {
  const path = `/review/${b.registerType}/${b.unitCode}/${b.bookYear}/${encodeURIComponent(b.bookKey)}`;
  return recordId === undefined ? path : `${path}?record=${recordId}`;
}

/** Records of a book that wait for a decision and have a page to compare with. */
export const readyToCheck = (b: BookView) => b.counts.imported - b.counts.awaitingScan;
