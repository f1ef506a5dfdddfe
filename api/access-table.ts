/**
 * Who may call each route of the API, and what each caller gets: the table that
 * test/access/access-table.e2e.int.test.ts checks against the running system, cell by cell,
 * for every route Fastify registered × every role (and anonymous) × the caller's own scope and
 * another's. A route without a row fails that test by name: adding a route means adding its row.
 *
 * From a row the test derives each cell:
 * - anonymous: 401 AUTH_REQUIRED, unless the route is public;
 * - a role the route does not admit: 403 AUTH_ROLE_NOT_ALLOWED;
 * - an admitted role inside its scope: `ok`;
 * - an admitted role outside its scope: 404 with the very code a missing resource gets
 *   (domain/access.ts), unless `outside` says otherwise.
 * Own scope is a coordinator's or auditor's province and an official's agency; another is a
 * resource of another province (coordinator, auditor) or of another agency of the same
 * province (official).
 */
import type { Role } from '../domain/access';

/** What a route's resource belongs to, which decides whose scope a request is in. */
export type AccessScope =
  | 'none' // no resource of a province: one's own account, the users, the inbox, the pages
  | 'province' // a province code
  | 'run' // a province run
  | 'run-agency' // an agency's part of a province run
  | 'agency' // an agency: its records, imports, books, decisions, transfers
  | 'record'
  | 'file'
  | 'import'
  | 'workflow';

export interface AccessRow {
  /** Who the route admits; 'public' admits anyone, signed in or not. */
  roles: readonly Role[] | 'public';
  scope: AccessScope;
  /** The status an admitted role gets inside its scope. */
  ok: number;
  /** The answer outside the scope when it is not 404-as-absent, and why. */
  outside?: { status: number; code: string; why: string };
}

const READERS = ['coordinator', 'official', 'auditor'] as const;
const PROVINCE_READERS = ['coordinator', 'auditor'] as const;
const COORDINATOR = ['coordinator'] as const;
const OFFICIAL = ['official'] as const;
const WORKERS = ['official', 'coordinator'] as const;
const PUBLIC = 'public' as const;

/** Starting a run names a province in its body; whether one exists is public knowledge, so another's is refused, not hidden. */
const OTHER_PROVINCE = { status: 403, code: 'RUN_PROVINCE_OUT_OF_SCOPE', why: 'the province is named by the caller, and is no secret' };

/** Keyed by `METHOD /url` as Fastify registers it (api/upload-limits.ts routeKey), HEAD twins of GET routes aside. */
export const ACCESS_TABLE: Readonly<Record<string, AccessRow>> = {
  // The web page, the OpenAPI pages, the health probe and the log-in.
  'GET /': { roles: PUBLIC, scope: 'none', ok: 200 },
  'GET /*': { roles: PUBLIC, scope: 'none', ok: 200 },
  'GET /assets/*': { roles: PUBLIC, scope: 'none', ok: 200 },
  'GET /pdfjs/*': { roles: PUBLIC, scope: 'none', ok: 200 },
  'GET /docs': { roles: PUBLIC, scope: 'none', ok: 200 },
  'GET /docs/json': { roles: PUBLIC, scope: 'none', ok: 200 },
  'GET /docs/yaml': { roles: PUBLIC, scope: 'none', ok: 200 },
  'GET /docs/static/*': { roles: PUBLIC, scope: 'none', ok: 200 },
  // Swagger UI's own redirect to /docs/.
  'GET /docs/static/index.html': { roles: PUBLIC, scope: 'none', ok: 302 },
  'GET /docs/static/swagger-initializer.js': { roles: PUBLIC, scope: 'none', ok: 200 },
  'GET /health': { roles: PUBLIC, scope: 'none', ok: 200 },
  'POST /api/auth/login': { roles: PUBLIC, scope: 'none', ok: 200 },

  // Accounts.
  'GET /api/me': { roles: ['admin', 'coordinator', 'official', 'auditor'], scope: 'none', ok: 200 },
  'POST /api/me/password': { roles: ['admin', 'coordinator', 'official', 'auditor'], scope: 'none', ok: 200 },
  'GET /api/users': { roles: ['admin'], scope: 'none', ok: 200 },
  'POST /api/users': { roles: ['admin'], scope: 'none', ok: 201 },
  'POST /api/users/:username/disable': { roles: ['admin'], scope: 'none', ok: 200 },
  'POST /api/users/:username/enable': { roles: ['admin'], scope: 'none', ok: 200 },
  'POST /api/users/:username/password': { roles: ['admin'], scope: 'none', ok: 200 },

  // Steps 1–2: a province's runs.
  'GET /api/inbox': { roles: COORDINATOR, scope: 'none', ok: 200 },
  'POST /api/runs': { roles: COORDINATOR, scope: 'province', ok: 200, outside: OTHER_PROVINCE },
  'POST /api/runs/upload': { roles: COORDINATOR, scope: 'province', ok: 200, outside: OTHER_PROVINCE },
  'GET /api/provinces/:provinceCode/runs': { roles: PROVINCE_READERS, scope: 'province', ok: 200 },
  'GET /api/provinces/:provinceCode/notifications': { roles: PROVINCE_READERS, scope: 'province', ok: 200 },
  'GET /api/runs/:runId': { roles: PROVINCE_READERS, scope: 'run', ok: 200 },
  'GET /api/runs/:runId/handover': { roles: PROVINCE_READERS, scope: 'run', ok: 200 },
  'GET /api/runs/:runId/exceptions/reasons': { roles: COORDINATOR, scope: 'run', ok: 200 },
  'GET /api/provinces/:provinceCode/agencies': { roles: COORDINATOR, scope: 'province', ok: 200 },
  'GET /api/runs/:runId/agencies': { roles: PROVINCE_READERS, scope: 'run', ok: 200 },
  'GET /api/runs/:runId/per-day': { roles: PROVINCE_READERS, scope: 'run', ok: 200 },
  'GET /api/runs/:runId/agencies/:agencyCode/files': { roles: PROVINCE_READERS, scope: 'run-agency', ok: 200 },
  'GET /api/runs/:runId/agencies/:agencyCode/download': { roles: WORKERS, scope: 'run-agency', ok: 200 },
  'GET /api/runs/:runId/exceptions': { roles: COORDINATOR, scope: 'run', ok: 200 },
  'GET /api/runs/:runId/custodians': { roles: COORDINATOR, scope: 'run', ok: 200 },
  'POST /api/runs/:runId/custodians': { roles: COORDINATOR, scope: 'run', ok: 200 },
  'POST /api/runs/:runId/custodians/table': { roles: COORDINATOR, scope: 'run', ok: 200 },
  'POST /api/runs/:runId/exceptions/placements': { roles: COORDINATOR, scope: 'run', ok: 200 },
  'POST /api/runs/:runId/confirm-handover': { roles: COORDINATOR, scope: 'run', ok: 200 },
  'POST /api/runs/:runId/release': { roles: COORDINATOR, scope: 'run', ok: 200 },
  'POST /api/runs/:runId/cancel': { roles: COORDINATOR, scope: 'run', ok: 200 },

  // Steps 3–4: an agency's imports, records, review and transfers.
  'GET /api/agencies/:agencyCode': { roles: READERS, scope: 'agency', ok: 200 },
  'GET /api/agencies/:agencyCode/imports': { roles: READERS, scope: 'agency', ok: 200 },
  'POST /api/agencies/:agencyCode/imports/excel': { roles: WORKERS, scope: 'agency', ok: 200 },
  'POST /api/agencies/:agencyCode/imports/scans': { roles: WORKERS, scope: 'agency', ok: 200 },
  'GET /api/imports/:importId': { roles: READERS, scope: 'import', ok: 200 },
  'GET /api/imports/:importId/errors': { roles: WORKERS, scope: 'import', ok: 200 },
  'GET /api/agencies/:agencyCode/records': { roles: READERS, scope: 'agency', ok: 200 },
  'GET /api/records/:recordId': { roles: READERS, scope: 'record', ok: 200 },
  'GET /api/records/:recordId/versions': { roles: READERS, scope: 'record', ok: 200 },
  'GET /api/files/:sha256': { roles: READERS, scope: 'file', ok: 200 },
  'GET /api/agencies/:agencyCode/books': { roles: READERS, scope: 'agency', ok: 200 },
  'POST /api/agencies/:agencyCode/books/claim': { roles: OFFICIAL, scope: 'agency', ok: 200 },
  'POST /api/agencies/:agencyCode/books/release': { roles: WORKERS, scope: 'agency', ok: 200 },
  'POST /api/agencies/:agencyCode/decisions': { roles: OFFICIAL, scope: 'agency', ok: 200 },
  'GET /api/agencies/:agencyCode/decisions/mine': { roles: OFFICIAL, scope: 'agency', ok: 200 },
  'GET /api/agencies/:agencyCode/transfers': { roles: READERS, scope: 'agency', ok: 200 },
  'POST /api/agencies/:agencyCode/transfers': { roles: WORKERS, scope: 'agency', ok: 200 },
  'POST /api/agencies/:agencyCode/close': { roles: COORDINATOR, scope: 'agency', ok: 200 },
  'GET /api/workflows/:workflowId': { roles: READERS, scope: 'workflow', ok: 200 },

  // Auditors: runs by their search attributes, a run's history and timeline, a record's trail, a province's reconciliation and its log chain verified.
  // The list answers within the caller's own scope whatever it asks for.
  'GET /api/audit/workflows': { roles: ['auditor', 'coordinator'], scope: 'none', ok: 200 },
  'GET /api/audit/workflows/:workflowId': { roles: ['auditor'], scope: 'workflow', ok: 200 },
  'GET /api/audit/workflows/:workflowId/history': { roles: ['auditor'], scope: 'workflow', ok: 200 },
  'GET /api/audit/workflows/:workflowId/timeline': { roles: ['auditor'], scope: 'workflow', ok: 200 },
  'GET /api/audit/records/:recordId/trail': { roles: ['auditor'], scope: 'record', ok: 200 },
  'GET /api/audit/provinces/:provinceCode/reconciliation': { roles: ['auditor'], scope: 'province', ok: 200 },
  'GET /api/audit/provinces/:provinceCode/verification': { roles: ['auditor'], scope: 'province', ok: 200 },
};
