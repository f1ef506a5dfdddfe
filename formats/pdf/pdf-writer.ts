/**
 * PDF bytes written directly: numbered objects, each at an offset it records, and the
 * cross-reference table and trailer that list them. For generated pages (minimal-pdf.ts, the
 * generator's register pages), where a document model costs more than the page.
 */
export class PdfWriter {
  readonly parts: Buffer[] = [];
  /** Offset of each object written, the first being `firstObject`. */
  readonly offsets: number[] = [];
  length: number;

  /** `start`: the bytes before these (a prefix written once and reused), 0 for a whole file. */
  constructor(readonly firstObject = 1, start = 0) {
    this.length = start;
  }

  add(b: Buffer | string): void {
    const buf = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
    this.parts.push(buf);
    this.length += buf.length;
  }

  object(body: string, stream?: Buffer): void {
    this.offsets.push(this.length);
    this.add(`${this.firstObject + this.offsets.length - 1} 0 obj\n${body}\n`);
    if (stream) {
      this.add('stream\n');
      this.add(stream);
      this.add('\nendstream\n');
    }
    this.add('endobj\n');
  }

  /** The table of objects 1 to n at `offsets` (this writer's own when not given), the trailer with `trailer`'s entries besides /Size, and the end. */
  end(trailer: string, offsets: readonly number[] = this.offsets): void {
    const xref = this.length;
    this.add(`xref\n0 ${offsets.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`);
    this.add(`trailer\n<< /Size ${offsets.length + 1} ${trailer} >>\nstartxref\n${xref}\n%%EOF\n`);
  }
}
