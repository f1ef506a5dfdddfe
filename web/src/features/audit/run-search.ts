/**
 * What the auditor's run search asks, kept in the page's address (so a search can be linked,
 * reloaded and gone back to) and sent to GET /api/audit/workflows. Days are typed dd/mm/yyyy and
 * read as days in Việt Nam (UTC+7, as every time on these screens), "to" including its day. Pure.
 */
import { EXECUTION_STATUSES, WORKFLOW_KINDS, type ExecutionStatus, type WorkflowKind } from '../../../../domain/audit/run-search';

export interface RunSearch {
  province?: string;
  agency?: string;
  kind?: WorkflowKind;
  phase?: string;
  status?: ExecutionStatus;
  /** Calendar days, yyyy-mm-dd. */
  from?: string;
  to?: string;
}

const FIELDS = ['province', 'agency', 'kind', 'phase', 'status', 'from', 'to'] as const;
const VIETNAM_OFFSET_MS = 7 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;
const YMD = /^(\d{4})-(\d{2})-(\d{2})$/;
const DMY = /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/;

export function runSearchOf(params: URLSearchParams): RunSearch {
  const s: RunSearch = {};
  for (const f of FIELDS) {
    const v = params.get(f)?.trim();
    if (v) (s as Record<string, string>)[f] = v;
  }
  if (s.kind && !(WORKFLOW_KINDS as readonly string[]).includes(s.kind)) delete s.kind;
  if (s.status && !(EXECUTION_STATUSES as readonly string[]).includes(s.status)) delete s.status;
  // A phase belongs to a kind: without one it would match phases of the same name in every kind.
  if (!s.kind) delete s.phase;
  return s;
}

export function paramsOf(s: RunSearch): URLSearchParams {
  const p = new URLSearchParams();
  for (const f of FIELDS) if (s[f]) p.set(f, s[f]!);
  return p;
}

/** yyyy-mm-dd of a day typed dd/mm/yyyy; undefined when it names no day (31/02, another shape). */
export function dayOfTyped(text: string): string | undefined {
  const m = DMY.exec(text.trim());
  if (!m) return undefined;
  const [d, mo, y] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const at = new Date(Date.UTC(y, mo - 1, d));
  if (at.getUTCFullYear() !== y || at.getUTCMonth() !== mo - 1 || at.getUTCDate() !== d) return undefined;
  return `${m[3]}-${String(mo).padStart(2, '0')}-${String(d).padStart(2, '0')}`;
}

/** dd/mm/yyyy of a yyyy-mm-dd day, as the field shows it. */
export const typedOfDay = (ymd: string) => {
  const m = YMD.exec(ymd);
  return m ? `${m[3]}/${m[2]}/${m[1]}` : ymd;
};

/** The instant a day begins in Việt Nam, `after` days later. */
function vietnamDayStart(ymd: string, after = 0): string | undefined {
  const m = YMD.exec(ymd);
  if (!m) return undefined;
  return new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) + after * DAY_MS - VIETNAM_OFFSET_MS).toISOString();
}

/** The API's query of a search, a page at a time. */
export function runListQuery(s: RunSearch, page: { limit: number; pageToken?: string }): string {
  const q = new URLSearchParams();
  for (const f of ['province', 'agency', 'kind', 'phase', 'status'] as const) if (s[f]) q.set(f, s[f]!);
  const from = s.from && vietnamDayStart(s.from);
  const before = s.to && vietnamDayStart(s.to, 1);
  if (from) q.set('from', from);
  if (before) q.set('before', before);
  q.set('limit', String(page.limit));
  if (page.pageToken) q.set('pageToken', page.pageToken);
  return `/api/audit/workflows?${q}`;
}
