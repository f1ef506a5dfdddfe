/**
 * Where PostgreSQL's time goes while a stage runs: twice a second, what each backend of the
 * database that is not idle is doing (running on CPU, or waiting and for what: a lock, the WAL's
 * fsync, a client), counted over the stage. A stage that queues on one lock shows it at the top.
 */
import type { Pool } from 'pg';

export function pgWaitSampler(owner: Pool) {
  let counts = new Map<string, number>();
  let busy = false;
  const timer = setInterval(() => {
    if (busy) return;
    busy = true;
    owner
      .query<{ w: string; n: string }>(
        `SELECT coalesce(wait_event_type || ':' || wait_event, 'CPU') AS w, count(*) AS n FROM pg_stat_activity
          WHERE datname = current_database() AND pid <> pg_backend_pid() AND state NOT IN ('idle') AND backend_type = 'client backend' GROUP BY 1`,
      )
      .then((r) => {
        for (const row of r.rows) counts.set(row.w, (counts.get(row.w) ?? 0) + Number(row.n));
      })
      .catch(() => undefined)
      .finally(() => (busy = false));
  }, 500);
  return {
    /** The share of busy-backend samples by what they were doing, highest first, since the last call; and a new start. */
    take(): Array<{ what: string; share: number }> {
      const total = [...counts.values()].reduce((a, b) => a + b, 0);
      const out = [...counts].sort((a, b) => b[1] - a[1]).slice(0, 4).map(([what, n]) => ({ what, share: n / total }));
      counts = new Map();
      return out;
    },
    stop: () => clearInterval(timer),
  };
}
