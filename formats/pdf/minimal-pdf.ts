/**
 * A one-page PDF showing a grey image, written directly with a correct cross-reference table:
 * a synthetic scan in microseconds (pdf-lib takes milliseconds), for tests and benchmarks that
 * need thousands of distinct pages. The pixels make each page's bytes its own; random pixels
 * compress no better than a real colour scan.
 */
const PAGE = { width: 595, height: 842 };

export function minimalPdf(pixels: Buffer, width: number): Buffer {
  if (width < 1 || pixels.length === 0 || pixels.length % width !== 0) throw new RangeError(`${pixels.length} pixels do not make rows of ${width}`);
  const height = pixels.length / width;
  const content = `q ${PAGE.width} 0 0 ${PAGE.height} 0 0 cm /Im0 Do Q`;
  const parts: Buffer[] = [];
  const offsets: number[] = [];
  let length = 0;
  const add = (b: Buffer | string) => {
    const buf = typeof b === 'string' ? Buffer.from(b, 'latin1') : b;
    parts.push(buf);
    length += buf.length;
  };
  const object = (body: string, stream?: Buffer) => {
    offsets.push(length);
    add(`${offsets.length} 0 obj\n${body}\n`);
    if (stream) {
      add('stream\n');
      add(stream);
      add('\nendstream\n');
    }
    add('endobj\n');
  };
  // The binary comment tells transfer tools the file is binary, as PDF writers do.
  add('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n');
  object('<< /Type /Catalog /Pages 2 0 R >>');
  object('<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  object(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE.width} ${PAGE.height}] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>`);
  object(`<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Length ${pixels.length} >>`, pixels);
  object(`<< /Length ${content.length} >>`, Buffer.from(content, 'latin1'));
  const xref = length;
  add(`xref\n0 ${offsets.length + 1}\n0000000000 65535 f \n${offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('')}`);
  add(`trailer\n<< /Size ${offsets.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`);
  return Buffer.concat(parts, length);
}
