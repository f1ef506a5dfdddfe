/**
 * An append-only byte buffer grown in fixed chunks, so appending never copies what is
 * already written and memory stays a small constant above the bytes held. BIFF records are
 * small and never straddle a chunk, which keeps every write a plain indexed store.
 */
const CHUNK = 1 << 20;
const scratch = new DataView(new ArrayBuffer(8));
const scratchBytes = new Uint8Array(scratch.buffer);

export class ByteSink {
  private readonly done: Uint8Array[] = [];
  private chunk = new Uint8Array(CHUNK);
  /** Write position inside `chunk`. */
  pos = 0;
  private doneBytes = 0;

  get length(): number {
    return this.doneBytes + this.pos;
  }

  /** The current chunk, with room for `n` more bytes at `pos`. */
  reserve(n: number): Uint8Array {
    if (this.pos + n > this.chunk.length) {
      this.done.push(this.chunk.subarray(0, this.pos));
      this.doneBytes += this.pos;
      this.chunk = new Uint8Array(Math.max(CHUNK, n));
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
    for (const c of this.done) {
      target.set(c, offset);
      offset += c.length;
    }
    target.set(this.chunk.subarray(0, this.pos), offset);
    return offset + this.pos;
  }
}
