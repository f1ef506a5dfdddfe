import { defineError } from '../domain/errors';
import { sizeVi } from '../domain/text/byte-size';

export const ValidationFailed = defineError<{ detail: string; detailVi: string }>(
  'VALIDATION_FAILED',
  'validation',
  (p) => `request validation failed: ${p.detail}`,
  (p) => `Dữ liệu gửi lên không hợp lệ: ${p.detailVi}.`,
);

export const Unauthenticated = defineError(
  'AUTH_REQUIRED',
  'unauthenticated',
  () => 'authentication required',
  () => 'Bạn cần đăng nhập để dùng chức năng này.',
);

export const SessionEndedByPasswordChange = defineError(
  'AUTH_SESSION_ENDED',
  'unauthenticated',
  () => 'the session began before the account password was last set',
  () => 'Phiên đăng nhập đã kết thúc vì mật khẩu của tài khoản vừa được đổi. Hãy đăng nhập lại bằng mật khẩu mới.',
);

export const LoginFailed = defineError(
  'AUTH_LOGIN_FAILED',
  'unauthenticated',
  () => 'wrong username or password',
  () => 'Tên đăng nhập hoặc mật khẩu không đúng.',
);

export const RoleNotAllowed = defineError<{ role: string; allowed: string }>(
  'AUTH_ROLE_NOT_ALLOWED',
  'forbidden',
  (p) => `role ${p.role} may not do this (allowed: ${p.allowed})`,
  (p) => `Vai trò của bạn không được phép thực hiện chức năng này (chỉ dành cho: ${p.allowed}).`,
);

/** Out of scope is reported exactly like absent (see domain/access.ts). */
export const ResourceNotFound = defineError<{ kind: string; id: string }>(
  'RESOURCE_NOT_FOUND',
  'not_found',
  (p) => `${p.kind} ${p.id} not found`,
  (p) => `Không tìm thấy ${p.kind} ${p.id}.`,
);

export const InternalError = defineError<{ requestId: string }>(
  'INTERNAL',
  'internal',
  (p) => `internal error (request ${p.requestId})`,
  (p) => `Lỗi hệ thống, vui lòng thử lại hoặc báo quản trị viên (mã yêu cầu ${p.requestId}).`,
);

export const RequestTooLarge = defineError<{ what: string; max: number; setting?: string }>(
  'REQUEST_TOO_LARGE',
  'too_large',
  (p) => `${p.what} exceeds the limit of ${p.max} bytes${p.setting ? ` (${p.setting})` : ''}`,
  (p) =>
    `${p.what} vượt quá giới hạn ${sizeVi(p.max)} nên không được nhận; hãy chia thành nhiều tệp nhỏ hơn${p.setting ? `, hoặc đề nghị quản trị viên nâng giới hạn (${p.setting})` : ''}.`,
);

/** The API's event loop is saturated: it answers this before running anything, so the request may be sent again as it is. */
export const ServerBusy = defineError<{ retryAfterSeconds: number }>(
  'SERVER_BUSY',
  'unavailable',
  (p) => `server busy (event loop delay over its limit); retry after ${p.retryAfterSeconds} s`,
  (p) => `Máy chủ đang bận xử lý nhiều việc cùng lúc nên chưa nhận yêu cầu này; vui lòng thử lại sau ${p.retryAfterSeconds} giây.`,
);

/** A request the server could not read as what its route takes (bad JSON, wrong content type, a broken multipart body). */
export const RequestMalformed = defineError<{ reason: string; cause: string }>(
  'REQUEST_MALFORMED',
  'validation',
  (p) => `malformed request (${p.cause})`,
  (p) => `Yêu cầu gửi lên không đúng định dạng: ${p.reason}; hãy kiểm tra tệp hoặc dữ liệu gửi lên rồi thử lại.`,
);
