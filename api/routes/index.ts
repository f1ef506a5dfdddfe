/**
 * The web page (web/, built into dist/web by scripts/build-web.js): its files, and its
 * index.html for every other address that is not the API's, so that the page's own addresses
 * (/review/…, /imports) load it. Without a build the API still starts and answers every route;
 * the page's addresses then say how to build it.
 */
import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

/** Addresses that belong to the API: an unknown one is the API's 404, never the page. */
const API_PATH = /^\/(api|docs|health)(\/|$|\?)/;

/**
 * The page loads nothing from elsewhere: its scripts, styles, fonts, pdf.js worker and decoders
 * are ours. pdf.js compiles its image decoders from WebAssembly; pages are drawn from blobs.
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "font-src 'self' data:",
  "worker-src 'self'",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const NOT_BUILT = `<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>hotich-flow</title></head>
<body><h1>Trang web chưa được dựng</h1>
<p>API vẫn hoạt động (<a href="/docs">tài liệu API</a>, <a href="/health">tình trạng</a>). Để có trang web, chạy <code>npm run build:web</code> (lệnh <code>npm ci</code> cũng tự dựng) rồi khởi động lại.</p>
</body></html>`;

const route: FastifyPluginAsyncTypebox = async (app) => {
  const dir = app.webDir;
  const built = fs.existsSync(path.join(dir, 'index.html'));
  if (built) await app.register(fastifyStatic, { root: dir, serve: false });
  const options = { config: { access: 'public' as const }, schema: { hide: true } };

  const page = async (request: FastifyRequest, reply: FastifyReply) => {
    if (API_PATH.test(request.url)) return reply.callNotFound();
    if (!built) return reply.status(503).type('text/html; charset=utf-8').send(NOT_BUILT);
    reply.header('cache-control', 'no-cache');
    reply.header('content-security-policy', CONTENT_SECURITY_POLICY);
    return reply.sendFile('index.html', dir, { cacheControl: false });
  };
  /** Files of the build under `folder`; `maxAge` in ms (assets carry their hash in their name). */
  const files = (folder: string, maxAge: number, immutable: boolean) => async (request: FastifyRequest<{ Params: { '*': string } }>, reply: FastifyReply) => {
    const file = request.params['*'];
    // A path that climbs (however it was encoded) names nothing of the build.
    if (!built || file.split(/[\\/]/).some((part) => part === '..' || part === '')) return reply.callNotFound();
    return reply.sendFile(file, path.join(dir, folder), { maxAge, immutable });
  };

  app.get('/', options, page);
  app.get('/assets/*', options, files('assets', 365 * 24 * 3600_000, true));
  app.get('/pdfjs/*', options, files('pdfjs', 24 * 3600_000, false));
  app.get('/*', options, page);
};
export default route;
