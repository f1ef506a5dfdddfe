/**
 * A one-page PDF showing a grey image, written directly with a correct cross-reference table:
 * a synthetic scan in microseconds (pdf-lib takes milliseconds), for tests and benchmarks that
 * need thousands of distinct pages. The pixels make each page's bytes its own; random pixels
 * compress no better than a real colour scan.
 */
import { PdfWriter } from './pdf-writer';

const PAGE = { width: 595, height: 842 };

export function minimalPdf(pixels: Buffer, width: number): Buffer {
  if (width < 1 || pixels.length === 0 || pixels.length % width !== 0) throw new RangeError(`${pixels.length} pixels do not make rows of ${width}`);
  const height = pixels.length / width;
  const content = `q ${PAGE.width} 0 0 ${PAGE.height} 0 0 cm /Im0 Do Q`;
  const pdf = new PdfWriter();
  // The binary comment tells transfer tools the file is binary, as PDF writers do.
  pdf.add('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n');
  pdf.object('<< /Type /Catalog /Pages 2 0 R >>');
  pdf.object('<< /Type /Pages /Kids [3 0 R] /Count 1 >>');
  pdf.object(`<< /Type /Page /Parent 2 0 R /MediaBox [0 0 ${PAGE.width} ${PAGE.height}] /Resources << /XObject << /Im0 4 0 R >> >> /Contents 5 0 R >>`);
  pdf.object(`<< /Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceGray /BitsPerComponent 8 /Length ${pixels.length} >>`, pixels);
  pdf.object(`<< /Length ${content.length} >>`, Buffer.from(content, 'latin1'));
  pdf.end('/Root 1 0 R');
  return Buffer.concat(pdf.parts, pdf.length);
}
