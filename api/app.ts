/**
 * The Fastify application: thin — authenticate, check role and scope, validate, then read
 * PostgreSQL or talk to Temporal. Routes are loaded from api/routes (folder tree = URL tree).
 */
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyBaseLogger } from 'fastify';
import autoload from '@fastify/autoload';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Config } from '../platform/config';
import type { Logger } from '../platform/logger';
import './types';
import security from './plugins/external/security';
import jwt from './plugins/external/jwt';
import swagger from './plugins/external/swagger';
import multipart from './plugins/external/multipart';
import routeAccess from './plugins/app/route-access';
import errorHandler from './plugins/app/error-handler';
import repositories from './plugins/app/repositories';
import authorization from './plugins/app/authorization';
import services from './plugins/app/services';
import bodyLimits from './plugins/app/body-limits';
import requestParsing from './plugins/app/request-parsing';
import { clientErrorHandler } from './plugins/app/error-handler';
import { JSON_BODY_MAX_BYTES } from './upload-limits';

export interface AppDependencies {
  config: Config;
  pool: Pool;
  temporal: Client;
  logger: Logger;
  /** The built web page (scripts/build-web.js); the API runs without it. */
  webDir?: string;
}

export const WEB_BUILD_DIR = path.join(__dirname, '..', 'dist', 'web');

/** API_TRUST_PROXY as Fastify takes it: a count of hops is the proxies nearest the API. */
function trustedProxies(setting: Config['api']['trustProxy']): string[] | ((address: string, hop: number) => boolean) | false {
  if (setting === undefined) return false;
  return typeof setting === 'number' ? (_address, hop) => hop < setting : setting;
}

export async function buildApp(deps: AppDependencies) {
  const app = Fastify({
    // pino's Logger and Fastify's logger type differ only in optional members.
    loggerInstance: deps.logger as unknown as FastifyBaseLogger,
    requestIdHeader: 'x-request-id',
    genReqId: () => randomUUID(),
    bodyLimit: JSON_BODY_MAX_BYTES,
    clientErrorHandler,
    trustProxy: trustedProxies(deps.config.api.trustProxy),
    ajv: { customOptions: { coerceTypes: 'array', removeAdditional: false, allErrors: false } },
  }).withTypeProvider<TypeBoxTypeProvider>();

  app.decorate('config', deps.config);
  app.decorate('pool', deps.pool);
  app.decorate('temporal', deps.temporal);
  app.decorate('webDir', deps.webDir ?? WEB_BUILD_DIR);
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });

  await app.register(routeAccess);
  await app.register(errorHandler);
  await app.register(requestParsing);
  await app.register(security);
  await app.register(jwt);
  await app.register(swagger);
  await app.register(multipart);
  await app.register(bodyLimits);
  await app.register(repositories);
  await app.register(services);
  await app.register(authorization);
  await app.register(autoload, { dir: path.join(__dirname, 'routes'), routeParams: true, ignorePattern: /\.(test|int\.test)\.(ts|js)$/ });
  return app;
}
