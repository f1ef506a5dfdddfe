/**
 * The application's role (what the API and the workers connect as) may add to the audit log
 * and nothing more: UPDATE, DELETE and TRUNCATE of the log fail for lack of privilege, and so
 * do the owner's own ways around the log's triggers. The owner is stopped by the triggers.
 */
import { createTestDatabase, type TestDatabase } from '../test/support/database';
import { APP_ROLE } from './app-role';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(
    `INSERT INTO audit_log (province_code, actor, actor_role, action, subject_kind, subject_id) VALUES ('01', 'dieuphoi01', 'coordinator', 'split.released', 'workflow', 'province/01/r1')`,
  );
});
afterAll(() => db.drop());

const sqlStateOf = async (sql: string) => {
  try {
    await db.pool.query(sql);
    return 'succeeded';
  } catch (e) {
    return (e as { code?: string }).code;
  }
};

test('the tests connect as the application\'s role, as the system does', async () => {
  expect((await db.pool.query('SELECT current_user AS u')).rows[0].u).toBe(APP_ROLE);
});

test('the application\'s role may add to the audit log, never change, delete or empty it', async () => {
  // 42501: insufficient privilege.
  expect(await sqlStateOf(`UPDATE audit_log SET actor = 'ai khác'`)).toBe('42501');
  expect(await sqlStateOf(`DELETE FROM audit_log`)).toBe('42501');
  expect(await sqlStateOf(`TRUNCATE audit_log`)).toBe('42501');
  expect(await sqlStateOf(`ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update`)).toBe('42501');
  expect(await sqlStateOf(`DROP TABLE audit_log`)).toBe('42501');
  expect(await sqlStateOf(`CREATE TABLE audit_copy (x int)`)).toBe('42501');
  expect((await db.pool.query('SELECT count(*)::int AS n FROM audit_log')).rows[0].n).toBe(1);
});

test('the owner is stopped by the log\'s own triggers', async () => {
  await db.asOwner(async (c) => {
    for (const sql of [`UPDATE audit_log SET actor = 'ai khác'`, `DELETE FROM audit_log`, `TRUNCATE audit_log`]) await expect(c.query(sql)).rejects.toThrow('append-only');
  });
});
