/**
 * The board's rows: each agency of the run (its phase and overdue books, from the run's
 * progress) with its record counts (from PostgreSQL), filtered by phase, by overdue books and
 * by a search of its code or name (without accents), and sorted, names in Vietnamese order. Pure.
 */
import { compareVietnamese } from '../../../../domain/text/collation';
import { searchKey } from '../../../../domain/text/search-key';
import type { AgencyCounts, AgencyPhase, AgencyProgress } from '../../lib/api-types';

export interface BoardRow extends AgencyProgress {
  /** Undefined until the counts have come. */
  counts?: AgencyCounts;
  /** The name's search key, computed once. */
  key: string;
}

export interface BoardFilter {
  phase: AgencyPhase | 'all';
  overdueOnly: boolean;
  query: string;
}

export const BOARD_SORTS = ['code', 'name', 'overdue', 'records', 'transferred'] as const;
export type BoardSort = (typeof BOARD_SORTS)[number];

export function boardRows(agencies: readonly AgencyProgress[], counts: readonly AgencyCounts[] | undefined): BoardRow[] {
  const byCode = new Map((counts ?? []).map((c) => [c.code, c]));
  return agencies.map((a) => ({ ...a, counts: byCode.get(a.code), key: searchKey(a.name) }));
}

export function filterRows(rows: readonly BoardRow[], f: BoardFilter): BoardRow[] {
  const query = f.query.trim();
  const key = searchKey(query);
  return rows.filter(
    (r) =>
      (f.phase === 'all' || r.phase === f.phase) &&
      (!f.overdueOnly || (r.overdueBooks ?? 0) > 0) &&
      (!key || r.code.startsWith(query) || r.key.includes(key)),
  );
}

const byCode = (a: BoardRow, b: BoardRow) => (a.code < b.code ? -1 : a.code > b.code ? 1 : 0);
const COMPARE: Record<BoardSort, (a: BoardRow, b: BoardRow) => number> = {
  code: byCode,
  name: (a, b) => compareVietnamese(a.name, b.name) || byCode(a, b),
  overdue: (a, b) => (b.overdueBooks ?? 0) - (a.overdueBooks ?? 0) || byCode(a, b),
  records: (a, b) => (b.counts?.records ?? 0) - (a.counts?.records ?? 0) || byCode(a, b),
  // The share of imported records already in CSDLHTĐT, least first: who lags behind.
  transferred: (a, b) => share(a) - share(b) || byCode(a, b),
};
const share = (r: BoardRow) => (r.counts && r.counts.records > 0 ? r.counts.transferred / r.counts.records : 0);

export function sortRows(rows: readonly BoardRow[], sort: BoardSort): BoardRow[] {
  return [...rows].sort(COMPARE[sort]);
}

export interface BoardTotals {
  agencies: number;
  rows: number;
  records: number;
  withPage: number;
  approved: number;
  rejected: number;
  transferred: number;
  overdueBooks: number;
}

export function totalsOf(rows: readonly BoardRow[]): BoardTotals {
  const t: BoardTotals = { agencies: rows.length, rows: 0, records: 0, withPage: 0, approved: 0, rejected: 0, transferred: 0, overdueBooks: 0 };
  for (const r of rows) {
    t.rows += r.rows;
    t.overdueBooks += r.overdueBooks ?? 0;
    if (!r.counts) continue;
    t.records += r.counts.records;
    t.withPage += r.counts.withPage;
    t.approved += r.counts.approved;
    t.rejected += r.counts.rejected;
    t.transferred += r.counts.transferred;
  }
  return t;
}
