import type { Pool, PoolClient, QueryResult } from 'pg';

/**
 * A connection taken out of the pool, until `release`. A server lost meanwhile (a restart, an
 * immediate shutdown) makes the client emit 'error' besides failing its query, and node-postgres'
 * pool listens for that only while a connection is idle: unheard, the event ends the process (a
 * worker with every activity it runs). Heard here, the failed query is what the caller sees, and
 * the broken connection is destroyed instead of going back to the pool.
 */
export async function checkOut(pool: Pool): Promise<{ client: PoolClient; release(broken?: Error): void }> {
  const client = await pool.connect();
  let lost: Error | undefined;
  const onError = (e: Error) => {
    lost = e;
  };
  client.on('error', onError);
  return {
    client,
    release(broken) {
      client.removeListener('error', onError);
      client.release(broken ?? lost);
    },
  };
}

/** Connections whose transaction `commitWith` has committed: `inTransaction` has nothing left to commit on them. */
const committed = new WeakSet<PoolClient>();

/**
 * Runs `sql` and commits after it in one message (the simple query protocol, hence no
 * parameters): whatever `sql` locks is held until the commit without waiting for this process
 * in between. Last in a transaction `inTransaction` runs; returns `sql`'s results.
 */
export async function commitWith(client: PoolClient, sql: string | undefined): Promise<QueryResult[]> {
  const results = (await client.query(sql === undefined ? 'COMMIT' : `${sql}; COMMIT`)) as QueryResult | QueryResult[];
  committed.add(client);
  return Array.isArray(results) ? results.slice(0, -1) : [];
}

/** Runs `fn` in one transaction on one connection: committed if it returns, rolled back if it throws. */
export async function inTransaction<T>(pool: Pool, fn: (client: PoolClient) => Promise<T>): Promise<T> {
  const { client, release } = await checkOut(pool);
  let broken: Error | undefined;
  committed.delete(client);
  try {
    await client.query('BEGIN');
    const result = await fn(client);
    if (!committed.has(client)) await client.query('COMMIT');
    return result;
  } catch (e) {
    // A ROLLBACK that fails means the connection is gone (the server ended the transaction with it): the first error is the news.
    await client.query('ROLLBACK').catch((r: Error) => {
      broken = r;
    });
    throw e;
  } finally {
    committed.delete(client);
    release(broken);
  }
}
