/**
 * The one writer of the audit log, on a real PostgreSQL: entries join their province's chain
 * with hashes the verifier computes again; a keyed entry is written once however often its
 * action is retried; a rolled-back action leaves nothing; writers of one province at once never
 * fork its chain; the database, not the writer, places, dates and hashes an entry.
 */
import fc from 'fast-check';
import { GENESIS_HASH } from '../../domain/audit/audit-chain';
import type { AuditEntry } from '../../domain/audit/audit-entry';
import { verifyAuditLog } from '../../services/audit-verification';
import { inTransaction } from '../../db/transaction';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';
import { appendAudit, recordAction } from './record-action';

let db: TestDatabase;
beforeAll(async () => {
  db = await createTestDatabase();
  await db.pool.query(`INSERT INTO agencies (code, name, level, province_code) VALUES ('00004', 'UBND phường Ba Đình', 'commune', '01'), ('26734', 'UBND phường Bến Thành', 'commune', '79')`);
});
afterAll(() => db.drop());

const entry = (over: Partial<AuditEntry> = {}): AuditEntry => ({
  provinceCode: '01',
  actor: 'canbo.ba-dinh',
  actorRole: 'official',
  action: 'record.approve',
  subject: { kind: 'record', id: '1' },
  recordId: 1,
  workflowId: 'agency/00004/01-abc',
  stateBefore: 'imported',
  stateAfter: 'approved',
  details: { pages: ['a'.repeat(64)], ghiChú: 'Đối chiếu "trang 2"\nđúng' },
  ...over,
});

const chain = async (province: string) =>
  (await db.pool.query(`SELECT seq, chain_pos, prev_hash, hash, at FROM audit_log WHERE province_code = $1 ORDER BY chain_pos`, [province])).rows.map((r) => ({ ...r, seq: Number(r.seq), chain_pos: Number(r.chain_pos) }));

test('entries join the chain of their province (an agency names its own), with hashes the verifier computes again', async () => {
  await inTransaction(db.pool, (c) => appendAudit(c, [entry(), entry({ provinceCode: '79', agencyCode: '26734', actor: 'canbo.ben-thanh' }), entry({ provinceCode: undefined, agencyCode: '00004' })]));
  await inTransaction(db.pool, (c) => appendAudit(c, [entry({ provinceCode: null, actor: 'smoke', actorRole: 'system', action: 'platform.check', subject: { kind: 'workflow', id: 'platform-check/1' }, recordId: undefined, stateBefore: undefined, stateAfter: undefined })]));
  const hanoi = await chain('01');
  expect(hanoi.map((r) => r.chain_pos)).toEqual([1, 2]);
  expect(hanoi[0]!.prev_hash).toBe(GENESIS_HASH);
  expect(hanoi[1]!.prev_hash).toBe(hanoi[0]!.hash);
  expect((await chain('79')).map((r) => [r.chain_pos, r.prev_hash])).toEqual([[1, GENESIS_HASH]]);
  // The times are the database's, in the chain's order.
  expect(hanoi[1]!.at.getTime()).toBeGreaterThanOrEqual(hanoi[0]!.at.getTime());

  const reports = await verifyAuditLog(db.pool);
  expect(reports.map((r) => [r.provinceCode, r.entries, r.breakCount])).toEqual([
    [null, 1, 0],
    ['01', 2, 0],
    ['79', 1, 0],
  ]);
});

test('a keyed entry is written once however often its action runs; a rolled-back action leaves none', async () => {
  const keyed = entry({ action: 'split.completed', subject: { kind: 'workflow', id: 'province/01/r1' }, recordId: undefined, stateBefore: undefined, stateAfter: undefined, key: 'split.completed:province/01/r1' });
  const first = await recordAction(db.pool, async () => ({ result: 'done', audit: [keyed] }));
  const again = await recordAction(db.pool, async () => ({ result: 'done', audit: [keyed] }));
  expect(first.entries[0]!.fresh).toBe(true);
  expect(again.entries).toEqual([{ seq: first.entries[0]!.seq, fresh: false }]);

  // Two attempts at once: the later one is refused by the key's unique index and rolls back; its retry finds the entry.
  const twice = { ...keyed, subject: { kind: 'workflow' as const, id: 'province/01/r2' }, key: 'split.completed:province/01/r2' };
  const [one, other] = [await db.pool.connect(), await db.pool.connect()];
  try {
    await one.query('BEGIN');
    await other.query('BEGIN');
    await appendAudit(one, [twice]);
    const late = appendAudit(other, [twice]);
    late.catch(() => undefined);
    await new Promise((r) => setTimeout(r, 100));
    await one.query('COMMIT');
    await expect(late).rejects.toMatchObject({ code: '23505' });
    await other.query('ROLLBACK');
  } finally {
    one.release();
    other.release();
  }
  expect((await db.pool.query(`SELECT count(*)::int AS n FROM audit_log WHERE entry_key = $1`, [twice.key])).rows[0].n).toBe(1);

  const before = (await chain('01')).length;
  await expect(
    recordAction(db.pool, async (c) => {
      await c.query(`UPDATE agencies SET name = 'tên khác' WHERE code = '00004'`);
      return { result: undefined, audit: [entry({ recordId: 99 }), entry({ provinceCode: '0x' as string })] };
    }),
  ).rejects.toThrow();
  expect((await chain('01')).length).toBe(before);
  expect((await db.pool.query(`SELECT name FROM agencies WHERE code = '00004'`)).rows[0].name).toBe('UBND phường Ba Đình');
});

test('writers of one province at once never fork its chain', async () => {
  const before = (await chain('79')).length;
  // Eight transactions of 25 entries each, all open at once: each waits for the chain's lock, none takes a position twice.
  await Promise.all(
    Array.from({ length: 8 }, (_, w) =>
      inTransaction(db.pool, async (c) => {
        await c.query('SELECT pg_sleep(0.01)');
        return appendAudit(c, Array.from({ length: 25 }, (_, i) => entry({ provinceCode: '79', recordId: w * 100 + i, subject: { kind: 'record', id: String(w * 100 + i) } })));
      }),
    ),
  );
  const rows = await chain('79');
  expect(rows.length).toBe(before + 200);
  expect(rows.map((r) => r.chain_pos)).toEqual(Array.from({ length: rows.length }, (_, i) => i + 1));
  rows.forEach((r, i) => expect(r.prev_hash).toBe(i === 0 ? GENESIS_HASH : rows[i - 1]!.hash));
  expect((await verifyAuditLog(db.pool, { provinceCode: '79' }))[0]!.breakCount).toBe(0);
});

test('an action ending with its commit (entries in the commit\'s own message) keeps every text exactly, and its writers at once never fork the chain', async () => {
  const before = (await chain('79')).length;
  // Texts the literal that carries the entries must keep: quotes, backslashes, dollar quotes, line ends, Vietnamese in NFC and NFD.
  const texts = fc.sample(fc.string({ unit: 'grapheme', maxLength: 40 }).filter((t) => !t.includes('\u0000')), { numRuns: 40, seed: 20261207 });
  const fixed = ["O'Brien \\ \\' $$ $1 ''", 'Nguyễn Thị Ánh Tuyết\r\n\t"Lê"', 'Nguyễn'.normalize('NFD'), '\\u0041 \\x41 E\'\'', '); COMMIT; --'];
  const all = [...fixed, ...texts];
  const written = await Promise.all(
    Array.from({ length: 5 }, (_, w) =>
      recordAction(db.pool, async () => ({
        result: w,
        audit: all.slice(w * 9, w * 9 + 9).map((t, i) => entry({ provinceCode: '79', actor: `canbo.${w}`, subject: { kind: 'record', id: t || '-' }, recordId: 1000 + w * 100 + i, details: { ghiChú: t, [t]: [t] } })),
      })),
    ),
  );
  expect(written.flatMap((x) => x.entries).every((e) => e.fresh)).toBe(true);
  const stored = await db.pool.query<{ record_id: string; subject_id: string; details: Record<string, unknown> }>(
    `SELECT record_id, subject_id, details FROM audit_log WHERE seq = ANY($1::bigint[]) ORDER BY record_id`,
    [written.flatMap((x) => x.entries.map((e) => e.seq))],
  );
  const expected = Array.from({ length: 5 }, (_, w) => all.slice(w * 9, w * 9 + 9).map((t, i) => ({ record_id: String(1000 + w * 100 + i), subject_id: t || '-', details: { ghiChú: t, [t]: [t] } }))).flat();
  expect(stored.rows).toEqual(expected);
  const rows = await chain('79');
  expect(rows.length).toBe(before + all.slice(0, 45).length);
  expect(rows.map((r) => r.chain_pos)).toEqual(Array.from({ length: rows.length }, (_, i) => i + 1));
  expect((await verifyAuditLog(db.pool, { provinceCode: '79' }))[0]!.breakCount).toBe(0);
});

test("a writer cannot choose an entry's place, time or hash", async () => {
  const forged = await db.pool.query(
    `INSERT INTO audit_log (province_code, actor, actor_role, action, subject_kind, subject_id, at, chain_pos, prev_hash, hash)
     VALUES ('01', 'ke.gian', 'official', 'record.approve', 'record', '5', '2000-01-01', 1, $1, $1) RETURNING at, chain_pos, prev_hash, hash`,
    ['f'.repeat(64)],
  );
  const head = (await chain('01')).at(-2)!;
  expect(forged.rows[0]).toMatchObject({ chain_pos: String(head.chain_pos + 1), prev_hash: head.hash });
  expect(forged.rows[0].at.getFullYear()).toBeGreaterThan(2000);
  expect(forged.rows[0].hash).not.toBe('f'.repeat(64));
});
