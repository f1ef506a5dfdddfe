/**
 * A transaction whose server connection is cut (as a PostgreSQL restart or immediate shutdown
 * cuts it) fails with the server's error, and nothing else happens to the process: no 'error'
 * event unheard (which would end a worker with everything it runs), the broken connection not
 * handed out again. Found by the fault tests: both worker processes died when PostgreSQL was
 * shut down under a page of decisions.
 */
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { inTransaction } from './transaction';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(async () => {
  await db?.drop();
});

test('a connection cut in the middle of a transaction fails the transaction, not the process', async () => {
  const uncaught: unknown[] = [];
  const listener = (e: unknown) => uncaught.push(e);
  process.on('uncaughtException', listener);
  try {
    const failed = inTransaction(db.pool, async (c) => {
      const pid = (await c.query<{ pid: number }>('SELECT pg_backend_pid() AS pid')).rows[0]!.pid;
      // Cut from outside while this transaction holds the connection between two statements.
      await db.asOwner((o) => o.query('SELECT pg_terminate_backend($1)', [pid]));
      await new Promise((r) => setTimeout(r, 200));
      await c.query('SELECT 1');
    });
    await expect(failed).rejects.toThrow(/terminat|Connection/i);
    await new Promise((r) => setTimeout(r, 200));
    expect(uncaught).toEqual([]);
    // The pool hands out a working connection afterwards.
    expect((await db.pool.query<{ one: number }>('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
    expect(await inTransaction(db.pool, async (c) => (await c.query<{ two: number }>('SELECT 2 AS two')).rows[0]!.two)).toBe(2);
  } finally {
    process.off('uncaughtException', listener);
  }
});
