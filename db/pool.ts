import { Pool, type PoolConfig } from 'pg';
import { defineError } from '../domain/errors';

export const DatabaseUnreachable = defineError<{ target: string; reason: string }>(
  'DATABASE_UNREACHABLE',
  'unavailable',
  (p) => `cannot reach PostgreSQL at ${p.target}: ${p.reason}`,
  (p) => `Không kết nối được PostgreSQL tại ${p.target}: ${p.reason}`,
);

export const DatabaseAuthFailed = defineError<{ target: string; user: string }>(
  'DATABASE_AUTH_FAILED',
  'config',
  (p) => `PostgreSQL at ${p.target} rejected the password of user ${p.user}; check DATABASE_URL`,
  (p) => `PostgreSQL tại ${p.target} từ chối mật khẩu của người dùng ${p.user}; kiểm tra DATABASE_URL.`,
);

/** Host:port/database of a URL, without the password, for messages. */
export function describeDatabaseUrl(url: string): { target: string; user: string } {
  try {
    const u = new URL(url);
    return { target: `${u.hostname}:${u.port || 5432}${u.pathname}`, user: decodeURIComponent(u.username) };
  } catch {
    return { target: '(DATABASE_URL không đọc được)', user: '' };
  }
}

export function createPool(url: string, options: PoolConfig = {}, onIdleError?: (e: Error) => void): Pool {
  const pool = new Pool({ connectionString: url, max: 10, application_name: 'hotich-flow', ...options });
  // An idle client losing its server (restart, shutdown) must not crash the process; the
  // next query reconnects or fails with a clear error.
  pool.on('error', (e) => onIdleError?.(e));
  return pool;
}

/** Connects once, turning the driver's errors into one clear line. */
export async function checkDatabase(url: string, timeoutMs = 5000): Promise<void> {
  const pool = createPool(url, { max: 1, connectionTimeoutMillis: timeoutMs });
  try {
    await pool.query('select 1');
  } catch (e) {
    const err = e as NodeJS.ErrnoException & { code?: string };
    const { target, user } = describeDatabaseUrl(url);
    if (err.code === '28P01' || err.code === '28000') throw DatabaseAuthFailed({ target, user }, { cause: e });
    throw DatabaseUnreachable({ target, reason: err.code ?? err.message }, { cause: e });
  } finally {
    await pool.end().catch(() => undefined);
  }
}
