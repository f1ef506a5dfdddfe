import fp from 'fastify-plugin';
import type { FastifyRequest } from 'fastify';
import { RequestTooLarge } from '../../errors';
import { JSON_BODY_MAX_BYTES, JSON_LIMITS, MULTIPART_LIMITS, routeKey, type UploadLimit } from '../../upload-limits';

/** What a multipart body holds beside its file: at most 10 fields of 4 kB, and the part headers. */
const FIELDS_ALLOWANCE = 1024 ** 2;

/** The limit of the route a request reached and what its body is called: for messages of refused bodies. */
export function bodyLimitOf(request: FastifyRequest): UploadLimit {
  const key = routeKey(request.method, request.routeOptions.url ?? '');
  return MULTIPART_LIMITS[key] ?? JSON_LIMITS[key] ?? { what: 'Dữ liệu gửi lên', bytes: () => JSON_BODY_MAX_BYTES };
}

/**
 * Each route's body limit (api/upload-limits.ts) holds whatever its handler does. A multipart
 * route without a row does not start. A multipart body declared larger than its limit is refused
 * before it is read, and a file that grows past the limit while it streams fails its reader with
 * the same coded error (REQUEST_TOO_LARGE), so nothing half-received is kept. JSON bodies are
 * bounded by Fastify's bodyLimit, set per route from the same table.
 */
export default fp(async (app) => {
  app.addHook('onRoute', (route) => {
    const consumes = (route.schema as { consumes?: string[] } | undefined)?.consumes ?? [];
    for (const method of [route.method].flat()) {
      const key = routeKey(method, route.url);
      if (consumes.includes('multipart/form-data') && !MULTIPART_LIMITS[key]) throw new Error(`multipart route ${key} has no upload limit in api/upload-limits.ts`);
      const json = JSON_LIMITS[key];
      if (json) route.bodyLimit = json.bytes(app.config);
    }
  });

  // After authentication (onRequest), before anything of the body is read.
  app.addHook('preParsing', async (request) => {
    const limit = MULTIPART_LIMITS[routeKey(request.method, request.routeOptions.url ?? '')];
    if (!limit) return;
    const max = limit.bytes(app.config);
    const refusal = () => RequestTooLarge({ what: limit.what, max, setting: limit.setting });
    if (Number(request.headers['content-length'] ?? 0) > max + FIELDS_ALLOWANCE) throw refusal();
    const file = request.file.bind(request);
    request.file = async (options) => {
      const part = await file({ ...options, limits: { ...options?.limits, fileSize: Math.min(max, options?.limits?.fileSize ?? max) } });
      // The parser may have reached the limit before the handler got the part.
      if (part?.file.truncated) part.file.destroy(refusal());
      else part?.file.once('limit', () => part.file.destroy(refusal()));
      return part;
    };
  });
});
