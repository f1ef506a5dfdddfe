/** Schemas shared by several routes. */
import { Type, type Static } from '@sinclair/typebox';
import { ROLES, type Role } from '../domain/access';
import { RECORD_STATE_RULES, RECORD_STATES, type RecordState } from '../domain/records/life-cycle';

export const ErrorResponse = Type.Object(
  {
    code: Type.String({ description: 'Stable error code' }),
    message: Type.String({ description: 'Vietnamese message for the user' }),
    details: Type.Optional(Type.Unknown()),
  },
  { $id: 'ErrorResponse' },
);

export const errorResponses = {
  400: ErrorResponse,
  401: ErrorResponse,
  403: ErrorResponse,
  404: ErrorResponse,
} as const;

export const RoleSchema = Type.Unsafe<Role>({ type: 'string', enum: [...ROLES] });

/** A record's state in the life cycle (domain/records/life-cycle.ts). */
export const RecordStateSchema = Type.Unsafe<RecordState>({
  type: 'string',
  enum: [...RECORD_STATES],
  description: `Trạng thái hồ sơ: ${RECORD_STATES.map((s) => `${s} (${RECORD_STATE_RULES[s].labelVi})`).join(', ')}`,
});

/** Records by state; a state no record is in may be left out. */
export const RecordStateCountsSchema = Type.Partial(Type.Object(Object.fromEntries(RECORD_STATES.map((s) => [s, Type.Integer({ minimum: 0, description: RECORD_STATE_RULES[s].labelVi })])) as Record<RecordState, ReturnType<typeof Type.Integer>>));

/**
 * A row id (a bigint column): at most 2^53 − 1, which JSON and JavaScript hold exactly. A larger
 * one (99999999999999999999) reached PostgreSQL as out of range for bigint, a 500.
 */
export const RowId = (description?: string) => Type.Integer({ minimum: 1, maximum: Number.MAX_SAFE_INTEGER, ...(description ? { description } : {}) });

/** How many rows a list skips: bounded as row ids are, past which PostgreSQL refuses the OFFSET. */
export const ListOffset = Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER, default: 0 });

export const ProvinceCode = Type.String({ pattern: '^[0-9]{2}$', description: 'Mã tỉnh (2 chữ số)' });
export const AgencyCode = Type.String({ pattern: '^[0-9]{3}([0-9]{2})?$', description: 'Mã ĐVHC của cơ quan đăng ký (3 hoặc 5 chữ số)' });

export const UserView = Type.Object({
  username: Type.String(),
  role: RoleSchema,
  provinceCode: Type.Union([ProvinceCode, Type.Null()]),
  agencyCode: Type.Union([AgencyCode, Type.Null()]),
  displayName: Type.String(),
});
export type UserView = Static<typeof UserView>;

/** An account as an administrator sees it. */
export const AccountView = Type.Object({ ...UserView.properties, disabled: Type.Boolean({ description: 'Tài khoản đã bị khoá: không đăng nhập được' }) });
export type AccountView = Static<typeof AccountView>;

export const AgencyView = Type.Object({
  code: AgencyCode,
  name: Type.String(),
  level: Type.Union([Type.Literal('commune'), Type.Literal('district'), Type.Literal('province')]),
  provinceCode: ProvinceCode,
});
export type AgencyView = Static<typeof AgencyView>;

export const RunId = Type.String({ pattern: '^[0-9]{2}-[0-9a-f]{16}$', description: 'Mã lượt chạy: mã tỉnh và 16 chữ số đầu của SHA-256 gói dữ liệu' });

/** A province run as the coordinator sees it (domain/runs/province-run.ts ProvinceRunProgress and its steps). */
export const RunStatusView = Type.Object({
  workflowId: Type.String(),
  status: Type.String({ description: 'Trạng thái trong Temporal: RUNNING, COMPLETED, FAILED…' }),
  progress: Type.Unknown(),
  steps: Type.Unknown(),
});

export const RunStarted = Type.Object({ runId: RunId, workflowId: Type.String(), existing: Type.Boolean() });

export const stateErrorResponses = { ...errorResponses, 409: ErrorResponse, 422: ErrorResponse } as const;
