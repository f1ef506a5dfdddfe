/** The profiles shipped with the system; coordinators add others as files. */
import c06Default from './c06-default.json';
import splitOutput from './split-output.json';
import { loadProfile, type ImportProfile } from './profile-schema';
import { fieldsOf, type RegisterTypeCode } from '../registers/register-types';

export const SHIPPED_PROFILES: Readonly<Record<string, ImportProfile>> = {
  'c06-default': loadProfile(c06Default),
  'split-output': loadProfile(splitOutput),
};

/**
 * The header row the split writes for a register type: every field label in dictionary order
 * (the `split-output` profile reads exactly these), then the original unknown columns.
 */
export function splitOutputHeaders(type: RegisterTypeCode, extraHeaders: readonly string[] = []): string[] {
  return [...fieldsOf(type).map((f) => f.labelVi), ...extraHeaders];
}
