/**
 * Content-addressed file store: every file is kept once, under its SHA-256, read-only.
 * Local disk by default; an S3-compatible store can implement the same interface.
 * Writes go to a temporary name and are renamed into place, so a crash never leaves a
 * half-written file visible under a hash, and writing the same bytes twice is a no-op.
 */
import { randomBytes } from 'node:crypto';
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
  has(sha256: string): Promise<boolean>;
  open(sha256: string): Readable;
  /** A local path for libraries that need one (readers of .xls, zip); read-only. */
  localPath(sha256: string): string;
  verify(sha256: string): Promise<void>;
}

const HEX64 = /^[0-9a-f]{64}$/;

/**
 * The fan-out folders exist for all but the first files under them: creating them only when
 * the rename finds them missing spares each put a mkdir, which costs more than writing a
 * 100 kB scan on some disks. Asynchronous, so that many small puts (a zip of scans) overlap
 * their file-system calls instead of queueing on the event loop.
 */
async function renameIntoPlace(tmp: string, target: string): Promise<void> {
  try {
    await fs.promises.rename(tmp, target);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    await fs.promises.mkdir(path.dirname(target), { recursive: true });
    await fs.promises.rename(tmp, target);
  }
}

const exists = (file: string) => fs.promises.access(file).then(
  () => true,
  () => false,
);

export function createLocalContentStore(root: string): ContentStore {
  const objects = path.join(root, 'sha256');
  const incoming = path.join(root, 'incoming');
  fs.mkdirSync(objects, { recursive: true });
  fs.mkdirSync(incoming, { recursive: true });

  const objectPath = (sha256: string): string => {
    if (!HEX64.test(sha256)) throw StoredFileMissing({ sha256 });
    return path.join(objects, sha256.slice(0, 2), sha256.slice(2, 4), sha256);
  };

  return {
    async put(source, onProgress) {
      const tmp = path.join(incoming, `${Date.now()}-${randomBytes(8).toString('hex')}`);
      const tap = createHashingTap(onProgress);
      const out = fs.createWriteStream(tmp, { mode: 0o444 });
      try {
        await pipeline(source, tap.stream, out);
        const { sha256, size } = tap.digest();
        const target = objectPath(sha256);
        if (await exists(target)) {
          await fs.promises.rm(tmp, { force: true });
          return { sha256, size, created: false };
        }
        await renameIntoPlace(tmp, target);
        return { sha256, size, created: true };
      } catch (e) {
        // The failed pipeline destroys the file stream, which may still be opening the file:
        // remove it only once the stream has closed, or a late open would leave it behind.
        if (!out.closed) await new Promise<void>((resolve) => out.once('close', () => resolve()));
        fs.rmSync(tmp, { force: true });
        throw e;
      }
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
