/**
 * What a server-side command needs to act for a named user: the Temporal client, the database,
 * the data folders, and the user it acts as (--as, or HOTICH_USER), looked up once.
 */
import { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import { createUsersRepository, type UserRow } from '../api/repositories/users';
import { dataPaths, type DataPaths } from '../activities/files/data-paths';
import { createPool } from '../db/pool';
import { defineError } from '../domain/errors';
import { loadConfig, type Config } from '../platform/config';
import { resolveDatabaseUrl } from '../platform/database-url';
import { connectTemporal } from '../platform/temporal-connection';

export const CliUserMissing = defineError(
  'CLI_USER_MISSING',
  'validation',
  () => 'name the user you act as: --as <username> or HOTICH_USER',
  () => 'Cần cho biết bạn thao tác với tư cách người dùng nào: --as <tên đăng nhập> hoặc biến HOTICH_USER.',
);

export const asOption = ['--as <username>', 'người dùng thực hiện (mặc định: biến HOTICH_USER)'] as const;

export interface CliSession {
  config: Config;
  temporal: Client;
  pool: Pool;
  paths: DataPaths;
  /** The acting user, active; undefined when none is named. */
  user(): Promise<UserRow | undefined>;
}

export async function withSession<T>(as: string | undefined, fn: (s: CliSession) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const connection = await connectTemporal(config.temporal.address ?? `127.0.0.1:${config.temporal.port}`);
  const pool = createPool(resolveDatabaseUrl(config), { max: 2 });
  try {
    const users = createUsersRepository(pool);
    return await fn({
      config,
      temporal: new Client({ connection, namespace: config.temporal.namespace }),
      pool,
      paths: dataPaths(config),
      async user() {
        const username = as ?? process.env.HOTICH_USER;
        if (!username) throw CliUserMissing({});
        return (await users.find(username)) ?? undefined;
      },
    });
  } finally {
    await pool.end();
    await connection.close();
  }
}
