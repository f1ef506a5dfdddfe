/** What either import (Excel or scans) refuses before reading a byte. */
import { defineError } from '../errors';

export const ImportAgencyUnknown = defineError<{ agencyCode: string }>(
  'IMPORT_AGENCY_UNKNOWN',
  'not_found',
  (p) => `agency ${p.agencyCode} is not known`,
  (p) => `Không có cơ quan đăng ký mã ${p.agencyCode} trong hệ thống.`,
);
