/**
 * Content-addressed file store: every file is kept once, under its SHA-256, read-only.
 * Local disk by default; an S3-compatible store can implement the same interface.
 * Writes go to a temporary name and are renamed into place, so a crash never leaves a
 * half-written file visible under a hash, and writing the same bytes twice is a no-op.
 */
import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Readable } from 'node:stream';
import { defineError } from '../../domain/errors';
import { createHashingTap, sha256OfFile } from './hashing';

export const StoredFileMissing = defineError<{ sha256: string }>(
  'STORED_FILE_MISSING',
  'not_found',
  (p) => `no stored file with SHA-256 ${p.sha256}`,
  (p) => `Không tìm thấy tệp có mã SHA-256 ${p.sha256} trong kho lưu trữ.`,
);

export const StoredFileCorrupt = defineError<{ sha256: string; actual: string }>(
  'STORED_FILE_CORRUPT',
  'integrity',
  (p) => `stored file ${p.sha256} now hashes to ${p.actual}`,
  (p) => `Tệp ${p.sha256} trong kho đã bị thay đổi (mã SHA-256 hiện tại ${p.actual}).`,
);

export interface StoredFile {
  sha256: string;
  size: number;
  /** False when the store already held these bytes. */
  created: boolean;
}

export interface ContentStore {
  put(source: Readable, onProgress?: (bytes: number) => void): Promise<StoredFile>;
  /** The same for bytes already in memory (a page of a scan zip). */
  putBytes(bytes: Buffer): Promise<StoredFile>;
  has(sha256: string): Promise<boolean>;
  open(sha256: string): Readable;
  /** A local path for libraries that need one (readers of .xls, zip); read-only. */
  localPath(sha256: string): string;
  verify(sha256: string): Promise<void>;
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * The fan-out folders exist for all but the first files under them: creating them only when
 * the rename finds them missing spares each put a mkdir. Synchronous: two metadata calls, cheaper
 * than a round trip through libuv's thread pool for each.
 */
function moveIntoPlace(tmp: string, target: string): void {
  try {
    fs.renameSync(tmp, target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    fs.mkdirSync(path.dirname(target), { recursive: true });
    fs.renameSync(tmp, target);
  }
}

/** The layout written and read, recorded in the store so that a store of an earlier layout is recognised and moved. */
const LAYOUT = 'sha256/<first two hex digits>/<sha256>\n';

const tolerating = (codes: string[], f: () => void) => {
  try {
    f();
  } catch (e) {
    if (!codes.includes((e as NodeJS.ErrnoException).code ?? '')) throw e;
  }
};

/**
 * Earlier stores fanned out over two levels (sha256/ab/cd/<sha256>): until a store held hundreds
 * of thousands of files, nearly every new file needed a folder of its own, and a mkdir on a scan
 * import's path costs as much as writing the page. One level of 256 folders is what git uses.
 * Processes opening the same store at once may both move files: each step tolerates the other.
 */
function adoptLayout(root: string, objects: string): void {
  const marker = path.join(root, 'LAYOUT');
  if (fs.existsSync(marker) && fs.readFileSync(marker, 'utf8') === LAYOUT) return;
  for (const first of fs.readdirSync(objects, { withFileTypes: true })) {
    if (!first.isDirectory()) continue;
    const level1 = path.join(objects, first.name);
    for (const second of fs.readdirSync(level1, { withFileTypes: true })) {
      if (!second.isDirectory()) continue;
      const level2 = path.join(level1, second.name);
      for (const file of fs.readdirSync(level2)) tolerating(['ENOENT'], () => fs.renameSync(path.join(level2, file), path.join(level1, file)));
      tolerating(['ENOENT', 'ENOTEMPTY'], () => fs.rmdirSync(level2));
    }
  }
  fs.writeFileSync(marker, LAYOUT);
}

export function createLocalContentStore(root: string): ContentStore {
  const objects = path.join(root, 'sha256');
  const incoming = path.join(root, 'incoming');
  fs.mkdirSync(objects, { recursive: true });
  fs.mkdirSync(incoming, { recursive: true });
  adoptLayout(root, objects);
  // Unique among processes and hosts sharing the store without asking the kernel for random
  // bytes per file, which a zip of ten thousand pages would.
  const temporaryPrefix = path.join(incoming, `${Date.now()}-${randomBytes(8).toString('hex')}-`);
  let temporaries = 0;
  const temporaryName = () => `${temporaryPrefix}${++temporaries}`;

  const objectPath = (sha256: string): string => {
    if (!HEX64.test(sha256)) throw StoredFileMissing({ sha256 });
    return path.join(objects, sha256.slice(0, 2), sha256);
  };

  return {
    async put(source, onProgress) {
      const tmp = temporaryName();
      const tap = createHashingTap(onProgress);
      const out = fs.createWriteStream(tmp, { mode: 0o444 });
      try {
        await pipeline(source, tap.stream, out);
        const { sha256, size } = tap.digest();
        const target = objectPath(sha256);
        if (fs.existsSync(target)) {
          await fs.promises.rm(tmp, { force: true });
          return { sha256, size, created: false };
        }
        moveIntoPlace(tmp, target);
        return { sha256, size, created: true };
      } catch (e) {
        // The failed pipeline destroys the file stream, which may still be opening the file:
        // remove it only once the stream has closed, or a late open would leave it behind.
        if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
        fs.rmSync(tmp, { force: true });
        throw e;
      }
    },
    // Synchronous calls: for a page of 100 kB, passing each call to libuv's thread pool and back
    // costs more than the call itself on our two cores, and the page is in memory already.
    async putBytes(bytes) {
      const sha256 = createHash('sha256').update(bytes).digest('hex');
      const target = objectPath(sha256);
      if (fs.existsSync(target)) return { sha256, size: bytes.length, created: false };
      const tmp = temporaryName();
      try {
        fs.writeFileSync(tmp, bytes, { mode: 0o444 });
        moveIntoPlace(tmp, target);
      } catch (e) {
        fs.rmSync(tmp, { force: true });
        throw e;
      }
      return { sha256, size: bytes.length, created: true };
    },
    async has(sha256) {
      return HEX64.test(sha256) && fs.existsSync(objectPath(sha256));
    },
    open(sha256) {
      const file = objectPath(sha256);
      if (!fs.existsSync(file)) throw StoredFileMissing({ sha256 });
      return fs.createReadStream(file);
    },
    localPath(sha256) {
      const file = objectPath(sha256);
      if (!fs.existsSync(file)) throw StoredFileMissing({ sha256 });
      return file;
    },
    async verify(sha256) {
      const { sha256: actual } = await sha256OfFile(this.localPath(sha256));
      if (actual !== sha256) throw StoredFileCorrupt({ sha256, actual });
    },
  };
}
