import { defineError } from '../errors';
import { unitCatalog } from './catalog';

export const ProvinceUnknown = defineError<{ code: string }>(
  'PROVINCE_UNKNOWN',
  'validation',
  (p) => `no province with code ${p.code}`,
  (p) => `Không có tỉnh, thành phố mã "${p.code}".`,
);

/** A province code as typed ("1", "01") → the two-digit code of a province before or after 1 July 2025. */
export function requireProvinceCode(input: string): string {
  const code = input.trim().padStart(2, '0');
  if (!/^[0-9]{2}$/.test(code) || (!unitCatalog().province('legacy', code) && !unitCatalog().province('2025', code))) throw ProvinceUnknown({ code: input });
  return code;
}
