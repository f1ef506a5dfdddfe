import fp from 'fastify-plugin';
import { AppError, isAppError } from '../../../domain/errors';
import { InternalError, ResourceNotFound, ValidationFailed } from '../../errors';

/** One error shape for every route: { code, message (Vietnamese), details }. */
export default fp(async (app) => {
  app.setErrorHandler((error, request, reply) => {
    let appError: AppError;
    if (isAppError(error)) {
      appError = error;
    } else if ((error as { validation?: unknown }).validation) {
      appError = ValidationFailed({ detail: (error as Error).message });
    } else if ((error as { statusCode?: number }).statusCode === 429 || (error as { statusCode?: number }).statusCode === 503) {
      return reply.send(error);
    } else {
      request.log.error({ err: error }, 'unhandled error');
      appError = InternalError({ requestId: String(request.id) });
    }
    if (appError.kind !== 'internal') request.log.info({ code: appError.code }, appError.message);
    return reply.status(appError.httpStatus).send({ code: appError.code, message: appError.messageVi, details: appError.params });
  });

  app.setNotFoundHandler((request, reply) => {
    const e = ResourceNotFound({ kind: 'đường dẫn', id: request.url.split('?')[0] ?? '' });
    return reply.status(404).send({ code: e.code, message: e.messageVi });
  });
});
