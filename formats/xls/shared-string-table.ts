/**
 * The BIFF8 shared string table (SST) and its index (EXTSST), encoded as strings arrive so
 * the table never exists twice in memory. Records carry at most 8,224 bytes: a long string
 * continues in CONTINUE records, and each continuation restarts with the option byte that
 * says whether its characters are 8- or 16-bit. A string's header and a UTF-16 surrogate
 * pair are never split, so every reader can decode each piece on its own.
 */
import { detached } from '../../domain/memo';
import type { ByteSink } from './byte-sink';

export const MAX_RECORD_DATA = 8224;
const SST = 0x00fc;
const CONTINUE = 0x003c;
const EXTSST = 0x00ff;
/** Strings per EXTSST bucket are a multiple of this; Excel keeps at most 128 buckets. */
const BUCKET_STEP = 8;
const MAX_BUCKETS = 128;
/** cch (2) + option byte (1). */
const STRING_HEADER = 3;
const NOT_LATIN1 = /[^\u0000-\u00ff]/;

export class SharedStringTable {
  private readonly ids = new Map<string, number>();
  private readonly record = Buffer.alloc(MAX_RECORD_DATA);
  /** cstTotal and cstUnique come first; they are filled in when the table is copied out. */
  private recordLength = 8;
  private firstRecord = true;
  /** Bytes of records already closed, headers included. */
  private closedBytes = 0;
  /** Every 8th string: where it starts from the SST record's first byte, and inside its record. */
  private readonly bucketPositions: number[] = [];
  private readonly bucketOffsets: number[] = [];
  private references = 0;
  private entries = 0;
  private extsstCount = 0;

  /**
   * `dedupLimit`: how many distinct texts are remembered to share one entry. Past it, a new
   * text gets an entry of its own each time (the format allows repeats): frequent values
   * ("Kinh", "Việt Nam") come early and stay shared, while a province's mostly distinct names
   * do not pile up in memory.
   */
  constructor(
    private readonly out: ByteSink,
    private readonly dedupLimit = Infinity,
  ) {}

  get entryCount(): number {
    return this.entries;
  }

  /** The index of `text` in the table, adding it on first sight; counts one cell reference. */
  idOf(text: string): number {
    this.references++;
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.entries++;
      if (this.ids.size < this.dedupLimit) this.ids.set(detached(text), id);
      this.append(text, id);
    }
    return id;
  }

  private append(text: string, id: number): void {
    const wide = NOT_LATIN1.test(text);
    const unit = wide ? 2 : 1;
    // The header and the first character (a whole surrogate pair) start in the same record.
    if (this.recordLength + STRING_HEADER + 2 * unit > MAX_RECORD_DATA) this.closeRecord();
    if (id % BUCKET_STEP === 0) {
      this.bucketPositions.push(this.closedBytes + 4 + this.recordLength);
      this.bucketOffsets.push(4 + this.recordLength);
    }
    const r = this.record;
    r.writeUInt16LE(text.length, this.recordLength);
    r[this.recordLength + 2] = wide ? 1 : 0;
    this.recordLength += STRING_HEADER;
    const encoding = wide ? 'utf16le' : 'latin1';
    let from = 0;
    for (;;) {
      let n = Math.min(text.length - from, Math.floor((MAX_RECORD_DATA - this.recordLength) / unit));
      const end = from + n;
      if (end < text.length && isHighSurrogate(text.charCodeAt(end - 1))) n--;
      if (n > 0) {
        if (n <= SHORT_TEXT) copyChars(r, this.recordLength, text, from, n, wide);
        else r.write(n === text.length ? text : text.slice(from, from + n), this.recordLength, encoding);
        this.recordLength += n * unit;
        from += n;
      }
      if (from >= text.length) return;
      this.closeRecord();
      r[this.recordLength++] = wide ? 1 : 0;
    }
  }

  private closeRecord(): void {
    this.out.u16(this.firstRecord ? SST : CONTINUE);
    this.out.u16(this.recordLength);
    this.out.bytes(this.record.subarray(0, this.recordLength));
    this.closedBytes += 4 + this.recordLength;
    this.firstRecord = false;
    this.recordLength = 0;
  }

  /**
   * Closes the table: the last record, then EXTSST. `out` then holds SST…EXTSST, whose size is
   * `byteLength`. Call once, after the last `idOf`.
   */
  close(): void {
    if (this.recordLength > 0 || this.firstRecord) this.closeRecord();
    const perBucket = BUCKET_STEP * Math.max(1, Math.ceil(this.bucketPositions.length / MAX_BUCKETS));
    const every = perBucket / BUCKET_STEP;
    const buckets = Math.ceil(this.bucketPositions.length / every);
    this.extsstCount = buckets;
    this.out.u16(EXTSST);
    this.out.u16(2 + 8 * buckets);
    this.out.u16(perBucket);
    for (let b = 0; b < buckets; b++) {
      // Stream positions are patched in `patch` once the table's place in the stream is known.
      this.out.u32(this.bucketPositions[b * every]!);
      this.out.u16(this.bucketOffsets[b * every]!);
      this.out.u16(0);
    }
  }

  /** Bytes of SST, CONTINUE and EXTSST records once closed. */
  get byteLength(): number {
    return this.closedBytes + 4 + 2 + 8 * this.extsstCount;
  }

  /**
   * Fills in what depends on where the table lands: the counts in the SST record and the
   * absolute stream positions in EXTSST. `bytes` is the stream; the table starts at `at`.
   */
  patch(bytes: Buffer, at: number): void {
    bytes.writeUInt32LE(this.references, at + 4);
    bytes.writeUInt32LE(this.entries, at + 8);
    let p = at + this.closedBytes + 6;
    for (let b = 0; b < this.extsstCount; b++, p += 8) bytes.writeUInt32LE(bytes.readUInt32LE(p) + at, p);
  }
}

/** Up to this many characters are copied in a loop: cheaper than a call into Buffer.write for the short texts most cells hold. */
const SHORT_TEXT = 32;

/** `n` characters of `text` from `from`, as Latin-1 or UTF-16LE bytes at `at` (as Buffer.write encodes them). */
function copyChars(r: Buffer, at: number, text: string, from: number, n: number, wide: boolean): void {
  if (wide) {
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(from + i);
      r[at++] = c & 0xff;
      r[at++] = c >>> 8;
    }
  } else {
    for (let i = 0; i < n; i++) r[at++] = text.charCodeAt(from + i);
  }
}

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}
