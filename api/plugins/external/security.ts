import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import underPressure from '@fastify/under-pressure';
import { ServerBusy } from '../../errors';

/**
 * Nothing the API answers is a document to run: a response a browser is led to open (a JSON
 * body, a stored file) may load, run or frame nothing. The web page (api/routes/index.ts) and the
 * OpenAPI page (swagger.ts) answer with policies of their own.
 */
export const API_CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'none'"],
  baseUri: ["'none'"],
  formAction: ["'none'"],
  frameAncestors: ["'none'"],
  sandbox: [],
};

export const BUSY_RETRY_AFTER_SECONDS = 10;
export const MAX_EVENT_LOOP_DELAY_MS = 2000;

/**
 * Security headers (helmet's defaults: nosniff, no framing, no referrer, HSTS, cross-origin
 * isolation of resources…) with the policy above; the records an answer carries are never kept
 * in a browser's or proxy's cache (a shared office computer); and 503 instead of collapse when
 * the event loop is saturated, coded and in Vietnamese like every refusal, with when to try again
 * (the health check still answers: it reports the servers behind the API).
 */
export default fp(async (app) => {
  await app.register(helmet, { global: true, contentSecurityPolicy: { useDefaults: false, directives: API_CONTENT_SECURITY_POLICY }, frameguard: { action: 'deny' } });
  app.addHook('onSend', async (request, reply) => {
    if (request.url.startsWith('/api/') && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
  });
  await app.register(underPressure, {
    maxEventLoopDelay: MAX_EVENT_LOOP_DELAY_MS,
    exposeStatusRoute: false,
    pressureHandler: async (_request, reply) => {
      reply.header('retry-after', String(BUSY_RETRY_AFTER_SECONDS));
      throw ServerBusy({ retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS });
    },
  });
});
