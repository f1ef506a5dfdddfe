import fp from 'fastify-plugin';
import type { DeclaredRoute } from '../../types';

/**
 * Every route declares `config.access` (roles or 'public'); a route without it does not start.
 * Registered before any other plugin, so that it sees every route, the OpenAPI pages' too
 * (public), and lists them all with their access: the access test checks each against
 * api/access-table.ts.
 */
export default fp(async (app) => {
  const declared: DeclaredRoute[] = [];
  app.decorate('declaredRoutes', declared);
  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) route.config = { ...(route.config ?? {}), access: 'public' };
    const access = route.config?.access;
    if (!access) throw new Error(`route ${[route.method].flat().join(',')} ${route.url} declares no access (config.access)`);
    for (const method of [route.method].flat()) declared.push({ method, url: route.url, access });
  });
});
