/**
 * Development log-ins for the embedded mode: one user per role, passwords generated on first
 * start and kept in dev_credentials so `npm start` can print them every time. Production mode
 * never calls this; there users are created with `hotich users add`.
 */
import { randomBytes } from 'node:crypto';
import type { Pool } from 'pg';
import type { Role } from '../domain/access';
import { createAgenciesRepository } from './repositories/agencies';
import { catalogAgency } from './repositories/agency-catalog';
import { createUsersRepository } from './repositories/users';

export interface DevLogin {
  username: string;
  password: string;
  role: Role;
  scope: string;
}

/** The development official works for a real agency of the catalog: Phường Hồng Hà, Hà Nội (00097). */
const DEV_AGENCY = catalogAgency('00097')!;

const DEV_USERS: Array<{ username: string; role: Role; provinceCode?: string; agencyCode?: string; scope: string }> = [
  { username: 'admin', role: 'admin', scope: 'toàn hệ thống' },
  { username: 'dieuphoi', role: 'coordinator', provinceCode: '01', scope: 'tỉnh 01 (Hà Nội)' },
  { username: 'congchuc', role: 'official', agencyCode: DEV_AGENCY.code, scope: `${DEV_AGENCY.code} ${DEV_AGENCY.name}` },
  { username: 'kiemtoan', role: 'auditor', scope: 'toàn quốc' },
];

export async function ensureDevelopmentUsers(pool: Pool): Promise<DevLogin[]> {
  await createAgenciesRepository(pool).upsert(DEV_AGENCY);
  const users = createUsersRepository(pool);
  const logins: DevLogin[] = [];
  for (const u of DEV_USERS) {
    const known = await pool.query<{ password: string }>('SELECT password FROM dev_credentials WHERE username = $1', [u.username]);
    let password = known.rows[0]?.password;
    if (!password) {
      password = randomBytes(9).toString('base64url');
      await users.create({ username: u.username, password, role: u.role, provinceCode: u.provinceCode ?? null, agencyCode: u.agencyCode ?? null });
      await pool.query('INSERT INTO dev_credentials (username, password) VALUES ($1, $2)', [u.username, password]);
    }
    logins.push({ username: u.username, password, role: u.role, scope: u.scope });
  }
  return logins;
}
