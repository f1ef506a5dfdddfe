/** What either import (Excel or scans) refuses before reading a byte. */
import { defineError } from '../errors';

export const ImportAgencyUnknown = defineError<{ agencyCode: string }>(
  'IMPORT_AGENCY_UNKNOWN',
  'not_found',
  (p) => `agency ${p.agencyCode} is not known`,
  (p) => `Không có cơ quan đăng ký mã ${p.agencyCode} trong hệ thống.`,
);

const SOURCE_PART_VI = {
  file: 'không kèm tệp nào đã tải lên',
  sha256: 'tệp không có mã SHA-256 hợp lệ (64 chữ số hệ 16) của bản đã lưu',
  name: 'tên tệp trống, quá dài, chứa thư mục hoặc ký tự điều khiển',
} as const;

/** The reference to the stored file an import names is not one the upload or the CLI makes. */
export const ImportSourceInvalid = defineError<{ part: keyof typeof SOURCE_PART_VI }>(
  'IMPORT_SOURCE_INVALID',
  'validation',
  (p) => `the import's source is not a stored file reference (${p.part})`,
  (p) => `Lần nhập không hợp lệ: ${SOURCE_PART_VI[p.part]}. Hãy tải tệp lên lại.`,
);
