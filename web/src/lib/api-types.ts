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
