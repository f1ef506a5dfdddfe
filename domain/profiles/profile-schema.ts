/**
 * An import profile: how the columns of an incoming workbook map to the field dictionary.
 * A profile is data (JSON, validated here), not code: a coordinator adds one without a release.
 */
import { Type, type Static } from '@sinclair/typebox';
import { Value } from '@sinclair/typebox/value';
import { defineError } from '../errors';

export const ProfileSchema = Type.Object(
  {
    id: Type.String({ pattern: '^[a-z0-9-]{2,64}$' }),
    nameVi: Type.String({ minLength: 1 }),
    /** Which register type a sheet holds. */
    registerType: Type.Union([
      Type.Object({ from: Type.Literal('fixed'), code: Type.String() }),
      Type.Object({ from: Type.Literal('sheetName') }),
      Type.Object({ from: Type.Literal('column') }),
    ]),
    /** Where the header row is: exports often carry a title and blank rows above it. */
    headerRow: Type.Union([
      Type.Object({ mode: Type.Literal('first') }),
      Type.Object({ mode: Type.Literal('row'), row: Type.Integer({ minimum: 1 }) }),
      Type.Object({ mode: Type.Literal('find'), minMatches: Type.Integer({ minimum: 1 }), scanRows: Type.Integer({ minimum: 1, maximum: 200 }) }),
    ]),
    /** What the unit-code column holds, when its header does not say. */
    unitCodeLevel: Type.Union([Type.Literal('commune'), Type.Literal('district')]),
    /** Extra accepted headers per field key, beyond the dictionary's label and aliases. */
    aliases: Type.Record(Type.String(), Type.Array(Type.String({ minLength: 1 }))),
    /** Unknown columns are kept verbatim (default) and passed through, or dropped. */
    unknownColumns: Type.Union([Type.Literal('keep'), Type.Literal('drop')]),
  },
  { additionalProperties: false },
);
export type ImportProfile = Static<typeof ProfileSchema>;

export const ProfileInvalid = defineError<{ id: string; path: string; problem: string }>(
  'PROFILE_INVALID',
  'validation',
  (p) => `import profile ${p.id} is invalid at ${p.path}: ${p.problem}`,
  (p) => `Hồ sơ nhập dữ liệu "${p.id}" không hợp lệ tại ${p.path || '(gốc)'}: ${p.problem}.`,
);

/** Validates a parsed profile file; the first problem is reported. */
export function loadProfile(data: unknown): ImportProfile {
  const first = Value.Errors(ProfileSchema, data).First();
  if (first) {
    const id = typeof data === 'object' && data && 'id' in data ? String((data as { id: unknown }).id) : '?';
    throw ProfileInvalid({ id, path: first.path, problem: first.message });
  }
  return data as ImportProfile;
}
