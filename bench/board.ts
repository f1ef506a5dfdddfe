/**
 * The coordinator's board: the statements behind GET /api/runs/{runId}/agencies (every
 * agency's counts) and GET /api/runs/{runId}/per-day (approvals and transfers per day), on a
 * province of 700 agencies and 1,000,000 records some weeks into Step 4, in a throwaway
 * embedded PostgreSQL (test/support/board-fixture.ts seeds it; the database vacuumed and
 * analysed, as autovacuum leaves it). Each statement runs 5 times after one warm-up; the
 * median is printed with the plan PostgreSQL chose (EXPLAIN ANALYZE, BUFFERS) of the last run.
 * Target on our 2-core machine: each ≤ 1 s. The board asks for its counts every 30 seconds: a
 * statement of a second is then at most a thirtieth of one core per coordinator watching it.
 * The counts read every record's index entry and aggregate them (1,600,000 index entries for
 * 1,000,000 records and 600,000 pages); less would need counters kept on every write.
 *
 *   npm run bench -- board [--records 1000000] [--agencies 700] [--plans]
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Pool } from 'pg';
import { createRunBoardRepository } from '../api/repositories/run-board';
import { largeBoardAgencies, seedBoard } from '../test/support/board-fixture';
import { openBenchDatabase } from './support/bench-database';
import { fmt, seconds } from './support/measure';

const TARGET_MS = 1000;
const RUNS = 5;
const RUN_ID = '79-0123456789abcdef';

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  return i >= 0 && args[i + 1] !== undefined ? args[i + 1]! : fallback;
}

/** A pool whose statements are explained instead of answered: the repository's own SQL, planned and run. */
function explaining(pool: Pool, plans: string[]): Pick<Pool, 'query'> {
  return {
    query: (async (sql: string, params: unknown[]) => {
      const r = await pool.query<{ 'QUERY PLAN': string }>(`EXPLAIN (ANALYZE, BUFFERS) ${sql}`, params);
      plans.push(r.rows.map((row) => row['QUERY PLAN']).join('\n'));
      return { rows: [] };
    }) as unknown as Pool['query'],
  };
}

async function measure(name: string, work: () => Promise<unknown>): Promise<number> {
  await work();
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const t = process.hrtime.bigint();
    await work();
    times.push(seconds(t) * 1000);
  }
  times.sort((a, b) => a - b);
  const median = times[Math.floor(RUNS / 2)]!;
  process.stdout.write(`${name}: median ${fmt(median, 1)} ms (${times.map((t) => fmt(t, 0)).join(', ')} ms)\n`);
  return median;
}

export async function run(args: string[]): Promise<void> {
  const records = Number(option(args, 'records', '1000000'));
  const agencies = largeBoardAgencies(Number(option(args, 'agencies', '700')));
  const work = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-board-'));
  const { pg, pool } = await openBenchDatabase(work);
  try {
    let t = process.hrtime.bigint();
    await seedBoard(pool, { provinceCode: '79', runId: RUN_ID, agencies, records, days: 30, startedBy: 'dieuphoi.bench' });
    await pool.query('VACUUM ANALYZE');
    const sizes = (
      await pool.query<{ records: string; pages: string; decisions: string; batches: string; mb: string }>(
        `SELECT (SELECT count(*) FROM records) AS records, (SELECT count(*) FROM attachments) AS pages, (SELECT count(*) FROM decisions) AS decisions,
                (SELECT count(*) FROM transfer_batches) AS batches, pg_total_relation_size('records') / 1e6 AS mb`,
      )
    ).rows[0]!;
    process.stdout.write(
      `input: ${agencies.length} agencies, ${sizes.records} records (${fmt(Number(sizes.mb), 0)} MB with indexes), ${sizes.pages} pages, ${sizes.decisions} decisions, ${sizes.batches} transfer batches, seeded in ${fmt(seconds(t), 1)} s\n`,
    );

    const board = createRunBoardRepository(pool);
    const counts = await board.agencyCounts(RUN_ID);
    const sum = (k: 'records' | 'withPage' | 'approved' | 'transferred') => counts.reduce((n, c) => n + c[k], 0);
    const perDay = await board.perDay(RUN_ID, 30, 420);
    process.stdout.write(
      `answers: ${counts.length} agencies, ${sum('records')} records, ${sum('withPage')} with a page, ${sum('approved')} approved, ${sum('transferred')} transferred; ` +
        `${perDay.length} days, ${perDay.reduce((n, d) => n + d.approved, 0)} approvals, ${perDay.reduce((n, d) => n + d.transferred, 0)} transferred\n`,
    );
    const verified = counts.length === agencies.length && sum('records') === Number(sizes.records);

    t = process.hrtime.bigint();
    const slowest = Math.max(await measure('agency counts (GET /api/runs/{runId}/agencies)', () => board.agencyCounts(RUN_ID)), await measure('per day, 30 days (GET /api/runs/{runId}/per-day)', () => board.perDay(RUN_ID, 30, 420)));
    if (args.includes('--plans')) {
      const plans: string[] = [];
      const explained = createRunBoardRepository(explaining(pool, plans));
      await explained.agencyCounts(RUN_ID);
      await explained.perDay(RUN_ID, 30, 420);
      process.stdout.write(`\nplans:\n${plans.join('\n\n')}\n\n`);
    }
    process.stdout.write(`verify: ${verified ? 'OK' : 'FAILED'}\ntarget: each ≤ ${TARGET_MS} ms: ${slowest <= TARGET_MS ? 'met' : 'NOT MET'}\n`);
    if (!verified) process.exitCode = 1;
  } finally {
    await pool.end();
    await pg.stop();
    fs.rmSync(work, { recursive: true, force: true });
  }
}
