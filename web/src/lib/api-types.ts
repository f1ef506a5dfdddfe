/**
 * The shapes the API answers with, taken from the API's own TypeBox schemas and from the domain
 * and service types its routes return, never written out a second time. Type-only: nothing here
 * reaches the bundle.
 */
import type { Static } from '@sinclair/typebox';
import type { AccountView, AgencyView, ErrorResponse, UserView } from '../../../api/schemas';
import type { RecordDetailSchema, RecordHistorySchema, ReviewListItemSchema } from '../../../api/routes/api/records/schema';
import type { HealthSchema } from '../../../api/routes/health/schema';
import type { BookClaim, ReviewBook } from '../../../domain/review/review-types';
import type { AgencyRunState } from '../../../domain/runs/province-run';
import type { AgencyReview } from '../../../services/agency-review';

export type User = UserView;
/** An account as an administrator sees it (GET /api/users). */
export type Account = AccountView;
export type Agency = AgencyView;
export type { Role } from '../../../domain/access';
export type ErrorBody = Static<typeof ErrorResponse>;
/** POST /api/auth/login */
export interface LoginResponse {
  token: string;
  user: User;
}
/** GET /health */
export type Health = Static<typeof HealthSchema>;

export type RecordDetail = Static<typeof RecordDetailSchema>;
export type RecordHistory = Static<typeof RecordHistorySchema>;
export type RecordListItem = Static<typeof ReviewListItemSchema>;
/** GET /api/agencies/{code}/records */
export interface RecordPage {
  total: number;
  items: RecordListItem[];
}

/** A book as GET /api/agencies/{code}/books gives it: a lapsed claim is no claim. */
export type BookView = Omit<ReviewBook, 'claim'> & { claim: BookClaim | null };
/** GET /api/agencies/{code}/books */
export interface BooksView {
  agencyCode: string;
  phase: AgencyRunState['phase'];
  books: BookView[];
  transfer: AgencyRunState['transfer'];
  decisionBatches: number;
  closed: NonNullable<AgencyRunState['closed']> | null;
}
/** GET /api/agencies/{code}/imports */
export type ImportsView = AgencyRunState;
/** GET /api/agencies/{code}/decisions/mine */
export interface MyDecisions {
  since: string;
  byKind: Record<string, number>;
  records: number;
}
/** GET /api/agencies/{code}/transfers */
export type TransfersView = Awaited<ReturnType<AgencyReview['transfers']>>;

export type { BookClaim, BookRef, DecisionItem, DecisionResult, DecisionOutcome, ReviewBook } from '../../../domain/review/review-types';
export type { ExcelImportResult } from '../../../domain/imports/import-types';
export type { ScanImportReport } from '../../../domain/scans/scan-import';

// The coordinator's screens: runs, the board of agencies, notifications.
import type { RunStarted, RunStatusView } from '../../../api/schemas';
import type { AgencyCountsSchema, AgencyFilesSchema, HandoverSchema, InboxSchema, PerDaySchema, RunListSchema } from '../../../api/routes/api/runs/schema';
import type { ProvinceRunProgress, stepsOf } from '../../../domain/runs/province-run';

export type { AgencyPhase, AgencyProgress, AgencySchedule, ProvinceRunProgress, RunPhase } from '../../../domain/runs/province-run';
/** GET /api/runs/{runId}: the progress and steps are the domain's types. */
export type RunStatus = Omit<Static<typeof RunStatusView>, 'progress' | 'steps'> & { progress: ProvinceRunProgress; steps: ReturnType<typeof stepsOf> };
export type RunStartedResponse = Static<typeof RunStarted>;
export type RunList = Static<typeof RunListSchema>;
export type Handover = Static<typeof HandoverSchema>;
export type AgencyCounts = Static<typeof AgencyCountsSchema>['items'][number];
export type AgencyFiles = Static<typeof AgencyFilesSchema>;
export type DayCounts = Static<typeof PerDaySchema>['days'][number];
export type Inbox = Static<typeof InboxSchema>;
/** GET /api/provinces/{code}/notifications */
export type ProvinceNotification = Awaited<ReturnType<AgencyReview['notifications']>>[number];

// Step 2's decisions: custodians of former units, exception rows placed by hand.
import type { CustodianTableResultSchema, ExceptionReasonsSchema, PlacementResultSchema } from '../../../api/routes/api/runs/schema';
import type { CustodianList, CustodianView } from '../../../services/province-runs';

export type { CustodianLineRefusal, CustodianDecisionInput } from '../../../domain/runs/custodians';
/** GET /api/runs/{runId}/custodians */
export type Custodians = CustodianList;
export type CustodianUnit = CustodianView;
/** POST /api/runs/{runId}/custodians */
export type { DecisionBatchResult } from '../../../domain/runs/province-run';
/** POST /api/runs/{runId}/custodians/table */
export type CustodianTableResult = Static<typeof CustodianTableResultSchema>;
/** POST /api/runs/{runId}/exceptions/placements */
export type PlacementResult = Static<typeof PlacementResultSchema>;
/** GET /api/runs/{runId}/exceptions/reasons */
export type ExceptionReasons = Static<typeof ExceptionReasonsSchema>;

// The auditor's screens: runs, a run's timeline, a record's trail, the province's checks.
import type { ReconciliationView, RunListView, TimelineView, TrailView, VerificationView, WorkflowRunView } from '../../../api/routes/api/audit/schema';

/** GET /api/audit/workflows */
export type AuditRunList = Static<typeof RunListView>;
export type AuditRun = Static<typeof WorkflowRunView>;
/** GET /api/audit/workflows/{workflowId}/timeline */
export type Timeline = Static<typeof TimelineView>;
export type TimelineEntry = Timeline['entries'][number];
/** GET /api/audit/records/{recordId}/trail */
export type Trail = Static<typeof TrailView>;
export type TrailStep = Trail['steps'][number];
/** GET /api/audit/provinces/{code}/reconciliation */
export type Reconciliation = Static<typeof ReconciliationView>;
/** GET /api/audit/provinces/{code}/verification */
export type ChainVerification = Static<typeof VerificationView>;
