import type { FastifyRequest } from 'fastify';
import { canSee, ROLE_LABELS_VI, type Principal } from '../domain/access';
import type { ReviewActor } from '../domain/review/review-types';
import { ResourceNotFound, RoleNotAllowed } from './errors';

/** The agency, when the caller may see it; another agency's is answered exactly like one that does not exist. */
export async function agencyInScope(request: FastifyRequest, agencyCode: string) {
  const agency = await request.server.agenciesRepository.get(agencyCode);
  if (!agency || !canSee(request.principal!, { provinceCode: agency.provinceCode, agencyCode: agency.code })) {
    throw ResourceNotFound({ kind: 'cơ quan đăng ký', id: agencyCode });
  }
  return agency;
}

/**
 * The caller as the agency run knows them. Routes admit only officials and coordinators here
 * and have checked the scope, so the run's own validators decide the rest (who may decide,
 * release, close) and answer with their own codes.
 */
export function reviewActor(principal: Principal): ReviewActor {
  if (principal.role === 'official') return { username: principal.username, role: 'official', agencyCode: principal.agencyCode ?? undefined };
  if (principal.role === 'coordinator') return { username: principal.username, role: 'coordinator' };
  throw RoleNotAllowed({ role: principal.role, allowed: [ROLE_LABELS_VI.official, ROLE_LABELS_VI.coordinator].join(', ') });
}
