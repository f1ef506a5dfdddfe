/**
 * What is stored, taken before and after bad inputs: every row of every table that holds the
 * system's data (each row's text hashed), and every file of the content store (its bytes
 * hashed). Nothing already stored may change or go; what a refused input may add is listed by
 * the caller.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { TestDatabase } from '../support/database';

/**
 * Tables left out: the migrations' own, and the log-in throttle's counters, which a refused
 * log-in is meant to change (api/plugins: rate limits).
 */
const NOT_STORED_DATA = ['pgmigrations', 'login_failures'];

export interface StoredState {
  /** Per table, each row's hash with how many rows have it. */
  rows: Map<string, Map<string, number>>;
  /** Content store: path under the store → SHA-256 of the bytes. */
  files: Map<string, string>;
}

export async function storedState(db: TestDatabase, storeDir: string): Promise<StoredState> {
  const rows = new Map<string, Map<string, number>>();
  await db.asOwner(async (c) => {
    const tables = await c.query<{ name: string }>(
      `SELECT CASE table_schema WHEN 'public' THEN '' ELSE table_schema || '.' END || table_name AS name FROM information_schema.tables
        WHERE table_schema IN ('public', 'csdlhtdt') AND table_type = 'BASE TABLE' AND NOT (table_name = ANY($1)) ORDER BY 1`,
      [NOT_STORED_DATA],
    );
    for (const { name: table } of tables.rows) {
      const r = await c.query<{ h: string }>(`SELECT md5(t::text) AS h FROM ${table} t`);
      const counts = new Map<string, number>();
      for (const { h } of r.rows) counts.set(h, (counts.get(h) ?? 0) + 1);
      rows.set(table, counts);
    }
  });
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const e of fs.existsSync(dir) ? fs.readdirSync(dir, { withFileTypes: true }) : []) {
      const full = path.join(dir, e.name);
      if (e.isDirectory()) walk(full);
      else files.set(path.relative(storeDir, full), createHash('sha256').update(fs.readFileSync(full)).digest('hex'));
    }
  };
  walk(storeDir);
  return { rows, files };
}

export interface StateChange {
  /** Rows or files that were there before and are no longer, as they were (changed or removed): must be empty. */
  lost: string[];
  /** Rows and files added, by table ("store" for the content store). */
  added: Record<string, number>;
}

export function stateChange(before: StoredState, after: StoredState): StateChange {
  const lost: string[] = [];
  const added: Record<string, number> = {};
  for (const [table, rows] of before.rows) {
    const now = after.rows.get(table)!;
    let extra = 0;
    for (const [h, n] of rows) if ((now.get(h) ?? 0) < n) lost.push(`${table}: a row changed or went (${n - (now.get(h) ?? 0)} of md5 ${h})`);
    for (const [h, n] of now) extra += Math.max(0, n - (rows.get(h) ?? 0));
    if (extra) added[table] = extra;
  }
  for (const [file, sha] of before.files) if (after.files.get(file) !== sha) lost.push(`store: ${file} changed or went`);
  const newFiles = [...after.files.keys()].filter((f) => !before.files.has(f)).length;
  if (newFiles) added.store = newFiles;
  return { lost, added };
}
