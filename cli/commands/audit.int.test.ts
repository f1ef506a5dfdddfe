/**
 * `hotich audit verify` as an auditor runs it, on a log someone with the owner's powers has
 * tampered with: in one province an entry edited, in another one deleted, in a third two
 * entries swapped. Each is found, in its province, at its place; an untouched province is
 * intact; an auditor of one province checks that province only. (Each run is a new process:
 * three are enough.)
 */
import { appendAudit } from '../../activities/audit/record-action';
import { createUsersRepository } from '../../api/repositories/users';
import { inTransaction } from '../../db/transaction';
import type { AuditEntry } from '../../domain/audit/audit-entry';
import { cliEnv, runCli } from '../../test/support/cli-process';
import { createTestDatabase, type TestDatabase } from '../../test/support/database';

let db: TestDatabase;
const PROVINCES = ['01', '02', '04', '79'];

const entry = (provinceCode: string, n: number): AuditEntry => ({
  provinceCode,
  actor: `canbo${provinceCode}`,
  actorRole: 'official',
  action: n % 2 ? 'record.approve' : 'record.reject',
  subject: { kind: 'record', id: String(n) },
  recordId: n,
  workflowId: `agency/${provinceCode}001/r1`,
  stateBefore: 'imported',
  stateAfter: n % 2 ? 'approved' : 'rejected',
  details: n % 2 ? { pages: [`${n}`.padStart(64, '0')] } : { reasonCode: 'DATA_DIFFERS' },
});

beforeAll(async () => {
  db = await createTestDatabase();
  const users = createUsersRepository(db.pool);
  await users.create({ username: 'kiemtoan', password: 'mat-khau-that-dai-1', role: 'auditor' });
  await users.create({ username: 'kiemtoan01', password: 'mat-khau-that-dai-1', role: 'auditor', provinceCode: '01' });
  // Ten entries per province, written interleaved as the provinces' work would be.
  for (let n = 1; n <= 10; n++) await inTransaction(db.pool, (c) => appendAudit(c, PROVINCES.map((p) => entry(p, n))));

  await db.asOwner(async (c) => {
    await c.query('ALTER TABLE audit_log DISABLE TRIGGER audit_log_no_update');
    // 01: an approval turned into a rejection after the fact.
    await c.query(`UPDATE audit_log SET action = 'record.reject', state_after = 'rejected' WHERE province_code = '01' AND chain_pos = 5`);
    // 02: an entry removed.
    await c.query(`DELETE FROM audit_log WHERE province_code = '02' AND chain_pos = 6`);
    // 79: entries 3 and 4 swapped.
    await c.query(`UPDATE audit_log SET chain_pos = -3 WHERE province_code = '79' AND chain_pos = 3`);
    await c.query(`UPDATE audit_log SET chain_pos = 3 WHERE province_code = '79' AND chain_pos = 4`);
    await c.query(`UPDATE audit_log SET chain_pos = 4 WHERE province_code = '79' AND chain_pos = -3`);
    await c.query('ALTER TABLE audit_log ENABLE TRIGGER audit_log_no_update');
  });
});
afterAll(() => db.drop());

const verify = (...args: string[]) => runCli(['audit', 'verify', ...args], cliEnv({ DATABASE_URL: db.url, LOG_LEVEL: 'warn' }));

test('an edited, a deleted and a reordered entry are each found, in their province, at their place', async () => {
  const r = await verify('--as', 'kiemtoan');
  expect(r.stderr).toBe('');
  expect(r.code).toBe(1);
  const lines = r.stdout.split('\n');
  const after = (prefix: string) => lines.slice(lines.findIndex((l) => l.startsWith(prefix)));
  expect(after('Tỉnh 01:')[0]).toMatch(/^Tỉnh 01: 10 mục, 1 chỗ hỏng; mục cuối: thứ 10, lúc .*, mã băm [0-9a-f]{64}:$/);
  expect(after('Tỉnh 01:')[1]).toMatch(/^ {2}mục thứ 5 \(số \d+, Từ chối \[record\.reject\], .*, canbo01\): đã bị sửa — nội dung không còn cho ra mã băm đã ghi\.$/);
  expect(after('Tỉnh 02:')[0]).toMatch(/^Tỉnh 02: 9 mục, 1 chỗ hỏng;/);
  expect(after('Tỉnh 02:')[1]).toMatch(/^ {2}mục thứ 7 \(.*\): mục thứ 6 ngay trước nó đã bị xoá\.$/);
  expect(after('Tỉnh 04:')[0]).toMatch(/^Tỉnh 04: 10 mục, chuỗi nguyên vẹn; mục cuối: thứ 10,/);
  expect(after('Tỉnh 79:')[0]).toMatch(/^Tỉnh 79: 10 mục, 3 chỗ hỏng;/);
  expect(after('Tỉnh 79:').slice(1, 4)).toEqual([
    expect.stringMatching(/^ {2}mục thứ 3 \(.*\): đã bị đổi chỗ — khi ghi, nó đứng ngay sau mục nay ở vị trí 4\.$/),
    expect.stringMatching(/^ {2}mục thứ 4 \(.*\): đã bị đổi chỗ — khi ghi, nó đứng ngay sau mục nay ở vị trí 2\.$/),
    expect.stringMatching(/^ {2}mục thứ 5 \(.*\): đã bị đổi chỗ — khi ghi, nó đứng ngay sau mục nay ở vị trí 3\.$/),
  ]);
});

test('an auditor of one province checks that province only; others may not', async () => {
  const own = await verify('--province', '01', '--as', 'kiemtoan01', '--json');
  expect(own.code).toBe(1);
  const json = JSON.parse(own.stdout) as Array<{ provinceCode: string; entries: number; breaks: Array<{ kind: string; entry: { chainPos: number; action: string } }> }>;
  expect(json.map((c) => [c.provinceCode, c.entries, c.breaks.map((b) => `${b.kind}@${b.entry.chainPos} ${b.entry.action}`)])).toEqual([['01', 10, ['edited@5 record.reject']]]);
  const other = await verify('--province', '04', '--as', 'kiemtoan01');
  expect(other.code).not.toBe(0);
  expect(other.stderr).toMatch(/^Lỗi CLI_USER_NOT_AUDITOR: Người dùng kiemtoan01 không được kiểm tra nhật ký kiểm toán của tỉnh 04/);
});
