/**
 * CSV rows packed straight from the file's UTF-8 bytes: a field's bytes are copied into the
 * packer as they are (doubled quotes undone), so no string is made of a row until the side that
 * uses it decodes the batch. The rows are those papaparse gives when it reads the same bytes as a
 * stream (the reader this replaced, kept in the tests as the reference): the delimiter and line
 * break are papaparse's own guesses from the first piece, and a quote that does not close a
 * field cleanly is read the way papaparse reads it. Two things differ: a BOM is taken off the
 * bytes before anything is read (papaparse read a quoted first header after one as unquoted),
 * and a row that never ends is refused at 32 MB. Blank lines stay rows with no cells, so row
 * numbers are the file's lines.
 */
import { StringDecoder } from 'node:string_decoder';
import Papa from 'papaparse';
import { defineError } from '../../domain/errors';
import type { RowPacker } from './packed-rows';

/** A row longer than this is a quote left open: Excel holds at most 32,767 characters in a cell. */
const MAX_ROW_MB = 32;
/**
 * An unfinished row longer than this is read again only once as many bytes again have come, so
 * a long row costs its length, not its length squared.
 */
const RESCAN_AFTER = 1 << 20;

export const CsvRowTooLong = defineError<{ sheet: string; row: number; maxMb: number }>(
  'CSV_ROW_TOO_LONG',
  'validation',
  (p) => `${p.sheet}: row ${p.row} runs past ${p.maxMb} MB without ending (a quote left open?)`,
  (p) => `Tệp ${p.sheet}: dòng ${p.row} dài hơn ${p.maxMb} MB mà chưa kết thúc, có thể do thiếu dấu ngoặc kép (") đóng; đề nghị bên giao kiểm tra và gửi lại.`,
);

const QUOTE = 0x22;
const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

/** What JavaScript's `trim` removes, as the text between a closing quote and the next delimiter is judged by papaparse. */
const isBlankText = (bytes: Uint8Array, from: number, to: number) => from < to && Buffer.from(bytes.buffer, bytes.byteOffset + from, to - from).toString('utf8').trim() === '';

export class CsvRowScanner {
  private carry: Buffer | undefined;
  /** Pieces that came after a long unfinished row, not yet read with it. */
  private waiting: Buffer[] = [];
  private waitingBytes = 0;
  private delimiter = -1;
  private newline: Buffer = Buffer.from('\n');
  private row = 0;
  private bomChecked = false;
  /** Fields of the row being read so far, and whether the last was empty. */
  private fields = 0;
  private lastEmpty = false;

  constructor(
    private readonly packer: RowPacker,
    private readonly sheet: string,
  ) {}

  /** Packs every row the bytes so far complete; the rest waits for the next piece. */
  push(chunk: Buffer): void {
    if (this.carry && this.carry.length > RESCAN_AFTER && this.waitingBytes + chunk.length < this.carry.length) {
      this.waiting.push(chunk);
      this.waitingBytes += chunk.length;
      return;
    }
    let data = this.carry ? Buffer.concat([this.carry, ...this.waiting, chunk]) : chunk;
    this.waiting = [];
    this.waitingBytes = 0;
    if (!this.bomChecked) {
      // The BOM that marks UTF-8 for Excel is not text: a first header in quotes after it is still quoted.
      if (data.length < BOM.length && BOM.subarray(0, data.length).equals(data)) {
        this.carry = data;
        return;
      }
      if (data.subarray(0, BOM.length).equals(BOM)) data = data.subarray(BOM.length);
      this.bomChecked = true;
    }
    if (this.delimiter < 0 && !this.guess(data, false)) {
      this.carry = data.length ? data : undefined;
      return;
    }
    const used = this.scan(data, false);
    this.carry = used < data.length ? data.subarray(used) : undefined;
    if (this.carry && this.carry.length > MAX_ROW_MB << 20) throw CsvRowTooLong({ sheet: this.sheet, row: this.row + 1, maxMb: MAX_ROW_MB });
  }

  /** The input has ended: what is left is the last row. */
  end(): void {
    if (this.waiting.length) {
      // Rows the waiting pieces complete end as they would have, had they been read as they came.
      const data = Buffer.concat([this.carry!, ...this.waiting]);
      this.waiting = [];
      const used = this.scan(data, false);
      this.carry = used < data.length ? data.subarray(used) : undefined;
    }
    // What began like a BOM and ended before one was whole is text.
    if (this.carry?.length) {
      if (this.delimiter < 0) this.guess(this.carry, true);
      this.scan(this.carry, true);
    }
    this.carry = undefined;
  }

  /**
   * papaparse guesses on the first text it is given; so do we, by asking it. The text is the
   * bytes as a stream decodes them: a character cut at the end waits for the rest, and a piece
   * that was only the start of one gives no text, so no guess yet (false).
   */
  private guess(data: Buffer, final: boolean): boolean {
    const decoder = new StringDecoder('utf8');
    const text = final ? decoder.write(data) + decoder.end() : decoder.write(data);
    if (!text) return false;
    // Papa.parse takes a BOM off a string it is given (not off a stream): one more keeps the text as streamed.
    const meta = Papa.parse<string[]>(text.startsWith('\uFEFF') ? `\uFEFF${text}` : text, { skipEmptyLines: false, preview: 1 }).meta;
    this.delimiter = meta.delimiter.charCodeAt(0);
    this.newline = Buffer.from(meta.linebreak);
    return true;
  }

  /** Where the line break that starts at `at` ends, or -1 when none starts there. */
  private newlineAt(b: Buffer, at: number): number {
    const nl = this.newline;
    if (at + nl.length > b.length || b[at] !== nl[0]) return -1;
    return nl.length === 1 || b[at + 1] === nl[1] ? at + nl.length : -1;
  }

  /**
   * Packs the complete rows of `b` and returns where the first incomplete one starts. With
   * `final`, nothing more comes: the rest is the last row, as papaparse ends a stream.
   */
  private scan(b: Buffer, final: boolean): number {
    const len = b.length;
    const D = this.delimiter;
    const nl0 = this.newline[0]!;
    const nl1 = this.newline.length > 1 ? this.newline[1]! : -1;
    const packer = this.packer;
    let pos = 0;
    for (;;) {
      const rowStart = pos;
      packer.beginRow(this.sheet, this.row + 1);
      this.fields = 0;
      let rowDone = false;
      while (!rowDone) {
        if (pos < len && b[pos] === QUOTE) {
          const start = pos + 1;
          let search = pos;
          for (;;) {
            const q = b.indexOf(QUOTE, search + 1);
            if (q === -1) {
              if (!final) return this.incomplete(rowStart);
              // An unterminated quote takes the rest of the input, as it came.
              this.field(b, start, len, false);
              return this.endRow(len);
            }
            if (q === len - 1) {
              if (!final) return this.incomplete(rowStart);
              this.field(b, start, q, true);
              return this.endRow(len);
            }
            if (b[q + 1] === QUOTE) {
              search = q + 1;
              continue;
            }
            let delimAt = b[q + 1] === D ? q + 1 : -1;
            let rowEnd = delimAt < 0 ? this.newlineAt(b, q + 1) : -1;
            if (delimAt < 0 && rowEnd < 0) {
              // Spaces between a closing quote and the delimiter or line break are allowed.
              const d = b.indexOf(D, q + 1);
              const nl = b.indexOf(this.newline, q + 1);
              const upTo = nl === -1 ? d : Math.min(d, nl);
              if (isBlankText(b, q + 1, upTo) && b[upTo] === D) delimAt = upTo;
              else if (isBlankText(b, q + 1, nl)) rowEnd = this.newlineAt(b, nl);
            }
            if (delimAt >= 0) {
              this.field(b, start, q, true);
              pos = delimAt + 1;
            } else if (rowEnd >= 0) {
              this.field(b, start, q, true);
              pos = rowEnd;
              rowDone = true;
            } else {
              // Not a closing quote: papaparse goes on looking from the character after the next.
              search = q + 1;
              continue;
            }
            break;
          }
          continue;
        }
        let i = pos;
        for (; i < len; i++) {
          const c = b[i];
          if (c === D || (c === nl0 && (nl1 < 0 || (i + 1 < len && b[i + 1] === nl1)))) break;
        }
        if (i === len) {
          if (!final) return this.incomplete(rowStart);
          this.field(b, pos, len, false);
          return this.endRow(len);
        }
        this.field(b, pos, i, false);
        if (b[i] === D) pos = i + 1;
        else {
          pos = i + this.newline.length;
          rowDone = true;
        }
      }
      this.endRow(pos);
    }
  }

  private incomplete(rowStart: number): number {
    this.packer.clearRow();
    return rowStart;
  }

  private field(b: Buffer, from: number, to: number, quoted: boolean): void {
    this.fields++;
    if ((this.lastEmpty = from === to)) this.packer.cell(null);
    else this.packer.csvField(b, from, to, quoted);
  }

  private endRow(at: number): number {
    // A blank line is a row with no cells.
    if (this.fields === 1 && this.lastEmpty) this.packer.clearRow();
    this.packer.endRow();
    this.row++;
    return at;
  }
}
