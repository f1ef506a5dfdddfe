/**
 * A fresh, migrated database per test file, cloned from the template that global setup migrated.
 * Real PostgreSQL, no mocks.
 */
import { randomBytes } from 'node:crypto';
import { Client, Pool } from 'pg';
import { TEMPLATE_DB, testEnv } from './env';

export interface TestDatabase {
  name: string;
  url: string;
  pool: Pool;
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
  const url = withDatabase(testEnv('postgresAdminUrl'), name);
  const pool = new Pool({ connectionString: url, max: 5 });
  return {
    name,
    url,
    pool,
    drop: async () => {
      await pool.end();
      await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
    },
  };
}
