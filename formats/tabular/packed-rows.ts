/**
 * Rows packed into a few typed arrays: every text cell of a batch as UTF-8, each followed by a
 * NUL, and the rest beside it. A reader thread posts them transferred, not copied (posted as
 * objects, every cell would be serialized and rebuilt one by one), and the .xlsx and CSV
 * readers pack a cell's text straight from the file's bytes, so that no string is made of it
 * until the rows are used: the side that uses them decodes the batch's text as one string and
 * splits it. A text that holds the separator (XML cannot hold a NUL; a CSV can) is set aside
 * instead.
 */
import type { SheetCell, SheetRow } from '../xlsx/streaming-xlsx-reader';

export interface PackedRows {
  sheets: string[];
  /** Per row: its sheet's index in `sheets`, its row number and its number of cells. */
  rows: Int32Array;
  /** Per cell: one of the KIND values. */
  kinds: Uint8Array;
  /** Per number cell, in order. */
  numbers: Float64Array;
  /** Every packed text cell, each followed by a NUL. */
  text: Uint8Array;
  /** UTF-8 as packed; UTF-16 once `decodedText` has decoded it (on the thread with time to spare). */
  encoding: 'utf8' | 'utf16le';
  /** Texts the packed text cannot carry exactly (a NUL, a lone surrogate), in order; posted as they are. */
  aside: string[];
}

const NULL = 0;
const TEXT = 1;
const NUMBER = 2;
const TRUE = 3;
const FALSE = 4;
const ASIDE = 5;

/** In Unicode mode a surrogate matches only when it is not half of a pair. */
const NOT_PACKABLE = /\0|\p{Cs}/u;

function grown<T extends Uint8Array | Int32Array | Float64Array>(a: T, need: number): T {
  if (need <= a.length) return a;
  const b = new (a.constructor as new (n: number) => T)(Math.max(need, a.length * 2));
  b.set(a);
  return b;
}

/**
 * Builds packed rows a row at a time: `beginRow`, then the cells in order, then `take` for
 * the rows so far. Its arrays are reused from one batch to the next.
 */
export class RowPacker {
  private sheets: string[] = [];
  private rows = new Int32Array(3 * 1024);
  private kinds = new Uint8Array(32 * 1024);
  private numbers = new Float64Array(4 * 1024);
  private text = Buffer.allocUnsafe(1 << 20);
  private aside: string[] = [];
  private rowCount = 0;
  private cellCount = 0;
  private numberCount = 0;
  private textBytes = 0;
  /** Where the open row's cells start, and what was packed before it. */
  private rowStart = 0;
  private readonly before = { numbers: 0, textBytes: 0, aside: 0 };

  get pendingRows(): number {
    return this.rowCount;
  }

  /** Cells of the open row so far. */
  get cellsInRow(): number {
    return this.cellCount - this.rowStart;
  }

  beginRow(sheet: string, row: number): void {
    if (this.sheets[this.sheets.length - 1] !== sheet) this.sheets.push(sheet);
    this.rows = grown(this.rows, this.rowCount * 3 + 3);
    this.rows[this.rowCount * 3] = this.sheets.length - 1;
    this.rows[this.rowCount * 3 + 1] = row;
    this.rows[this.rowCount * 3 + 2] = 0;
    this.rowStart = this.cellCount;
    const b = this.before;
    b.numbers = this.numberCount;
    b.textBytes = this.textBytes;
    b.aside = this.aside.length;
  }

  endRow(): void {
    this.rows[this.rowCount * 3 + 2] = this.cellCount - this.rowStart;
    this.rowCount++;
  }

  /** Drops the open row's cells, for the row to be packed again another way. */
  clearRow(): void {
    const b = this.before;
    this.numberCount = b.numbers;
    this.textBytes = b.textBytes;
    this.aside.length = b.aside;
    this.cellCount = this.rowStart;
  }

  private kind(k: number): void {
    if (this.cellCount === this.kinds.length) this.kinds = grown(this.kinds, this.cellCount + 1);
    this.kinds[this.cellCount++] = k;
  }

  /** Empty cells up to column `col` (0-based) of the open row. */
  nullsTo(col: number): void {
    while (this.cellCount - this.rowStart < col) this.kind(NULL);
  }

  cell(v: SheetCell): void {
    if (typeof v === 'string') this.string(v);
    else if (typeof v === 'number') this.number(v);
    else this.kind(v === null ? NULL : v ? TRUE : FALSE);
  }

  number(v: number): void {
    if (this.numberCount === this.numbers.length) this.numbers = grown(this.numbers, this.numberCount + 1);
    this.numbers[this.numberCount++] = v;
    this.kind(NUMBER);
  }

  private room(bytes: number): void {
    if (this.textBytes + bytes <= this.text.length) return;
    const b = Buffer.allocUnsafe(Math.max(this.textBytes + bytes, this.text.length * 2));
    this.text.copy(b, 0, 0, this.textBytes);
    this.text = b;
  }

  private endText(): void {
    this.text[this.textBytes++] = 0;
    this.kind(TEXT);
  }

  string(s: string): void {
    if (NOT_PACKABLE.test(s)) return this.putAside(s);
    this.room(s.length * 3 + 1);
    this.textBytes += this.text.write(s, this.textBytes, 'utf8');
    this.endText();
  }

  private putAside(s: string): void {
    this.aside.push(s);
    this.kind(ASIDE);
  }

  /**
   * The XML character data from `from` up to the next "<" as a text cell, its bytes as they
   * are (the decoder reads them as it would have read the whole sheet). Returns where the "<"
   * is; -1, with nothing packed, when there is markup to undo first ("&", Excel's "_x"
   * escapes, a CR that XML reads as LF) or no "<" before `end`.
   */
  markupFreeText(src: Uint8Array, from: number, end: number): number {
    this.room(end - from + 1);
    const b = this.text;
    let at = this.textBytes;
    for (let i = from; i < end; i++) {
      const c = src[i]!;
      if (c === 0x3c) {
        this.textBytes = at;
        this.endText();
        return i;
      }
      // "&", NUL and CR all lie below "'": most bytes are told apart by one comparison.
      if (c < 0x27 ? c === 0x26 || c === 0 || c === 0x0d : c === 0x5f && src[i + 1] === 0x78) return -1;
      b[at++] = c;
    }
    return -1;
  }

  /** Text already encoded as UTF-8 (by Buffer.write), holding no NUL. */
  encodedText(src: Uint8Array, from: number, to: number): void {
    this.room(to - from + 1);
    this.text.set(src.subarray(from, to), this.textBytes);
    this.textBytes += to - from;
    this.endText();
  }

  /**
   * A CSV field from its UTF-8 bytes, doubled quotes made single when it was quoted; a field
   * holding a NUL is decoded and set aside.
   */
  csvField(src: Uint8Array, from: number, to: number, quoted: boolean): void {
    this.room(to - from + 1);
    const b = this.text;
    let at = this.textBytes;
    for (let i = from; i < to; i++) {
      const c = src[i]!;
      if (c === 0) {
        const text = Buffer.from(src.buffer, src.byteOffset + from, to - from).toString('utf8');
        return this.putAside(quoted ? text.replaceAll('""', '"') : text);
      }
      b[at++] = c;
      if (quoted && c === 0x22 && src[i + 1] === 0x22) i++;
    }
    this.textBytes = at;
    this.endText();
  }

  /** The rows since the last `take`, in arrays of their own (to transfer). */
  take(): PackedRows {
    const packed: PackedRows = {
      sheets: this.sheets,
      rows: this.rows.slice(0, this.rowCount * 3),
      kinds: this.kinds.slice(0, this.cellCount),
      numbers: this.numbers.slice(0, this.numberCount),
      text: new Uint8Array(this.text.subarray(0, this.textBytes)),
      encoding: 'utf8',
      aside: this.aside,
    };
    // A sheet whose rows go on in the next batch is named there again.
    this.sheets = this.sheets.length ? [this.sheets[this.sheets.length - 1]!] : [];
    this.aside = [];
    this.rowCount = this.cellCount = this.numberCount = this.textBytes = this.rowStart = 0;
    return packed;
  }

  addRows(batch: readonly SheetRow[]): void {
    for (const { sheet, row, cells } of batch) {
      this.beginRow(sheet, row);
      for (const v of cells) this.cell(v);
      this.endRow();
    }
  }
}

/** Rows packed at once. */
export function packRows(batch: readonly SheetRow[]): PackedRows {
  const packer = new RowPacker();
  packer.addRows(batch);
  return packer.take();
}

/** The arrays to transfer with a posted batch. */
export function transferables(p: PackedRows): ArrayBuffer[] {
  return [p.rows.buffer, p.kinds.buffer, p.numbers.buffer, p.text.buffer] as ArrayBuffer[];
}

/** The rows with their text decoded to UTF-16, which the side that unpacks them copies instead of decoding. */
export function decodedText(p: PackedRows): PackedRows {
  if (p.encoding === 'utf16le') return p;
  const text = Buffer.from(p.text.buffer, p.text.byteOffset, p.text.byteLength).toString('utf8');
  const utf16 = new Uint8Array(text.length * 2);
  Buffer.from(utf16.buffer).write(text, 'utf16le');
  return { ...p, text: utf16, encoding: 'utf16le' };
}

export function unpackRows(p: PackedRows): SheetRow[] {
  const out: SheetRow[] = new Array(p.rows.length / 3);
  const { kinds, numbers, aside } = p;
  // One string for the batch, split into the text cells.
  const texts = Buffer.from(p.text.buffer, p.text.byteOffset, p.text.byteLength).toString(p.encoding).split('\0');
  let c = 0;
  let n = 0;
  let t = 0;
  let a = 0;
  for (let i = 0; i < out.length; i++) {
    const count = p.rows[i * 3 + 2]!;
    const cells: SheetCell[] = new Array(count);
    for (let j = 0; j < count; j++, c++) {
      const kind = kinds[c];
      if (kind === TEXT) cells[j] = texts[t++]!;
      else if (kind === NUMBER) cells[j] = numbers[n++]!;
      else if (kind === ASIDE) cells[j] = aside[a++]!;
      else cells[j] = kind === NULL ? null : kind === TRUE;
    }
    out[i] = { sheet: p.sheets[p.rows[i * 3]!]!, row: p.rows[i * 3 + 1]!, cells };
  }
  // The text ends with a NUL: one piece more than there are texts.
  if (t !== texts.length - 1) throw new Error(`packed rows: ${texts.length - 1} texts for ${t} text cells`);
  return out;
}
