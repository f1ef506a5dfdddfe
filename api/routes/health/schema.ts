import { Type } from '@sinclair/typebox';

const Check = Type.Object({ ok: Type.Boolean(), error: Type.Optional(Type.String()) });
export const HealthSchema = Type.Object({ status: Type.Union([Type.Literal('ok'), Type.Literal('degraded')]), temporal: Check, postgres: Check });
