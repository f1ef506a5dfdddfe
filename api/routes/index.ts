import fs from 'node:fs';
import path from 'node:path';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';

const page = fs.readFileSync(path.join(__dirname, '../../web/index.html'), 'utf8');

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get('/', { config: { access: 'public' }, schema: { hide: true } }, async (_request, reply) => reply.type('text/html; charset=utf-8').send(page));
};
export default route;
