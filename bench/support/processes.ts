/**
 * The system's processes as a bench sees them from /proc: this process's descendants (the worker
 * process, PostgreSQL and its backends, the Temporal dev server), each named by the server it
 * belongs to, with the CPU time and resident memory of each.
 */
import fs from 'node:fs';

export interface ProcessSample {
  comm: string;
  /** CPU seconds, its ended children's included. */
  cpu: number;
  rssMb: number;
  /** Proportional set size: its private memory and its share of what it shares, so that a server's processes sum to what the server uses. */
  pssMb: number;
  /** The child of this process it descends from: the server it belongs to. */
  root: number;
}

/** A process's proportional set size, where the kernel tells it (smaps_rollup, readable by its owner and root). */
function pssMbOf(pid: string): number | undefined {
  try {
    const kb = /^Pss:\s+(\d+) kB/m.exec(fs.readFileSync(`/proc/${pid}/smaps_rollup`, 'utf8'));
    return kb ? Number(kb[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** CPU seconds and resident memory of this process's descendants, from /proc. */
export function descendants(): Map<number, ProcessSample> {
  const procs = new Map<number, { ppid: number; comm: string; cpu: number; rssMb: number; pssMb: number }>();
  const tick = 100; // USER_HZ on Linux
  const pageMb = 4096 / (1024 * 1024);
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const close = stat.lastIndexOf(')');
      const comm = stat.slice(stat.indexOf('(') + 1, close);
      const f = stat.slice(close + 2).split(' ');
      // After the name: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14) … rss(21) in pages. A process's
      // children that ended (PostgreSQL backends of closed connections) count in their parent's cutime and cstime.
      const rssMb = Number(f[21]) * pageMb;
      procs.set(Number(name), { ppid: Number(f[1]), comm, cpu: (Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14])) / tick, rssMb, pssMb: pssMbOf(name) ?? rssMb });
    } catch {
      // Gone while we looked.
    }
  }
  const out = new Map<number, ProcessSample>();
  for (const [pid, p] of procs) {
    let at = pid;
    let parent = p.ppid;
    while (parent !== 0 && parent !== process.pid) {
      at = parent;
      parent = procs.get(parent)?.ppid ?? 0;
    }
    // tsx's esbuild service is this process's helper, not a server.
    if (parent === process.pid && procs.get(at)?.comm !== 'esbuild') out.set(pid, { comm: p.comm, cpu: p.cpu, rssMb: p.rssMb, pssMb: p.pssMb, root: at });
  }
  return out;
}

export type ServerName = 'Temporal dev server' | 'PostgreSQL' | 'worker process' | string;

/** The server a process belongs to, by the name of the child of this process it descends from. */
export function serverOf(procs: ReadonlyArray<Map<number, ProcessSample>>, root: number): ServerName {
  const comm = procs.map((m) => m.get(root)?.comm).find((c) => c !== undefined) ?? '?';
  return /temporal/i.test(comm) ? 'Temporal dev server' : /postgres/i.test(comm) ? 'PostgreSQL' : /node/i.test(comm) ? 'worker process' : comm;
}

/** Resident memory summed by server: RSS (shared memory counted in each process that maps it) or PSS (shared memory divided among them). */
export function rssByServer(sample: Map<number, ProcessSample>, measure: 'rssMb' | 'pssMb' = 'rssMb'): Map<ServerName, number> {
  const out = new Map<ServerName, number>();
  for (const p of sample.values()) out.set(serverOf([sample], p.root), (out.get(serverOf([sample], p.root)) ?? 0) + p[measure]);
  return out;
}

export const percentile = (sorted: number[], p: number) => (sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!);
