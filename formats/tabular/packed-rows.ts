/**
 * Rows packed for a postMessage between threads: every text cell of a batch one after another
 * as UTF-16 code units, with their end offsets, and the rest, all in typed arrays that are
 * transferred, not copied. Posted as objects, every cell would be serialized and rebuilt one
 * by one; this way the receiving thread, the one with the split's own work to do, makes one
 * string of the batch's text and a slice of it per text cell.
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
  /** Every text cell, one after another, and where each ends. */
  chars: Uint16Array;
  ends: Uint32Array;
}

const NULL = 0;
const TEXT = 1;
const NUMBER = 2;
const TRUE = 3;
const FALSE = 4;

/** The packed rows and the buffers to transfer with them. */
export function packRows(batch: readonly SheetRow[]): { packed: PackedRows; transfer: ArrayBuffer[] } {
  const sheets: string[] = [];
  let cellCount = 0;
  let textCount = 0;
  let numberCount = 0;
  let textLength = 0;
  for (const r of batch) {
    cellCount += r.cells.length;
    for (const v of r.cells) {
      if (typeof v === 'string') {
        textCount++;
        textLength += v.length;
      } else if (typeof v === 'number') numberCount++;
    }
  }
  const rows = new Int32Array(batch.length * 3);
  const kinds = new Uint8Array(cellCount);
  const numbers = new Float64Array(numberCount);
  const chars = new Uint16Array(textLength);
  const charBytes = Buffer.from(chars.buffer);
  const ends = new Uint32Array(textCount);
  let at = 0;
  let t = 0;
  let n = 0;
  let c = 0;
  for (let i = 0; i < batch.length; i++) {
    const { sheet, row, cells } = batch[i]!;
    if (sheets[sheets.length - 1] !== sheet) sheets.push(sheet);
    rows[i * 3] = sheets.length - 1;
    rows[i * 3 + 1] = row;
    rows[i * 3 + 2] = cells.length;
    for (const v of cells) {
      if (typeof v === 'string') {
        kinds[c] = TEXT;
        charBytes.write(v, at * 2, 'utf16le');
        at += v.length;
        ends[t++] = at;
      } else if (typeof v === 'number') {
        kinds[c] = NUMBER;
        numbers[n++] = v;
      } else kinds[c] = v === null ? NULL : v ? TRUE : FALSE;
      c++;
    }
  }
  return { packed: { sheets, rows, kinds, numbers, chars, ends }, transfer: [rows.buffer, kinds.buffer, numbers.buffer, chars.buffer, ends.buffer] };
}

export function unpackRows(p: PackedRows): SheetRow[] {
  const out: SheetRow[] = new Array(p.rows.length / 3);
  const { kinds, numbers, ends } = p;
  // One string for the batch, each text cell a slice of it.
  const text = Buffer.from(p.chars.buffer, p.chars.byteOffset, p.chars.byteLength).toString('utf16le');
  let c = 0;
  let n = 0;
  let t = 0;
  let from = 0;
  for (let i = 0; i < out.length; i++) {
    const count = p.rows[i * 3 + 2]!;
    const cells: SheetCell[] = new Array(count);
    for (let j = 0; j < count; j++, c++) {
      const kind = kinds[c];
      if (kind === TEXT) {
        const end = ends[t++]!;
        cells[j] = text.slice(from, end);
        from = end;
      } else if (kind === NUMBER) cells[j] = numbers[n++]!;
      else cells[j] = kind === NULL ? null : kind === TRUE;
    }
    out[i] = { sheet: p.sheets[p.rows[i * 3]!]!, row: p.rows[i * 3 + 1]!, cells };
  }
  return out;
}
