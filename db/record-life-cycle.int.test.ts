/**
 * The database's copy of the record life cycle agrees with domain/records/life-cycle.ts. The
 * trigger's rules are read back from PostgreSQL by trying them: a record is put in each state,
 * then moved to each other state as the application would move it, and the moves the trigger
 * lets through must be exactly the table's. The states the tables accept are read from their
 * constraints.
 */
import type { Client } from 'pg';
import { AUDIT_ACTOR_ROLES, AUDIT_SUBJECT_KINDS } from '../domain/audit/audit-entry';
import { RECORD_STATES, transitions, type RecordState } from '../domain/records/life-cycle';
import { createTestDatabase, type TestDatabase } from '../test/support/database';

let db: TestDatabase;
const PAGE = 'a'.repeat(64);

beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`INSERT INTO agencies (code, name, level, province_code) VALUES ('00004', 'UBND phường Ba Đình', 'commune', '01')`);
  await db.pool.query(`INSERT INTO files (sha256, size_bytes, media_type) VALUES ($1, 1, 'application/pdf')`, [PAGE]);
});
afterAll(() => db.drop());

let numbers = 0;
const insertRecord = (c: Pick<Client, 'query'>, state: RecordState) =>
  c.query<{ id: string }>(
    `INSERT INTO records (agency_code, unit_code, register_type, book_year, book_number, book_key, registration_number, number_key, data, data_sha256, state,
                          transfer_batch_id, target_id, target_received_at)
     VALUES ('00004', '00004', 'KS', 2009, '01', '1', $1, $1, '{}', $2, $3, 1, 'target-1', now()) RETURNING id`,
    [String(++numbers), '0'.repeat(64), state],
  );

/** A record in `state` with its page, put there past the rules (as the owner, with triggers off), for the application to move. */
async function recordIn(state: RecordState): Promise<number> {
  return db.asOwner(async (c) => {
    await c.query(`SET session_replication_role = replica`);
    const id = Number((await insertRecord(c, state)).rows[0]!.id);
    await c.query(`INSERT INTO attachments (record_id, sha256) VALUES ($1, $2)`, [id, PAGE]);
    return id;
  });
}

/** Whether the trigger lets the statement through: run by the application's role, always rolled back. */
async function allowed(statement: (c: Pick<Client, 'query'>) => Promise<unknown>): Promise<boolean> {
  const c = await db.pool.connect();
  try {
    await c.query('BEGIN');
    await statement(c);
    return true;
  } catch (e) {
    const code = (e as { code?: string }).code ?? '';
    if (/^HT00\d$/.test(code)) return false;
    throw e;
  } finally {
    await c.query('ROLLBACK');
    c.release();
  }
}

test("the moves the trigger lets through are the life cycle's, and no other", async () => {
  const fromDatabase: string[] = [];
  for (const to of RECORD_STATES) if (await allowed((c) => insertRecord(c, to))) fromDatabase.push(`∅>${to}`);
  for (const from of RECORD_STATES) {
    for (const to of RECORD_STATES) {
      if (to === from) continue;
      const id = await recordIn(from);
      if (await allowed((c) => c.query(`UPDATE records SET state = $2 WHERE id = $1`, [id, to]))) fromDatabase.push(`${from}>${to}`);
    }
  }
  const fromTable = [...new Set(transitions().filter((t) => t.from !== t.to).map((t) => `${t.from ?? '∅'}>${t.to}`))];
  expect(fromDatabase.sort()).toEqual(fromTable.sort());
});

test('a transferred record is read-only and an approval needs a page, whatever the path', async () => {
  const transferred = await recordIn('transferred');
  expect(await allowed((c) => c.query(`UPDATE records SET data = '{"x": 1}' WHERE id = $1`, [transferred]))).toBe(false);
  const imported = await recordIn('imported');
  await db.asOwner((c) => c.query(`DELETE FROM attachments WHERE record_id = $1`, [imported]));
  expect(await allowed((c) => c.query(`UPDATE records SET state = 'approved' WHERE id = $1`, [imported]))).toBe(false);
});

test('the states the tables accept are the life cycle\'s', async () => {
  const checks = await db.pool.query<{ conname: string; def: string }>(
    `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname IN ('records_state', 'audit_log_state_before', 'audit_log_state_after') ORDER BY conname`,
  );
  expect(checks.rows.map((r) => r.conname)).toEqual(['audit_log_state_after', 'audit_log_state_before', 'records_state']);
  for (const r of checks.rows) expect([r.conname, [...r.def.matchAll(/'([a-z_]+)'::text/g)].map((m) => m[1]).sort()]).toEqual([r.conname, [...RECORD_STATES].sort()]);
});

test("the audit log accepts the actors' roles and the subjects the domain names, and no other", async () => {
  const checks = await db.pool.query<{ conname: string; def: string }>(
    `SELECT conname, pg_get_constraintdef(oid) AS def FROM pg_constraint WHERE conname IN ('audit_log_actor_role', 'audit_log_subject_kind') ORDER BY conname`,
  );
  const listed = (name: string) => [...checks.rows.find((r) => r.conname === name)!.def.matchAll(/'([a-z_]+)'::text/g)].map((m) => m[1]).sort();
  expect(listed('audit_log_actor_role')).toEqual([...AUDIT_ACTOR_ROLES].sort());
  expect(listed('audit_log_subject_kind')).toEqual([...AUDIT_SUBJECT_KINDS].sort());
});
