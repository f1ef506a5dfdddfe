/** SHA-256 of bytes as they stream past, and of a whole file, for the store, uploads and manifests. */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import { Transform } from 'node:stream';

export interface HashingTap {
  /** Pass-through stream that hashes and counts what flows through it. */
  stream: Transform;
  digest(): { sha256: string; size: number };
}

export function createHashingTap(onProgress?: (bytes: number) => void): HashingTap {
  const hash = createHash('sha256');
  let size = 0;
  const stream = new Transform({
    transform(chunk: Buffer, _enc, done) {
      hash.update(chunk);
      size += chunk.length;
      onProgress?.(size);
      done(null, chunk);
    },
  });
  return { stream, digest: () => ({ sha256: hash.digest('hex'), size }) };
}

export async function sha256OfFile(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 }) as AsyncIterable<Buffer>) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { sha256: hash.digest('hex'), size };
}
