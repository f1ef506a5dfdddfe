import fp from 'fastify-plugin';
import multipart from '@fastify/multipart';

/** Uploads stream to disk: one file per request, its fields sent before it, no whole-file buffering; each route's limit: body-limits.ts. */
export default fp(async (app) => {
  await app.register(multipart, { limits: { files: 1, fields: 10, fieldSize: 4096 } });
});
