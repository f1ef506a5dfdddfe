import fp from 'fastify-plugin';
import { ROLE_LABELS_VI } from '../../../domain/access';
import { RoleNotAllowed, Unauthenticated } from '../../errors';

/**
 * Every route declares `config.access` (roles or 'public'); a route without it does not
 * start. The check runs before validation and the handler, so handlers never see a caller
 * whose role is wrong. Scope (which province/agency) is checked by the route against the
 * resource with domain/access.ts.
 */
export default fp(async (app) => {
  app.decorateRequest('principal', null);

  app.addHook('onRoute', (route) => {
    if (route.url.startsWith('/docs')) {
      route.config = { ...(route.config ?? {}), access: 'public' };
      return;
    }
    if (!route.config?.access) throw new Error(`route ${route.method} ${route.url} declares no access (config.access)`);
  });

  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (!access || access === 'public') return;
    try {
      await request.jwtVerify();
    } catch {
      throw Unauthenticated({});
    }
    const user = await app.usersRepository.find(request.user.username);
    if (!user) throw Unauthenticated({});
    if (!access.includes(user.role)) {
      throw RoleNotAllowed({ role: user.role, allowed: access.map((r) => ROLE_LABELS_VI[r]).join(', ') });
    }
    request.principal = user;
  });
});
