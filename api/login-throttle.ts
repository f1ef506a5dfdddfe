/**
 * Log-ins are refused for a while after too many failures, counted per user name (a guesser of
 * one person's password) and per client address (a guesser of many). The failures are rows in
 * PostgreSQL, so every API process (docker-compose runs several behind one address) counts the
 * same ones; a limit kept in each process's memory would let N processes take N times as many
 * guesses, and forget them on every restart.
 *
 * An attempt holds its place before the password is checked: it is counted as a failure under
 * a lock of its keys, and taken back when the password matches. Many attempts at once therefore
 * get no more guesses than one after another. Only SHA-256 digests of the keys are stored.
 */
import { createHash } from 'node:crypto';
import net from 'node:net';
import type { Pool } from 'pg';
import { defineError } from '../domain/errors';
import { inTransaction } from '../db/transaction';
import type { Config } from '../platform/config';

export const TooManyLoginAttempts = defineError<{ retryAfterSeconds: number; retryAt: string }>(
  'AUTH_TOO_MANY_ATTEMPTS',
  'rate_limited',
  (p) => `too many failed log-ins; refused for ${p.retryAfterSeconds} s`,
  (p) =>
    `Đăng nhập sai quá nhiều lần nên tạm thời bị khoá. Hãy thử lại sau ${Math.ceil(p.retryAfterSeconds / 60)} phút (lúc ${timeVi(p.retryAt)}); nếu quên mật khẩu, hãy liên hệ quản trị viên.`,
);

/** Hours and minutes in Vietnam's time, whatever the server's zone. */
function timeVi(iso: string): string {
  return new Intl.DateTimeFormat('vi-VN', { timeZone: 'Asia/Ho_Chi_Minh', hour: '2-digit', minute: '2-digit', hour12: false }).format(new Date(iso));
}

/**
 * The address a limit counts: IPv4 as it is (also when mapped into IPv6), IPv6 by its /64, which
 * one subscriber holds whole: counting single IPv6 addresses would give a guesser 2^64 of them.
 */
export function addressKey(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped) return mapped[1]!;
  if (!net.isIPv6(ip)) return ip;
  const [head, tail] = ip.split('::') as [string, string | undefined];
  const left = head ? head.split(':') : [];
  const right = tail ? tail.split(':') : [];
  const groups = tail === undefined ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return `${groups.slice(0, 4).map((g) => Number.parseInt(g, 16).toString(16)).join(':')}::/64`;
}

const digest = (kind: 'user' | 'address', value: string) => createHash('sha256').update(`${kind}\0${value}`).digest();

export function createLoginThrottle(pool: Pool, limits: Config['auth']) {
  const windowSeconds = limits.failureWindowMs / 1000;
  return {
    /**
     * Runs `verify` for a log-in by `username` from `ip`, unless either has failed too often
     * within the window (then AUTH_TOO_MANY_ATTEMPTS, saying when to try again, and `verify`
     * never runs). A success clears the user name's failures.
     */
    async attempt<T>(username: string, ip: string, verify: () => Promise<T | null>): Promise<T | null> {
      const user = digest('user', username.normalize('NFC').toLowerCase());
      const address = digest('address', addressKey(ip));
      const keys = [
        { key: user, max: limits.maxFailuresPerUser },
        { key: address, max: limits.maxFailuresPerAddress },
      ].sort((a, b) => Buffer.compare(a.key, b.key));
      const held = await inTransaction(pool, async (client) => {
        // In one order, so two attempts sharing a key never wait on each other crosswise.
        for (const { key } of keys) await client.query('SELECT pg_advisory_xact_lock(hashtextextended(encode($1::bytea, $2), 0))', [key, 'hex']);
        await client.query(`DELETE FROM login_failures WHERE at < now() - make_interval(secs => $1)`, [windowSeconds]);
        const counts = await client.query<{ key: Buffer; n: string; oldest: Date }>(
          `SELECT key, count(*) AS n, min(at) AS oldest FROM login_failures WHERE key = ANY($1::bytea[]) GROUP BY key`,
          [keys.map((k) => k.key)],
        );
        const full = counts.rows.filter((r) => Number(r.n) >= keys.find((k) => k.key.equals(r.key))!.max);
        if (full.length) {
          // The earliest a place frees: when the oldest failure of the fullest key leaves the window.
          const freed = Math.max(...full.map((r) => r.oldest.getTime())) + limits.failureWindowMs;
          const { rows } = await client.query<{ now: Date }>('SELECT now()');
          const retryAfterSeconds = Math.max(1, Math.ceil((freed - rows[0]!.now.getTime()) / 1000));
          return { refused: TooManyLoginAttempts({ retryAfterSeconds, retryAt: new Date(freed).toISOString() }) };
        }
        const inserted = await client.query<{ id: string }>(`INSERT INTO login_failures (key) SELECT unnest($1::bytea[]) RETURNING id`, [keys.map((k) => k.key)]);
        return { places: inserted.rows.map((r) => r.id) };
      });
      if ('refused' in held) throw held.refused;
      const result = await verify();
      if (result !== null) {
        await pool.query(`DELETE FROM login_failures WHERE key = $1 OR id = ANY($2::bigint[])`, [user, held.places]);
      }
      return result;
    },
  };
}
export type LoginThrottle = ReturnType<typeof createLoginThrottle>;
