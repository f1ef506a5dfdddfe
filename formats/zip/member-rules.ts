/**
 * What a zip entry is, judged from its central directory record alone, the same way for every
 * reader of zips (packages of tables, scanned pages): whether its name climbs out of the folder
 * it would be extracted to, what kind of file it is, and when two names are the same file.
 */
import type yauzl from 'yauzl';

const HOST_UNIX = 3;
const HOST_MACOS = 19;
const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

/** A name with `/` between folders: absolute, with a drive letter, a NUL, or a part that climbs (`..`). */
export function isUnsafePath(name: string): boolean {
  if (name.includes('\0')) return true;
  if (name.startsWith('/') || /^[a-zA-Z]:/.test(name)) return true;
  // Windows drops trailing dots and spaces: ".. " and "..." climb like "..".
  return name.split('/').some((s) => /^\.\.[. ]*$/.test(s));
}

/** The name as a file system would see it: separators, "./" and case do not make two names differ. */
export function identityOf(name: string): string {
  return name
    .split('/')
    .filter((s) => s !== '' && s !== '.')
    .join('/')
    .toLowerCase();
}

export type FileKind = 'file' | 'directory' | 'symlink' | 'special';

/** By the Unix mode a Unix or macOS zip tool recorded, else by a trailing `/`. */
export function fileKind(entry: Pick<yauzl.Entry, 'versionMadeBy' | 'externalFileAttributes'>, name: string): FileKind {
  const host = entry.versionMadeBy >> 8;
  const mode = (entry.externalFileAttributes >>> 16) & S_IFMT;
  if ((host === HOST_UNIX || host === HOST_MACOS) && mode !== 0) {
    if (mode === S_IFLNK) return 'symlink';
    if (mode === S_IFDIR) return 'directory';
    if (mode !== S_IFREG) return 'special';
  }
  return name.endsWith('/') ? 'directory' : 'file';
}

/**
 * Whether two entries share bytes of the zip: a zip tool writes each entry's data once, and
 * entries pointing into the same data (a "non-recursive" zip bomb) multiply what inflating
 * costs. Each entry is taken to end at its data's end as its central record counts it (the
 * local header's extra field, unknown here, only makes it longer).
 */
export function entriesOverlap(entries: ReadonlyArray<Pick<yauzl.Entry, 'relativeOffsetOfLocalHeader' | 'compressedSize' | 'fileNameLength'>>): boolean {
  const spans = entries.map((e) => [e.relativeOffsetOfLocalHeader, e.relativeOffsetOfLocalHeader + 30 + e.fileNameLength + e.compressedSize] as const).sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) if (spans[i]![0] < spans[i - 1]![1]) return true;
  return false;
}
