/**
 * The shapes the API answers with, taken from the API's own TypeBox schemas and from the domain
 * types its routes return, never written out a second time. Type-only: nothing here reaches
 * the bundle.
 */
import type { Static } from '@sinclair/typebox';
import type { ErrorResponse, UserView } from '../../../api/schemas';
import type { RecordDetailSchema, ReviewListItemSchema } from '../../../api/routes/api/records/schema';
import type { HealthSchema } from '../../../api/routes/health/schema';

export type User = UserView;
export type { Role } from '../../../domain/access';
export type ErrorBody = Static<typeof ErrorResponse>;
/** POST /api/auth/login */
export interface LoginResponse {
  token: string;
  user: User;
}
export type RecordDetail = Static<typeof RecordDetailSchema>;
export type RecordListItem = Static<typeof ReviewListItemSchema>;
/** GET /api/agencies/{code}/records */
export interface RecordPage {
  total: number;
  items: RecordListItem[];
}
/** GET /health */
export type Health = Static<typeof HealthSchema>;

// The coordinator's screens: runs, the board of agencies, notifications.
import type { RunStarted, RunStatusView } from '../../../api/schemas';
import type { AgencyCountsSchema, AgencyFilesSchema, HandoverSchema, InboxSchema, PerDaySchema, RunListSchema } from '../../../api/routes/api/runs/schema';
import type { ProvinceRunProgress, stepsOf } from '../../../domain/runs/province-run';
import type { AgencyReview } from '../../../services/agency-review';

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
