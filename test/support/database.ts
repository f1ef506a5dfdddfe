/**
 * A fresh, migrated database per test file, cloned from the template that global setup migrated.
 * Real PostgreSQL, no mocks. `url` and `pool` are the application's role, as the API and the
 * workers connect; `ownerUrl` is the tables' owner, for a test that plays someone who may do
 * more (lock a table, tamper with the audit log).
 */
import { randomBytes } from 'node:crypto';
import { Client, type Pool } from 'pg';
import { appRoleUrl } from '../../db/app-role';
import { createPool } from '../../db/pool';
import { TEMPLATE_DB, TEST_APP_PASSWORD, testEnv } from './env';

export interface TestDatabase {
  name: string;
  url: string;
  ownerUrl: string;
  pool: Pool;
  /** Runs `fn` on a connection as the tables' owner. */
  asOwner<T>(fn: (c: Client) => Promise<T>): Promise<T>;
  drop(): Promise<void>;
}

function withDatabase(adminUrl: string, database: string): string {
  const u = new URL(adminUrl);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(fn: (c: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: testEnv('postgresAdminUrl') });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  // CREATE DATABASE … TEMPLATE needs the template to have no other sessions: serialise clones.
  await admin(async (c) => {
    await c.query(`SELECT pg_advisory_lock(42)`);
    try {
      await c.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`);
    } finally {
      await c.query(`SELECT pg_advisory_unlock(42)`);
    }
  });
  const ownerUrl = withDatabase(testEnv('postgresAdminUrl'), name);
  const url = appRoleUrl(ownerUrl, TEST_APP_PASSWORD);
  // As the application's pools: pool.end() resolves before its idle connections have closed, and
  // DROP … WITH (FORCE) right after terminates them; without a listener that is an unhandled error.
  const pool = createPool(url, { max: 5 });
  return {
    name,
    url,
    ownerUrl,
    pool,
    async asOwner(fn) {
      const c = new Client({ connectionString: ownerUrl });
      await c.connect();
      try {
        return await fn(c);
      } finally {
        await c.end();
      }
    },
    drop: async () => {
      await pool.end();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
