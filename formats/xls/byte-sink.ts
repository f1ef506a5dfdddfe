/**
 * An append-only byte buffer grown in fixed chunks, so appending never copies what is
 * already written and memory stays a small constant above the bytes held. BIFF records are
 * small and never straddle a chunk, which keeps every write a plain indexed store. With a
 * spill file, full chunks go to that file instead of staying in memory: the split keeps a
 * writer open for every agency and register type at once, and their bytes would not fit.
 */
import fs from 'node:fs';

const CHUNK = 1 << 20;
/**
 * The first chunk is small: a workbook's fixed records take a few hundred bytes, and a split
 * writes thousands of workbooks. A spilling sink's chunk then doubles up to SPILL_CHUNK before
 * anything spills: most of a split's writers never hold more than a few kilobytes.
 */
const FIRST_CHUNK = 4 << 10;
const SPILL_CHUNK = 64 << 10;
const scratch = new DataView(new ArrayBuffer(8));
const scratchBytes = new Uint8Array(scratch.buffer);

export class ByteSink {
  private readonly done: Uint8Array[] = [];
  private chunk: Uint8Array;
  /** Write position inside `chunk`. */
  pos = 0;
  private doneBytes = 0;
  private spilledBytes = 0;

  /**
   * `spillFile`: where full chunks go, created (or truncated) by the first chunk that fills,
   * removed by `discard`. Most writers of a split never fill one: they make no file at all.
   */
  constructor(private readonly spillFile?: string) {
    this.chunk = new Uint8Array(FIRST_CHUNK);
  }

  get length(): number {
    return this.doneBytes + this.pos;
  }

  /** The current chunk, with room for `n` more bytes at `pos`. */
  reserve(n: number): Uint8Array {
    if (this.pos + n > this.chunk.length) {
      if (this.spillFile && this.pos + n <= SPILL_CHUNK) {
        const grown = new Uint8Array(Math.min(SPILL_CHUNK, Math.max(2 * this.chunk.length, this.pos + n)));
        grown.set(this.chunk.subarray(0, this.pos));
        this.chunk = grown;
        return grown;
      }
      if (this.spillFile) {
        const full = this.chunk.subarray(0, this.pos);
        if (this.spilledBytes === 0) fs.writeFileSync(this.spillFile, full);
        else fs.appendFileSync(this.spillFile, full);
        this.spilledBytes += this.pos;
      } else {
        this.done.push(this.chunk.subarray(0, this.pos));
        this.chunk = new Uint8Array(Math.max(CHUNK, n));
      }
      this.doneBytes += this.pos;
      if (this.chunk.length < n) this.chunk = new Uint8Array(n);
      this.pos = 0;
    }
    return this.chunk;
  }

  u8(v: number): void {
    this.reserve(1)[this.pos++] = v;
  }

  u16(v: number): void {
    const b = this.reserve(2);
    b[this.pos++] = v & 0xff;
    b[this.pos++] = (v >>> 8) & 0xff;
  }

  u32(v: number): void {
    const b = this.reserve(4);
    b[this.pos++] = v & 0xff;
    b[this.pos++] = (v >>> 8) & 0xff;
    b[this.pos++] = (v >>> 16) & 0xff;
    b[this.pos++] = (v >>> 24) & 0xff;
  }

  f64(v: number): void {
    scratch.setFloat64(0, v, true);
    this.reserve(8).set(scratchBytes, this.pos);
    this.pos += 8;
  }

  bytes(src: Uint8Array): void {
    this.reserve(src.length).set(src, this.pos);
    this.pos += src.length;
  }

  /** Copies everything written into `target` at `offset`; returns the offset after it. */
  copyTo(target: Uint8Array, offset: number): number {
    if (this.spillFile && this.spilledBytes > 0) {
      const fd = fs.openSync(this.spillFile, 'r');
      try {
        for (let read = 0; read < this.spilledBytes; ) read += fs.readSync(fd, target, offset + read, this.spilledBytes - read, read);
      } finally {
        fs.closeSync(fd);
      }
      offset += this.spilledBytes;
    }
    for (const c of this.done) {
      target.set(c, offset);
      offset += c.length;
    }
    target.set(this.chunk.subarray(0, this.pos), offset);
    return offset + this.pos;
  }

  /** Removes the spill file. */
  discard(): void {
    if (this.spillFile) fs.rmSync(this.spillFile, { force: true });
  }
}
