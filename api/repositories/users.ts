import { hash as argon2Hash, verify as argon2Verify } from '@node-rs/argon2';
import type { Pool, PoolClient } from 'pg';
import type { Principal, Role } from '../../domain/access';
import { defineError } from '../../domain/errors';
import { createAgenciesRepository } from './agencies';
import { catalogAgency } from './agency-catalog';

export const UsernameTaken = defineError<{ username: string }>(
  'USER_EXISTS',
  'conflict',
  (p) => `user ${p.username} already exists`,
  (p) => `Tên đăng nhập ${p.username} đã tồn tại.`,
);

export const UserScopeInvalid = defineError<{ role: string }>(
  'USER_SCOPE_INVALID',
  'validation',
  (p) => `invalid scope for role ${p.role}: coordinators need a province, officials an agency, admins neither`,
  (p) => `Phạm vi không hợp lệ cho vai trò ${p.role}: điều phối viên cần mã tỉnh, công chức cần mã cơ quan đăng ký, quản trị viên không có phạm vi.`,
);

export const AgencyUnknown = defineError<{ agencyCode: string }>(
  'AGENCY_UNKNOWN',
  'validation',
  (p) => `agency ${p.agencyCode} is not registered`,
  (p) => `Không có cơ quan đăng ký hộ tịch mã ${p.agencyCode} (mã xã/phường từ 01/7/2025 gồm 5 chữ số, hoặc mã huyện cũ gồm 3 chữ số).`,
);

export interface NewUser {
  username: string;
  password: string;
  role: Role;
  provinceCode?: string | null;
  agencyCode?: string | null;
  displayName?: string;
}

export interface UserRow extends Principal {
  displayName: string;
}

/** An account as an administrator lists it: a disabled one too. */
export interface AccountRow extends UserRow {
  disabled: boolean;
}

interface DbUser {
  username: string;
  role: Role;
  province_code: string | null;
  agency_code: string | null;
  display_name: string;
  password_hash: string;
  disabled: boolean;
  credentials_version: number;
}

const toUser = (r: DbUser): UserRow => ({
  username: r.username,
  role: r.role,
  provinceCode: r.province_code,
  agencyCode: r.agency_code,
  displayName: r.display_name,
});

/** A pool, or one connection holding a transaction (an account change is saved with its audit entry). */
export function createUsersRepository(pool: Pool | PoolClient) {
  /** An active account and how many times its password was set: a session begun at another count has ended. */
  async function findSession(username: string): Promise<{ user: UserRow; credentialsVersion: number } | null> {
    const r = await pool.query<DbUser>('SELECT * FROM users WHERE username = $1 AND NOT disabled', [username]);
    return r.rows[0] ? { user: toUser(r.rows[0]), credentialsVersion: r.rows[0].credentials_version } : null;
  }

  return {
    async create(u: NewUser): Promise<UserRow> {
      let provinceCode = u.provinceCode ?? null;
      if (u.role === 'official') {
        if (!u.agencyCode) throw UserScopeInvalid({ role: u.role });
        const agencies = createAgenciesRepository(pool);
        let agency = await agencies.get(u.agencyCode);
        if (!agency) {
          // Agencies come from the unit catalog; the first user of one registers it.
          agency = catalogAgency(u.agencyCode) ?? null;
          if (!agency) throw AgencyUnknown({ agencyCode: u.agencyCode });
          await agencies.upsert(agency);
        }
        provinceCode = agency.provinceCode;
      }
      const hash = await argon2Hash(u.password);
      try {
        const r = await pool.query<DbUser>(
          `INSERT INTO users (username, password_hash, role, province_code, agency_code, display_name)
           VALUES ($1, $2, $3, $4, $5, $6) RETURNING *`,
          [u.username, hash, u.role, provinceCode, u.role === 'official' ? u.agencyCode : null, u.displayName ?? ''],
        );
        return toUser(r.rows[0]!);
      } catch (e) {
        const code = (e as { code?: string; constraint?: string }).code;
        if (code === '23505') throw UsernameTaken({ username: u.username }, { cause: e });
        if (code === '23514') throw UserScopeInvalid({ role: u.role }, { cause: e });
        throw e;
      }
    },

    /** The user when the password matches; argon2 verification is constant-time. */
    async authenticate(username: string, password: string): Promise<UserRow | null> {
      const r = await pool.query<DbUser>('SELECT * FROM users WHERE username = $1 AND NOT disabled', [username]);
      const row = r.rows[0];
      if (!row) return null;
      return (await argon2Verify(row.password_hash, password)) ? toUser(row) : null;
    },

    async find(username: string): Promise<UserRow | null> {
      return (await findSession(username))?.user ?? null;
    },

    findSession,

    async list(): Promise<AccountRow[]> {
      const r = await pool.query<DbUser>('SELECT * FROM users ORDER BY username');
      return r.rows.map((row) => ({ ...toUser(row), disabled: row.disabled }));
    },

    /** The account whatever its state, its row locked for a change in the caller's transaction. */
    async lockAccount(username: string): Promise<AccountRow | null> {
      const r = await pool.query<DbUser>('SELECT * FROM users WHERE username = $1 FOR UPDATE', [username]);
      return r.rows[0] ? { ...toUser(r.rows[0]), disabled: r.rows[0].disabled } : null;
    },

    async setDisabled(username: string, disabled: boolean): Promise<void> {
      await pool.query('UPDATE users SET disabled = $2 WHERE username = $1', [username, disabled]);
    },

    async setPassword(username: string, password: string): Promise<void> {
      await pool.query('UPDATE users SET password_hash = $2, credentials_version = credentials_version + 1 WHERE username = $1', [username, await argon2Hash(password)]);
    },
  };
}
export type UsersRepository = ReturnType<typeof createUsersRepository>;
