import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import { checkPdfBytes } from '../../formats/pdf/pdf-structure';
import { registerPagePdf, type RegisterPage } from './register-page-pdf';

const page: RegisterPage = {
  title: 'SỔ ĐĂNG KÝ KHAI SINH',
  agency: 'UBND phường Phúc Xá — Quận Ba Đình — Thành phố Hà Nội',
  reference: 'Quyển số 01/2009 — Số 125',
  fields: [
    ['Họ và tên', 'Nguyễn Thị Ánh Tuyết'],
    ['Ngày sinh', '12/03/2009'],
    ['Nơi sinh', 'Trạm y tế phường Phúc Xá, Quận Ba Đình, Thành phố Hà Nội, một dòng dài để xuống dòng ở chỗ có dấu cách'],
    ['Quê quán', 'Xã Hoà An, huyện Chợ Đồn, tỉnh Bắc Kạn: ỳ ỷ ỹ ỵ Ỹ Ự Ữ Ẫ ẩ'],
  ],
};

const PDFJS = require.resolve('pdfjs-dist/legacy/build/pdf.mjs');
/** pdf.js in a Node of its own (it is an ES module); Node 20 lacks Promise.withResolvers, which it needs. */
const PDFJS_TEXT = `
Promise.withResolvers ??= () => { let resolve, reject; const promise = new Promise((a, b) => { resolve = a; reject = b; }); return { promise, resolve, reject }; };
const pdfjs = await import(${JSON.stringify(PDFJS)});
const out = [];
for (const data of JSON.parse(require('node:fs').readFileSync(0, 'utf8'))) {
  const doc = await pdfjs.getDocument({ data: new Uint8Array(Buffer.from(data, 'base64')), verbosity: 0, disableFontFace: true }).promise;
  const items = (await (await doc.getPage(1)).getTextContent()).items;
  out.push({ pages: doc.numPages, lines: items.filter((i) => i.str !== '').map((i) => i.str) });
}
process.stdout.write(JSON.stringify(out));
`;

/** The text pdf.js finds on each PDF's page, line by line. */
function pdfjsLines(pdfs: Buffer[]): Array<{ pages: number; lines: string[] }> {
  const script = `const require = (await import('node:module')).createRequire(import.meta.url);\n${PDFJS_TEXT}`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { input: JSON.stringify(pdfs.map((p) => p.toString('base64'))), maxBuffer: 64 << 20 });
  return JSON.parse(out.toString('utf8')) as Array<{ pages: number; lines: string[] }>;
}

/** Every object the cross-reference table lists is where it says, and startxref points at the table. */
function xrefHolds(pdf: Buffer): void {
  const text = pdf.toString('latin1');
  const startxref = Number(/startxref\n(\d+)\n%%EOF\n$/.exec(text)![1]);
  expect(text.startsWith('xref\n', startxref)).toBe(true);
  const [, first, count] = /^xref\n(\d+) (\d+)\n/.exec(text.slice(startxref))!;
  expect(first).toBe('0');
  const rows = text.slice(startxref).split('\n').slice(2, 2 + Number(count));
  expect(rows[0]).toBe('0000000000 65535 f ');
  for (const [i, row] of rows.entries()) if (i > 0) expect(text.startsWith(`${i} 0 obj\n`, Number(row.slice(0, 10)))).toBe(true);
  expect(new RegExp(`/Size ${count} `).test(text)).toBe(true);
}

test('a register page carries its Vietnamese text, extractable by two other PDF readers, and our scan check accepts it', async () => {
  const pdf = await registerPagePdf(page);
  expect(pdf.length).toBeLessThan(40_000);
  expect(checkPdfBytes(pdf)).toBeUndefined();
  xrefHolds(pdf);
  const text = execFileSync('pdftotext', ['-layout', '-', '-'], { input: pdf }).toString('utf8').normalize('NFC').replace(/\s+/g, ' ');
  for (const s of [page.title, page.agency, page.reference, 'Họ và tên: Nguyễn Thị Ánh Tuyết', 'ỳ ỷ ỹ ỵ Ỹ Ự Ữ Ẫ ẩ', 'Xã Hoà An']) expect(text).toContain(s);
  const fonts = execFileSync('pdffonts', ['-'], { input: pdf }).toString('utf8');
  expect(fonts).toMatch(/DejaVuSans\s+CID TrueType\s+Identity-H\s+yes yes yes/);
  const [seen] = pdfjsLines([pdf]);
  expect(seen!.pages).toBe(1);
  expect(seen!.lines.slice(0, 4)).toEqual([page.agency, page.title, page.reference, 'Họ và tên: Nguyễn Thị Ánh Tuyết']);
  expect(seen!.lines.join(' ').normalize('NFC')).toContain(`Quê quán: ${page.fields[3]![1]}`);
});

test('the same page gives the same bytes', async () => {
  expect(Buffer.from(await registerPagePdf(page)).equals(Buffer.from(await registerPagePdf(page)))).toBe(true);
});

const LETTERS = 'aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệghiìíỉĩịklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvxyỳýỷỹỵ';
const word = fc.string({ minLength: 1, maxLength: 9, unit: fc.constantFrom(...`${LETTERS}${LETTERS.toLocaleUpperCase('vi')}0123456789,.:/-()`) });
const text = (maxWords: number) => fc.array(word, { minLength: 1, maxLength: maxWords }).map((w) => w.join(' '));
const pageArb: fc.Arbitrary<RegisterPage> = fc.record({
  title: text(5),
  agency: text(8),
  reference: text(6),
  fields: fc.array(fc.tuple(text(3), text(30)), { minLength: 1, maxLength: 6 }),
});

test('random Vietnamese pages: pdf.js reads back every field, our check accepts each, different pages differ', async () => {
  const pages = fc.sample(pageArb, { numRuns: 30, seed: 20261207 });
  const pdfs = await Promise.all(pages.map((p) => registerPagePdf(p)));
  const seen = pdfjsLines(pdfs);
  for (const [i, p] of pages.entries()) {
    expect(checkPdfBytes(pdfs[i]!)).toBeUndefined();
    xrefHolds(pdfs[i]!);
    const lines = seen[i]!.lines.map((l) => l.normalize('NFC'));
    expect(lines.slice(0, 3)).toEqual([p.agency, p.title, p.reference]);
    // A long field wraps at spaces onto lines of its own, each line one text object.
    expect(lines.slice(3).join(' ')).toBe(p.fields.map(([label, value]) => `${label}: ${value}`).join(' '));
  }
  const distinct = new Set(pages.map((p) => JSON.stringify(p)));
  expect(new Set(pdfs.map((b) => b.toString('base64'))).size).toBe(distinct.size);
});
