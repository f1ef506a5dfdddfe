/**
 * Is a file named .pdf a PDF a viewer can open? Checked while its bytes stream into the store,
 * structurally rather than by parsing it:
 *
 * - it starts with `%PDF-` (a JPEG or Word file renamed .pdf does not);
 * - its last KiB holds `%%EOF`, after `startxref` and an offset inside the file (a file cut
 *   short in transfer does not);
 * - that offset points at a cross-reference table (`xref`) or at a cross-reference stream
 *   object (`n g obj << /Type /XRef`), as viewers need to find the pages.
 *
 * Why not parse: a scan import reads hundreds of thousands of pages at disk speed, and a full
 * parse (pdf-lib loads every object) costs milliseconds and megabytes a page, more than
 * hashing and storing it, while what goes wrong with scans in practice (renamed images,
 * truncated uploads, broken offsets) shows in these three places. The first two need only the
 * file's head and tail, kept as they pass; the offset mostly falls inside them too (the table
 * ends a file; linearized files put it near the start), and otherwise `confirm` reads those
 * few bytes back from where the file was stored.
 */
import { Transform } from 'node:stream';
import { Rejection } from '../rejection';

export type PdfRejectionCode = 'PDF_NOT_PDF' | 'PDF_DAMAGED';

const REJECTION_VI: Record<PdfRejectionCode, string> = {
  PDF_NOT_PDF: 'Tệp có đuôi .pdf nhưng nội dung không phải PDF (có thể là ảnh hoặc tệp khác được đổi tên).',
  PDF_DAMAGED: 'Tệp PDF bị hỏng hoặc không đầy đủ (không tìm thấy bảng tham chiếu của tệp); hãy quét hoặc xuất lại tệp PDF.',
};

const pdfRejection = (code: PdfRejectionCode) => new Rejection(code, REJECTION_VI[code]);
/** Most scans arrive in one chunk: no copy then. */
const joined = (chunks: Buffer[]) => (chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks));

const MAGIC = Buffer.from('%PDF-', 'latin1');
/** Bytes kept from each end: room for a linearized file's first table and a long final one. */
const KEEP = 64 << 10;
/** Viewers look for `%%EOF` this far from the end (writers and transfers append padding). */
const EOF_SEARCH = 1024;
/** Enough to see a cross-reference stream's dictionary, however many entries come before /Type. */
const XREF_WINDOW = 4096;

const STARTXREF = /startxref[\0\t\n\f\r ]+(\d+)[\0\t\n\f\r ]+%%EOF/g;
const XREF_TABLE = /^[\0\t\n\f\r ]*xref[\0\t\n\f\r ]/;
const XREF_STREAM = /^[\0\t\n\f\r ]*\d+[\0\t\n\f\r ]+\d+[\0\t\n\f\r ]+obj[\0\t\n\f\r ]*<<[\s\S]*?\/Type[\0\t\n\f\r ]*\/XRef\b/;

function pointsAtXref(window: Buffer): boolean {
  const text = window.toString('latin1');
  return XREF_TABLE.test(text) || XREF_STREAM.test(text);
}

/**
 * The verdict from a file's first bytes (`head`), its last (`end`) and its size: a rejection, the
 * offset of a cross-reference section neither holds (to read back), or undefined when sound.
 */
function verdictOf(head: Buffer, end: Buffer, total: number): PdfRejectionCode | { pending: number } | undefined {
  if (total < MAGIC.length || !head.subarray(0, MAGIC.length).equals(MAGIC)) return 'PDF_NOT_PDF';
  const endStart = total - end.length;
  const last = end.subarray(Math.max(0, end.length - EOF_SEARCH - 64)).toString('latin1');
  const matches = [...last.matchAll(STARTXREF)].filter((m) => last.length - (m.index + m[0].length) <= EOF_SEARCH);
  const offset = matches.length > 0 ? Number(matches[matches.length - 1]![1]) : NaN;
  if (!Number.isSafeInteger(offset) || offset >= total) return 'PDF_DAMAGED';
  const windowAt = (all: Buffer, allStart: number): Buffer | undefined =>
    offset >= allStart && offset + Math.min(XREF_WINDOW, total - offset) <= allStart + all.length ? all.subarray(offset - allStart, offset - allStart + XREF_WINDOW) : undefined;
  const window = windowAt(head, 0) ?? windowAt(end, endStart);
  if (window === undefined) return { pending: offset };
  return pointsAtXref(window) ? undefined : 'PDF_DAMAGED';
}

/** The same check on a whole file held in memory (a scan page): the Rejection, or undefined when sound. */
export function checkPdfBytes(bytes: Buffer): Rejection | undefined {
  const verdict = verdictOf(bytes, bytes, bytes.length);
  return typeof verdict === 'string' ? pdfRejection(verdict) : undefined;
}

export interface PdfCheck {
  /** Pass-through for the file's bytes; destroyed with a Rejection when they are not a sound PDF. */
  stream: Transform;
  /** Finishes the check once the bytes are stored, reading back the few it did not keep. */
  confirm(readAt: (position: number, length: number) => Promise<Buffer>): Promise<void>;
}

export function createPdfCheck(): PdfCheck {
  const head: Buffer[] = [];
  let headBytes = 0;
  let tail: Buffer[] = [];
  let tailBytes = 0;
  let total = 0;
  /** The table's offset when it lies outside what was kept. */
  let pending: number | undefined;

  const stream = new Transform({
    // Takes a whole chunk of a reader (1 MiB) at once: the reader can go on to the next file
    // while this one waits for the store to open its file and write.
    writableHighWaterMark: 2 << 20,
    transform(chunk: Buffer, _enc, done) {
      if (headBytes < KEEP) {
        const before = headBytes;
        head.push(chunk);
        headBytes += chunk.length;
        // Checked once, as soon as the first five bytes are in: a renamed image is never stored.
        if (before < MAGIC.length && headBytes >= MAGIC.length && !joined(head).subarray(0, MAGIC.length).equals(MAGIC)) return done(pdfRejection('PDF_NOT_PDF'));
      }
      tail.push(chunk);
      tailBytes += chunk.length;
      while (tail.length > 1 && tailBytes - tail[0]!.length >= KEEP) tailBytes -= tail.shift()!.length;
      total += chunk.length;
      done(null, chunk);
    },
    flush(done) {
      const verdict = verdictOf(joined(head), joined(tail), total);
      head.length = 0;
      tail = [];
      if (typeof verdict === 'string') return done(pdfRejection(verdict));
      pending = verdict?.pending;
      done();
    },
  });

  return {
    stream,
    async confirm(readAt) {
      if (pending === undefined) return;
      if (!pointsAtXref(await readAt(pending, XREF_WINDOW))) throw pdfRejection('PDF_DAMAGED');
    },
  };
}
