import type { Socket } from 'node:net';
import fp from 'fastify-plugin';
import type { FastifySchemaValidationError } from 'fastify';
import { AppError, isAppError } from '../../../domain/errors';
import { InternalError, RequestMalformed, RequestTooLarge, ResourceNotFound, ValidationFailed } from '../../errors';
import { bodyLimitOf } from './body-limits';
import { validationVi } from '../../validation-vi';

/** What Fastify and its multipart parser refuse before a handler runs, said for users. */
const MALFORMED_VI: Record<string, string> = {
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'kiểu nội dung (Content-Type) không được nhận ở địa chỉ này',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'thân yêu cầu trống trong khi khai báo là JSON',
  FST_ERR_CTP_INVALID_JSON_BODY: 'thân yêu cầu không phải JSON hợp lệ',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'độ dài khai báo (Content-Length) không khớp với dữ liệu',
  FST_INVALID_MULTIPART_CONTENT_TYPE: 'cần gửi dạng multipart/form-data',
  FST_FILES_LIMIT: 'mỗi lần chỉ gửi một tệp',
  FST_FIELDS_LIMIT: 'quá nhiều trường',
  FST_PARTS_LIMIT: 'quá nhiều phần',
  FST_PROTO_VIOLATION: 'tên trường không hợp lệ',
  MULTIPART_MALFORMED: 'dữ liệu multipart/form-data bị hỏng hoặc không đầy đủ (thiếu hoặc sai ranh giới, bị cắt giữa chừng)',
  HPE_HEADER_OVERFLOW: 'địa chỉ hoặc tiêu đề của yêu cầu quá dài',
};

/** The multipart parser's own errors carry no code: they are told by where they were thrown. */
const fromMultipartParser = (error: unknown) => /[\\/]@fastify[\\/]busboy[\\/]/.test((error as Error).stack ?? '');

/**
 * What Node's HTTP parser refuses before Fastify sees a request (a request line or headers past
 * Node's limit: HPE_HEADER_OVERFLOW, 431; bytes that are not HTTP: 400), in our error shape.
 */
export function clientErrorHandler(error: Error & { code?: string }, socket: Socket): void {
  if (!socket.writable) return;
  const tooLong = error.code === 'HPE_HEADER_OVERFLOW';
  const cause = tooLong ? 'HPE_HEADER_OVERFLOW' : (error.code ?? 'HTTP_400');
  const refused = RequestMalformed({ reason: MALFORMED_VI[cause] ?? `mã ${cause}`, cause });
  const body = JSON.stringify({ code: refused.code, message: refused.messageVi });
  socket.end(`HTTP/1.1 ${tooLong ? '431 Request Header Fields Too Large' : '400 Bad Request'}\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
}

/** One error shape for every route: { code, message (Vietnamese), details }. */
export default fp(async (app) => {
  app.setErrorHandler((error, request, reply) => {
    let appError: AppError;
    const status = (error as { statusCode?: number }).statusCode ?? 500;
    const code = (error as { code?: string }).code;
    if (isAppError(error)) {
      appError = error;
    } else if ((error as { validation?: unknown }).validation) {
      const failed = error as Error & { validation: FastifySchemaValidationError[]; validationContext?: string };
      appError = ValidationFailed({ detail: failed.message, detailVi: validationVi(failed.validation, failed.validationContext) });
    } else if (fromMultipartParser(error)) {
      appError = RequestMalformed({ reason: MALFORMED_VI.MULTIPART_MALFORMED!, cause: 'MULTIPART_MALFORMED' });
    } else if (status === 413) {
      const limit = bodyLimitOf(request);
      appError = RequestTooLarge({ what: limit.what, max: limit.bytes(app.config), setting: limit.setting });
    } else if (status === 503) {
      return reply.send(error);
    } else if (status >= 400 && status < 500) {
      // A JSON syntax error carries no code of Fastify's own.
      const cause = code ?? (error instanceof SyntaxError ? 'FST_ERR_CTP_INVALID_JSON_BODY' : 'HTTP_' + status);
      appError = RequestMalformed({ reason: MALFORMED_VI[cause] ?? `mã ${cause}`, cause });
    } else {
      request.log.error({ err: error }, 'unhandled error');
      appError = InternalError({ requestId: String(request.id) });
    }
    if (appError.kind !== 'internal') request.log.info({ code: appError.code }, appError.message);
    const retryAfter = (appError.params as { retryAfterSeconds?: unknown }).retryAfterSeconds;
    if (typeof retryAfter === 'number') reply.header('retry-after', String(retryAfter));
    return reply.status(appError.httpStatus).send({ code: appError.code, message: appError.messageVi, details: appError.params });
  });

  app.setNotFoundHandler((request, reply) => {
    const e = ResourceNotFound({ kind: 'đường dẫn', id: request.url.split('?')[0] ?? '' });
    return reply.status(404).send({ code: e.code, message: e.messageVi });
  });
});
