import fc from 'fast-check';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { PDFDocument, StandardFonts } from 'pdf-lib';
import { isRejection } from '../rejection';
import { minimalPdf } from './minimal-pdf';
import { checkPdfBytes, createPdfCheck } from './pdf-structure';

function* chunksOf(bytes: Buffer, size: number): Generator<Buffer> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

/** The check as the scan import runs it on a large entry: streamed in chunks, then confirmed against the stored bytes. */
async function streamedVerdict(bytes: Buffer, chunk: number, readBack: (p: number, l: number) => Buffer): Promise<string> {
  const check = createPdfCheck();
  try {
    const passed = Buffer.concat(await Readable.from(chunksOf(bytes, chunk)).pipe(check.stream).toArray());
    expect(passed.equals(bytes)).toBe(true);
    await check.confirm(async (p, l) => readBack(p, l));
    return 'ok';
  } catch (e) {
    if (isRejection(e)) return e.code;
    throw e;
  }
}

/** Both ways the scan import checks a page, which must agree: on the whole bytes (pages of up to 16 MiB) and streamed. */
async function verdict(bytes: Buffer, chunk = 1 << 20, readBack?: (p: number, l: number) => Buffer): Promise<string> {
  const streamed = await streamedVerdict(bytes, chunk, readBack ?? ((p, l) => bytes.subarray(p, p + l)));
  if (!readBack) expect(checkPdfBytes(bytes)?.code ?? 'ok').toBe(streamed);
  return streamed;
}

async function pdfLibDocument(useObjectStreams: boolean): Promise<Buffer> {
  const doc = await PDFDocument.create();
  const page = doc.addPage([595, 842]);
  page.drawText('KS.2009.01.125', { font: await doc.embedFont(StandardFonts.Helvetica), x: 50, y: 800 });
  return Buffer.from(await doc.save({ useObjectStreams }));
}

/** A valid file whose only cross-reference table sits far from both ends: after 100 kB of comments and before a large image. */
function tableInTheMiddle(pixels: Buffer): Buffer {
  const header = `%PDF-1.4\n${`%${'x'.repeat(99)}\n`.repeat(1000)}`;
  const small = ['<< /Type /Catalog /Pages 2 0 R >>', '<< /Type /Pages /Kids [3 0 R] /Count 1 >>', '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Resources << /XObject << /Im0 4 0 R >> >> >>'].map(
    (body, i) => `${i + 1} 0 obj\n${body}\nendobj\n`,
  );
  const offsets: number[] = [];
  let at = header.length;
  for (const o of small) {
    offsets.push(at);
    at += o.length;
  }
  const xrefAt = at;
  const entry = (o: number) => `${String(o).padStart(10, '0')} 00000 n \n`;
  const tableLength = `xref\n0 5\n0000000000 65535 f \n`.length + 4 * 20 + `trailer\n<< /Size 5 /Root 1 0 R >>\n`.length;
  offsets.push(xrefAt + tableLength);
  const table = `xref\n0 5\n0000000000 65535 f \n${offsets.map(entry).join('')}trailer\n<< /Size 5 /Root 1 0 R >>\n`;
  expect(table.length).toBe(tableLength);
  const image = `4 0 obj\n<< /Type /XObject /Subtype /Image /Width ${pixels.length} /Height 1 /ColorSpace /DeviceGray /BitsPerComponent 8 /Length ${pixels.length} >>\nstream\n`;
  return Buffer.concat([Buffer.from(header + small.join('') + table + image, 'latin1'), pixels, Buffer.from(`\nendstream\nendobj\nstartxref\n${xrefAt}\n%%EOF\n`, 'latin1')]);
}

test('PDFs written with a cross-reference table and with a cross-reference stream pass', async () => {
  const table = await pdfLibDocument(false);
  const stream = await pdfLibDocument(true);
  expect(table.includes('\nxref\n')).toBe(true);
  expect(stream.includes('/XRef')).toBe(true);
  expect(await verdict(table)).toBe('ok');
  expect(await verdict(stream)).toBe('ok');
  expect(await verdict(stream, 7)).toBe('ok');
});

test('the synthetic scans of tests and benchmarks are PDFs pdf-lib opens, and pass', async () => {
  const pdf = minimalPdf(randomBytes(320 * 320), 320);
  expect((await PDFDocument.load(pdf)).getPageCount()).toBe(1);
  expect(await verdict(pdf)).toBe('ok');
  expect(await verdict(pdf, 1000)).toBe('ok');
});

test('files named .pdf that are not PDFs are rejected at their first bytes', async () => {
  const jpeg = Buffer.concat([Buffer.from([0xff, 0xd8, 0xff, 0xe0, 0x00, 0x10, 0x4a, 0x46, 0x49, 0x46]), randomBytes(5000)]);
  const docx = Buffer.concat([Buffer.from('PK\x03\x04'), randomBytes(5000)]);
  expect(await verdict(jpeg)).toBe('PDF_NOT_PDF');
  expect(await verdict(docx, 2)).toBe('PDF_NOT_PDF');
  expect(await verdict(Buffer.alloc(0))).toBe('PDF_NOT_PDF');
  expect(await verdict(Buffer.from('%PD'))).toBe('PDF_NOT_PDF');
});

test('PDFs that do not parse are rejected: cut short, no trailer, a table offset that points elsewhere or outside', async () => {
  const pdf = minimalPdf(randomBytes(64 * 64), 64);
  expect(await verdict(pdf.subarray(0, pdf.length - 40))).toBe('PDF_DAMAGED');
  expect(await verdict(pdf.subarray(0, pdf.length >> 1))).toBe('PDF_DAMAGED');
  expect(await verdict(Buffer.from('%PDF-1.7\nnothing else'))).toBe('PDF_DAMAGED');
  const offset = pdf.lastIndexOf('startxref') + 'startxref\n'.length;
  const at = (n: number) => Buffer.concat([pdf.subarray(0, offset), Buffer.from(`${n}\n%%EOF\n`)]);
  expect(await verdict(at(Number(pdf.subarray(offset, pdf.indexOf('\n', offset)).toString())))).toBe('ok');
  expect(await verdict(at(2000))).toBe('PDF_DAMAGED');
  expect(await verdict(at(pdf.length + 10))).toBe('PDF_DAMAGED');
});

test('padding after %%EOF is tolerated up to 1 KiB, as viewers do', async () => {
  const pdf = minimalPdf(randomBytes(64 * 64), 64);
  expect(await verdict(Buffer.concat([pdf, Buffer.alloc(900)]))).toBe('ok');
  expect(await verdict(Buffer.concat([pdf, Buffer.alloc(3000, 0x20)]))).toBe('PDF_DAMAGED');
});

test('a table beyond the kept head and tail is confirmed by reading those bytes back', async () => {
  const pdf = tableInTheMiddle(randomBytes(300 << 10));
  expect((await PDFDocument.load(pdf)).getPageCount()).toBe(1);
  const reads: number[] = [];
  expect(
    await verdict(pdf, 1 << 14, (p, l) => {
      reads.push(p);
      return pdf.subarray(p, p + l);
    }),
  ).toBe('ok');
  expect(reads).toHaveLength(1);
  expect(await verdict(pdf, 1 << 14, () => Buffer.from('garbage'))).toBe('PDF_DAMAGED');
});

describe('properties', () => {
  test('any bytes are a PDF or refused with PDF_NOT_PDF or PDF_DAMAGED, and the streamed check agrees with the whole one', async () => {
    const bytes = fc.oneof(fc.uint8Array({ maxLength: 300 }), fc.uint8Array({ maxLength: 300 }).map((b) => Buffer.concat([Buffer.from('%PDF-1.4\n'), b, Buffer.from('\nstartxref\n9\n%%EOF\n')])));
    await fc.assert(
      fc.asyncProperty(bytes, fc.integer({ min: 1, max: 64 }), async (b, chunk) => {
        expect(['ok', 'PDF_NOT_PDF', 'PDF_DAMAGED']).toContain(await verdict(Buffer.from(b), chunk));
      }),
      { numRuns: 200 },
    );
  });

  test('a scan of any pixels passes; cut before its end-of-file marker, or with its first bytes changed, it does not', async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 16, maxLength: 16 * 40 }).filter((p) => p.length % 16 === 0), fc.nat(), fc.nat(4), async (pixels, cutAt, at) => {
        const pdf = minimalPdf(Buffer.from(pixels), 16);
        expect(await verdict(pdf)).toBe('ok');
        const eof = pdf.lastIndexOf('%%EOF');
        expect(await verdict(pdf.subarray(0, cutAt % eof))).not.toBe('ok');
        const renamed = Buffer.from(pdf);
        renamed[at] = renamed[at]! ^ 0x20;
        expect(await verdict(renamed)).toBe('PDF_NOT_PDF');
      }),
      { numRuns: 50 },
    );
  });
});
