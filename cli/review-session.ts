/**
 * What `hotich review`, `hotich transfer` and `hotich agency` share: the Step 4 service bound to
 * this server's Temporal and database, and the acting user checked against the agency the way
 * the API checks its callers (outside their scope, a user learns nothing of the agency).
 */
import type { Pool } from 'pg';
import { createLocalContentStore, type ContentStore } from '../activities/files/content-store';
import type { UserRow } from '../api/repositories/users';
import { RoleNotAllowed } from '../api/errors';
import { canSee, ROLE_LABELS_VI } from '../domain/access';
import type { ReviewActor, ReviewSettings } from '../domain/review/review-types';
import { createAgencyImports } from '../services/agency-imports';
import { createAgencyReview, type AgencyReview } from '../services/agency-review';
import { CliNotAgencyUser } from './commands/import';
import { withSession } from './session';

export interface ReviewSession {
  review: AgencyReview;
  store: ContentStore;
  pool: Pool;
  settings: ReviewSettings;
  /** The acting user, when they may see the agency's records (officials of it, coordinators and auditors of its province). */
  reader(agencyCode: string): Promise<UserRow>;
  /** The acting user as the agency run knows them; the run's own rules decide what each role may do. */
  actor(agencyCode: string): Promise<ReviewActor>;
}

export async function withReview<T>(as: string | undefined, fn: (s: ReviewSession) => Promise<T>): Promise<T> {
  return withSession(as, async ({ config, temporal, pool, paths, user }) => {
    const store = createLocalContentStore(paths.store);
    const review = createAgencyReview({ temporal, pool, imports: createAgencyImports({ temporal, pool, store }) });
    const reader = async (agencyCode: string) => {
      const u = await user();
      const agency = await pool.query<{ province_code: string }>('SELECT province_code FROM agencies WHERE code = $1', [agencyCode]);
      const provinceCode = agency.rows[0]?.province_code ?? '';
      if (!u || !canSee(u, { provinceCode, agencyCode })) throw CliNotAgencyUser({ username: u?.username ?? as ?? process.env.HOTICH_USER ?? '', agency: agencyCode });
      return u;
    };
    return fn({
      review,
      store,
      pool,
      settings: config.review,
      reader,
      async actor(agencyCode) {
        const u = await reader(agencyCode);
        if (u.role === 'official') return { username: u.username, role: 'official', agencyCode: u.agencyCode ?? undefined };
        if (u.role === 'coordinator') return { username: u.username, role: 'coordinator' };
        throw RoleNotAllowed({ role: u.role, allowed: [ROLE_LABELS_VI.official, ROLE_LABELS_VI.coordinator].join(', ') });
      },
    });
  });
}
