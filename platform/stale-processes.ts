/**
 * After a crash or `kill -9` of the supervisor alone, its child servers may still run and hold
 * their ports and data. Their pids are kept under the data folder; the next start ends those
 * that are still ours (same pid and same command line) before starting anew.
 */
import fs from 'node:fs';
import path from 'node:path';

interface Entry {
  pid: number;
  cmdline: string;
}

const fileOf = (dataDir: string) => path.join(dataDir, 'run', 'children.json');

function cmdlineOf(pid: number): string | null {
  try {
    return fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
  } catch {
    return null;
  }
}

export function recordChild(dataDir: string, pid: number | undefined): void {
  if (!pid) return;
  const cmdline = cmdlineOf(pid);
  if (cmdline === null) return;
  const file = fileOf(dataDir);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const entries: Entry[] = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Entry[]) : [];
  entries.push({ pid, cmdline });
  fs.writeFileSync(file, JSON.stringify(entries));
}

export async function endStaleChildren(dataDir: string): Promise<number[]> {
  const file = fileOf(dataDir);
  if (!fs.existsSync(file)) return [];
  const entries = JSON.parse(fs.readFileSync(file, 'utf8')) as Entry[];
  const ended: number[] = [];
  for (const e of entries) {
    if (cmdlineOf(e.pid) !== e.cmdline) continue;
    process.kill(e.pid, 'SIGKILL');
    ended.push(e.pid);
  }
  const deadline = Date.now() + 5000;
  while (ended.some((pid) => cmdlineOf(pid) !== null) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  fs.rmSync(file, { force: true });
  return ended;
}
