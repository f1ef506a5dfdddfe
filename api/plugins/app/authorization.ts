import fp from 'fastify-plugin';
import { ROLE_LABELS_VI } from '../../../domain/access';
import { RoleNotAllowed, SessionEndedByPasswordChange, Unauthenticated } from '../../errors';

/**
 * Every route declares `config.access` (roles or 'public'; route-access.ts). The check runs
 * before validation and the handler, so handlers never see a caller whose role is wrong. Scope
 * (which province/agency) is checked by the route against the resource with domain/access.ts.
 */
export default fp(async (app) => {
  app.decorateRequest('principal', null);

  app.addHook('onRequest', async (request) => {
    const access = request.routeOptions.config.access;
    if (!access || access === 'public') return;
    try {
      await request.jwtVerify();
    } catch {
      throw Unauthenticated({});
    }
    const session = await app.usersRepository.findSession(request.user.username);
    if (!session) throw Unauthenticated({});
    if ((request.user.credentialsVersion ?? 0) !== session.credentialsVersion) throw SessionEndedByPasswordChange({});
    const { user } = session;
    if (!access.includes(user.role)) {
      throw RoleNotAllowed({ role: user.role, allowed: access.map((r) => ROLE_LABELS_VI[r]).join(', ') });
    }
    request.principal = user;
  });
});
