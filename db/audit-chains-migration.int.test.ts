/**
 * The audit log written before its chains were per province, migrated: each earlier entry gets
 * its province, subject, workflow and role from what it recorded, and joins its province's
 * chain in the order it was written, from 64 zeros; the chains verify, and new entries follow on.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { appendAudit } from '../activities/audit/record-action';
import { GENESIS_HASH } from '../domain/audit/audit-chain';
import { verifyAuditLog } from '../services/audit-verification';
import { testEnv } from '../test/support/env';
import { MIGRATIONS_DIR } from './migrate';
import { createPool } from './pool';
import { inTransaction } from './transaction';

const CHAINS_MIGRATION = '1764990000000_audit-chains.sql';
const name = `t_migrate_${process.pid}`;
let earlier: string;
let url: string;

/** node-pg-migrate is ESM only, which Jest's module registry cannot load: the migrations run in a process of their own, as `hotich migrate` runs them. */
const migrateUp = (databaseUrl: string, dir = MIGRATIONS_DIR) =>
  execFileSync(process.execPath, ['-r', 'tsx/cjs', '-e', `require(${JSON.stringify(path.join(__dirname, 'migrate.ts'))}).migrateUp(process.env.URL, undefined, process.env.DIR)`], {
    env: { ...process.env, URL: databaseUrl, DIR: dir },
    stdio: 'pipe',
  });

const admin = async (sql: string) => {
  const c = new Client({ connectionString: testEnv('postgresAdminUrl') });
  await c.connect();
  await c.query(sql).finally(() => c.end());
};

beforeAll(async () => {
  earlier = fs.mkdtempSync(path.join(os.tmpdir(), 'migrations-'));
  for (const f of fs.readdirSync(MIGRATIONS_DIR).filter((f) => f < CHAINS_MIGRATION)) fs.symlinkSync(path.join(MIGRATIONS_DIR, f), path.join(earlier, f));
  await admin(`CREATE DATABASE ${name}`);
  const u = new URL(testEnv('postgresAdminUrl'));
  u.pathname = `/${name}`;
  url = u.toString();
});
afterAll(async () => {
  await admin(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  fs.rmSync(earlier, { recursive: true, force: true });
});

test('earlier entries join the chains of their provinces in the order they were written', async () => {
  migrateUp(url, earlier);
  const pool = createPool(url, { max: 2 });
  try {
    await pool.query(`INSERT INTO agencies (code, name, level, province_code) VALUES ('00004', 'UBND phường Ba Đình', 'commune', '01'), ('26734', 'UBND phường Bến Thành', 'commune', '79')`);
    await pool.query(`INSERT INTO users (username, password_hash, role, province_code, agency_code) VALUES ('canbo.badinh', 'x', 'official', '01', '00004')`);
    const pkg = 'b'.repeat(64);
    const xls = 'c'.repeat(64);
    // As the writers of the earlier version wrote them.
    for (const [actor, action, subject, details] of [
      ['dieuphoi01', 'package.received', 'province/01/r1', { sha256: pkg, name: 'goi.xlsx' }],
      ['smoke', 'platform.check', 'platform-check/1', {}],
      ['dieuphoi01', 'split.completed', 'province/01/r1', { inputRows: 10 }],
      ['canbo.badinh', 'import.excel', 'agency/00004', { importKey: 'agency/00004/r1/update-1', sourceSha256: xls, registerType: 'KS' }],
      ['system', 'agency.completed', 'agency/26734/r2', { agency: '26734' }],
      ['csdlhtdt-pg', 'transfer.batch', 'agency/00004/r1/transfer/1', { agency: '00004', records: 3 }],
    ] as const) {
      await pool.query(`INSERT INTO audit_log (actor, action, subject, details) VALUES ($1, $2, $3, $4)`, [actor, action, subject, JSON.stringify(details)]);
    }

    migrateUp(url);
    const rows = await pool.query(
      `SELECT province_code, chain_pos::int, agency_code, actor, actor_role, action, subject_kind, subject_id, workflow_id, prev_hash = $1 AS first FROM audit_log ORDER BY seq`,
      [GENESIS_HASH],
    );
    expect(rows.rows).toEqual([
      { province_code: '01', chain_pos: 1, agency_code: null, actor: 'dieuphoi01', actor_role: 'coordinator', action: 'package.received', subject_kind: 'file', subject_id: pkg, workflow_id: 'province/01/r1', first: true },
      { province_code: null, chain_pos: 1, agency_code: null, actor: 'smoke', actor_role: 'system', action: 'platform.check', subject_kind: 'workflow', subject_id: 'platform-check/1', workflow_id: 'platform-check/1', first: true },
      { province_code: '01', chain_pos: 2, agency_code: null, actor: 'dieuphoi01', actor_role: 'coordinator', action: 'split.completed', subject_kind: 'workflow', subject_id: 'province/01/r1', workflow_id: 'province/01/r1', first: false },
      { province_code: '01', chain_pos: 3, agency_code: '00004', actor: 'canbo.badinh', actor_role: 'official', action: 'import.excel', subject_kind: 'file', subject_id: xls, workflow_id: 'agency/00004/r1', first: false },
      { province_code: '79', chain_pos: 1, agency_code: '26734', actor: 'system', actor_role: 'system', action: 'agency.completed', subject_kind: 'workflow', subject_id: 'agency/26734/r2', workflow_id: 'agency/26734/r2', first: true },
      { province_code: '01', chain_pos: 4, agency_code: '00004', actor: 'csdlhtdt-pg', actor_role: 'system', action: 'transfer.batch', subject_kind: 'batch', subject_id: 'agency/00004/r1/transfer/1', workflow_id: 'agency/00004/r1', first: false },
    ]);

    await inTransaction(pool, (c) => appendAudit(c, [{ agencyCode: '00004', actor: 'canbo.badinh', actorRole: 'official', action: 'book.claim', subject: { kind: 'book', id: 'KS/00004/2009/1' } }]));
    const reports = await verifyAuditLog(pool);
    expect(reports.map((r) => [r.provinceCode, r.entries, r.breakCount])).toEqual([
      [null, 1, 0],
      ['01', 5, 0],
      ['79', 1, 0],
    ]);
  } finally {
    await pool.end();
  }
});
