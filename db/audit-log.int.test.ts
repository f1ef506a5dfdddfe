import { createHash } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '../test/support/database';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
});
afterAll(() => db.drop());

test('the audit log is a hash chain that cannot be edited', async () => {
  for (const action of ['handover.confirm', 'split.release', 'record.approve']) {
    await db.pool.query(`INSERT INTO audit_log (actor, action, subject, details) VALUES ('dieuphoi', $1, 'province/01/r1', '{"n": 1}')`, [action]);
  }
  const rows = (await db.pool.query(`SELECT at::text AS at, actor, action, subject, details::text AS details, prev_hash, hash FROM audit_log ORDER BY seq`)).rows;
  let previous = '0'.repeat(64);
  for (const r of rows) {
    expect(r.prev_hash).toBe(previous);
    const expected = createHash('sha256').update([r.prev_hash, r.at, r.actor, r.action, r.subject, r.details].join('|'), 'utf8').digest('hex');
    expect(r.hash).toBe(expected);
    previous = r.hash;
  }
  await expect(db.pool.query(`UPDATE audit_log SET actor = 'ai khác'`)).rejects.toThrow('append-only');
  await expect(db.pool.query(`DELETE FROM audit_log`)).rejects.toThrow('append-only');
});
