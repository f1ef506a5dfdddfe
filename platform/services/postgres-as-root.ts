/**
 * PostgreSQL refuses to run as root, so as root the embedded server runs as the system account
 * `postgres` (created when missing), and that account must reach the server's binaries and its
 * data folder. A project cloned into a folder only root may enter (root's home, any folder of
 * mode 700) offers neither. Nothing is loosened to make them reachable: root's home and the data
 * folder keep their modes. Instead:
 *
 * - the binaries are copied once, per build, into <shared>/postgres/<build>
 *   (root's, readable by every account like any installed program; they hold no data);
 * - the cluster is created in a folder of its own that only `postgres` may enter (mode 700, as
 *   /var/lib/postgresql is): <shared>/clusters/<random> for a kept cluster, or under the system's
 *   temporary folder for a throwaway one (tests, benchmarks), and linked from where it was asked
 *   for (<data>/postgres), so the data folder still names it.
 *
 * <shared> is /var/lib/hotich-flow.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { defineError } from '../../domain/errors';

const SHARED_DIR = '/var/lib/hotich-flow';

export interface Account {
  uid: number;
  gid: number;
}

export const PostgresAccountMissing = defineError<{ reason: string }>(
  'POSTGRES_ACCOUNT_MISSING',
  'config',
  (p) => `running as root, the embedded PostgreSQL needs the system account "postgres", which could not be created (${p.reason}); create it: useradd --system --user-group postgres`,
  (p) =>
    `Khi chạy bằng quyền root, PostgreSQL nhúng cần tài khoản hệ thống "postgres" nhưng không tạo được (${p.reason}); hãy tạo bằng lệnh: useradd --system --user-group postgres, rồi chạy lại.`,
);

export const PostgresDataUnreachable = defineError<{ dir: string; blocked: string }>(
  'POSTGRES_DATA_UNREACHABLE',
  'config',
  (p) => `the embedded PostgreSQL's data folder ${p.dir} is inside ${p.blocked}, which the "postgres" account may not enter; move the cluster to a folder it can reach and link ${p.dir} to it, or use another HOTICH_DATA_DIR`,
  (p) =>
    `Tài khoản "postgres" không vào được thư mục ${p.blocked} chứa dữ liệu PostgreSQL nhúng ${p.dir}; hãy chuyển thư mục dữ liệu đó tới nơi tài khoản postgres vào được rồi tạo liên kết ${p.dir} trỏ tới, hoặc đặt HOTICH_DATA_DIR sang thư mục khác.`,
);

export const PostgresDataLinkBroken = defineError<{ link: string; target: string }>(
  'POSTGRES_DATA_LINK_BROKEN',
  'config',
  (p) => `${p.link} links to the embedded PostgreSQL cluster ${p.target}, which no longer exists; restore it, or remove the link to start with an empty database`,
  (p) =>
    `${p.link} trỏ tới dữ liệu PostgreSQL nhúng ${p.target} nhưng thư mục đó không còn; hãy khôi phục thư mục đó, hoặc xoá liên kết ${p.link} để bắt đầu với cơ sở dữ liệu trống.`,
);

/** Whether `stat`'s permissions let `who` search (enter) it: only the owner's bits count for its owner, as in the kernel. */
export function maySearch(stat: Pick<fs.Stats, 'uid' | 'gid' | 'mode'>, who: Account): boolean {
  if (stat.uid === who.uid) return (stat.mode & 0o100) !== 0;
  if (stat.gid === who.gid) return (stat.mode & 0o010) !== 0;
  return (stat.mode & 0o001) !== 0;
}

/**
 * The first folder on the way to `dir` (itself included) that `who` may not enter, or undefined
 * when it may reach it. Supplementary groups are not looked at: a folder entered only through
 * one is taken as closed, which at worst moves the cluster when it need not.
 */
export function firstClosedFolder(dir: string, who: Account): string | undefined {
  const parts = path.resolve(dir).split(path.sep).filter(Boolean);
  for (let i = 0; i <= parts.length; i++) {
    const folder = path.sep + parts.slice(0, i).join(path.sep);
    if (!maySearch(fs.statSync(folder), who)) return folder;
  }
  return undefined;
}

const idOf = (flag: '-u' | '-g') => Number(execFileSync('id', [flag, 'postgres'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim());

function lookUp(): Account | undefined {
  try {
    return { uid: idOf('-u'), gid: idOf('-g') };
  } catch {
    return undefined;
  }
}

/** The `postgres` system account, created (no home, no log-in shell) when the machine has none. */
export function postgresAccount(): Account {
  const found = lookUp();
  if (found) return found;
  try {
    const run = (cmd: string, args: string[]) => execFileSync(cmd, args, { stdio: ['ignore', 'ignore', 'pipe'] });
    const groupExists = (() => {
      try {
        run('getent', ['group', 'postgres']);
        return true;
      } catch {
        return false;
      }
    })();
    if (!groupExists) run('groupadd', ['--system', 'postgres']);
    run('useradd', ['--system', '--gid', 'postgres', '--no-create-home', '--home-dir', '/nonexistent', '--shell', '/usr/sbin/nologin', 'postgres']);
  } catch (e) {
    const stderr = (e as { stderr?: Buffer }).stderr?.toString('utf8').trim();
    throw PostgresAccountMissing({ reason: stderr || (e instanceof Error ? e.message : String(e)) }, { cause: e });
  }
  const created = lookUp();
  if (!created) throw PostgresAccountMissing({ reason: 'useradd reported success but "id postgres" finds no account' });
  return created;
}

/**
 * A new folder for `who` alone (mode 700). mkdtemp makes it under a name nobody could have
 * prepared, which matters in the world-writable temporary folder.
 */
function privateFolderUnder(parent: string, who: Account): string {
  const dir = fs.mkdtempSync(path.join(parent, 'hotich-flow-postgres-'));
  fs.chmodSync(dir, 0o700);
  fs.chownSync(dir, who.uid, who.gid);
  return dir;
}

/** A folder of the shared one, which, like it, is root's and others may enter but not list. */
function sharedFolder(name: 'postgres' | 'clusters'): string {
  const dir = path.join(SHARED_DIR, name);
  fs.mkdirSync(dir, { recursive: true });
  for (const folder of [SHARED_DIR, dir]) fs.chmodSync(folder, 0o711);
  return dir;
}

/**
 * The folder of PostgreSQL binaries (bin, lib, share) that `who` can execute: `packaged` itself
 * when reachable, else its copy under the shared folder, named by the server binary's SHA-256 so
 * that each build is copied once and never mistaken for another, and copied beside its place and
 * renamed into it, so two starts at once never see half a copy.
 */
export function reachableBinaries(packaged: string, who: Account): string {
  if (firstClosedFolder(packaged, who) === undefined) return packaged;
  const build = createHash('sha256').update(fs.readFileSync(path.join(packaged, 'bin', 'postgres'))).digest('hex').slice(0, 16);
  const target = path.join(sharedFolder('postgres'), build);
  if (fs.existsSync(path.join(target, 'bin', 'postgres'))) return target;
  const partial = `${target}.partial-${randomBytes(4).toString('hex')}`;
  fs.cpSync(packaged, partial, { recursive: true, verbatimSymlinks: true, preserveTimestamps: true });
  fs.chmodSync(partial, 0o755);
  try {
    fs.renameSync(partial, target);
  } catch (e) {
    fs.rmSync(partial, { recursive: true, force: true });
    if (!fs.existsSync(path.join(target, 'bin', 'postgres'))) throw e;
  }
  return target;
}

export interface DataLocation {
  /** Where the cluster really is: `dir` itself, or the folder `dir` links to. */
  real: string;
  /** Whether the cluster lives apart from `dir` (a link), so discarding it removes both. */
  linked: boolean;
}

function isEmptyFolder(dir: string): boolean {
  return fs.statSync(dir).isDirectory() && fs.readdirSync(dir).length === 0;
}

/**
 * Where the cluster asked for at `dir` is, or will be, such that `who` reaches it; created owned
 * by `who` (mode 700) when new. An empty folder left unreachable by an earlier failed start is
 * replaced; one holding a cluster is never moved behind the user's back.
 */
export function reachableDataDir(dir: string, who: Account, opts: { persistent: boolean }): DataLocation {
  const existing = fs.lstatSync(dir, { throwIfNoEntry: false });
  if (existing?.isSymbolicLink()) {
    const target = path.resolve(path.dirname(dir), fs.readlinkSync(dir));
    if (!fs.existsSync(target)) throw PostgresDataLinkBroken({ link: dir, target });
    const blocked = firstClosedFolder(target, who);
    if (blocked) throw PostgresDataUnreachable({ dir: target, blocked });
    return { real: target, linked: true };
  }
  if (existing) {
    const blocked = firstClosedFolder(dir, who);
    if (!blocked) return { real: dir, linked: false };
    if (!isEmptyFolder(dir)) throw PostgresDataUnreachable({ dir, blocked });
    fs.rmdirSync(dir);
  }
  const parent = path.dirname(dir);
  fs.mkdirSync(parent, { recursive: true });
  if (firstClosedFolder(parent, who) === undefined) {
    fs.mkdirSync(dir, { mode: 0o700 });
    fs.chownSync(dir, who.uid, who.gid);
    return { real: dir, linked: false };
  }
  // A throwaway cluster goes where the system clears temporary files, if `postgres` can reach it.
  const tmp = os.tmpdir();
  const home = !opts.persistent && firstClosedFolder(tmp, who) === undefined ? tmp : sharedFolder('clusters');
  const real = privateFolderUnder(home, who);
  fs.symlinkSync(real, dir);
  return { real, linked: true };
}

/** Removes a cluster and, when it lived apart, the link to it. */
export function discardDataDir(dir: string): void {
  const stat = fs.lstatSync(dir, { throwIfNoEntry: false });
  if (stat?.isSymbolicLink()) fs.rmSync(path.resolve(path.dirname(dir), fs.readlinkSync(dir)), { recursive: true, force: true });
  fs.rmSync(dir, { recursive: true, force: true });
}
