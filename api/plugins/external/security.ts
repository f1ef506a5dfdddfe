import fp from 'fastify-plugin';
import helmet from '@fastify/helmet';
import underPressure from '@fastify/under-pressure';

/** Security headers, and 503 instead of collapse when the event loop is saturated. */
export default fp(async (app) => {
  await app.register(helmet, { contentSecurityPolicy: false, global: true });
  await app.register(underPressure, { maxEventLoopDelay: 2000, exposeStatusRoute: false });
});
