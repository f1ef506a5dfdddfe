/**
 * Synthetic scanned register pages: one small PDF per entry showing the entry's fields the way a
 * register page lists them, in Vietnamese with an embedded font that has the glyphs (DejaVu
 * Sans, a subset covering Vietnamese, with a ToUnicode map so the text can be extracted).
 *
 * The bytes are written directly, as formats/pdf/minimal-pdf.ts writes its pages: the font's
 * objects are the same in every page, so they are laid out once per process behind the header,
 * and a page adds only its catalog, page tree, page, content stream and cross-reference table,
 * whose offsets follow from that prefix. pdf-lib took about 2 ms a page building its document
 * model and deflating in JavaScript, hours for a province's million pages.
 */
import zlib from 'node:zlib';
import fs from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import { PdfWriter } from '../../formats/pdf/pdf-writer';

const FONT_FILE = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const VIETNAMESE_LETTERS = 'aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệfghiìíỉĩịjklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvwxyỳýỷỹỵz';
const CHARSET = `${' !"#$%&\'()*+,-./0123456789:;<=>?@[\\]^_`{|}~–—‘’“”…·°'}${VIETNAMESE_LETTERS}${VIETNAMESE_LETTERS.toLocaleUpperCase('vi')}`;
const FONT_NAME = 'HTFLOW+DejaVuSans';
/** A4 in points. */
const PAGE = [595.28, 841.89] as const;
/** Fixed document dates, so the same entry gives the same bytes. */
const FIXED_DATE = 'D:20000101000000Z';
/** The font's objects and the document information come first (1 to 6), the same in every page. */
const FONT_OBJECT = 5;
const INFO_OBJECT = 6;
const CATALOG_OBJECT = 7;

interface PageFont {
  /** By UTF-16 code unit (every character of the subset is in the BMP): its glyph as 4 hex digits of the Identity-H encoding, '0000' (.notdef) when the font lacks it. */
  hexOf: string[];
  /** By UTF-16 code unit: its advance in thousandths of the font size. */
  widthOf: Uint16Array;
  /** The header and objects 1 to 6. */
  prefix: Buffer;
  prefixOffsets: number[];
}

interface FontkitSubset {
  includeGlyph(glyph: number): number;
  encodeStream(): NodeJS.EventEmitter;
}

let pageFont: Promise<PageFont> | undefined;

function buildFont(): Promise<PageFont> {
  const font = fontkit.create(fs.readFileSync(FONT_FILE));
  const scale = 1000 / font.unitsPerEm;
  const subset = font.createSubset() as unknown as FontkitSubset;
  const hexOf = new Array<string>(0x10000).fill('0000');
  const widthOf = new Uint16Array(0x10000);
  const gidWidths: number[] = [Math.round(font.getGlyph(0).advanceWidth * scale)];
  const unicodeOf: Array<[number, number]> = [];
  const hex4 = (n: number) => n.toString(16).padStart(4, '0');
  for (const ch of new Set([...CHARSET.normalize('NFC')])) {
    const glyph = font.glyphForCodePoint(ch.codePointAt(0)!);
    if (!glyph || glyph.id === 0) continue;
    if (ch.length !== 1) throw new Error(`register page font: ${ch} is outside the BMP`);
    const gid = subset.includeGlyph(glyph.id);
    const width = Math.round(glyph.advanceWidth * scale);
    hexOf[ch.charCodeAt(0)] = hex4(gid);
    widthOf[ch.charCodeAt(0)] = width;
    gidWidths[gid] = width;
    unicodeOf.push([gid, ch.codePointAt(0)!]);
  }
  const blocks: string[] = [];
  for (let i = 0; i < unicodeOf.length; i += 100) {
    const part = unicodeOf.slice(i, i + 100);
    blocks.push(`${part.length} beginbfchar\n${part.map(([g, u]) => `<${hex4(g)}> <${hex4(u)}>`).join('\n')}\nendbfchar`);
  }
  const toUnicode = [
    '/CIDInit /ProcSet findresource begin', '12 dict begin', 'begincmap',
    '/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def', '/CMapName /Adobe-Identity-UCS def', '/CMapType 2 def',
    '1 begincodespacerange', '<0000> <FFFF>', 'endcodespacerange', ...blocks, 'endcmap', 'CMapName currentdict /CMap defineresource pop', 'end', 'end',
  ].join('\n');
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    subset
      .encodeStream()
      .on('data', (b: Uint8Array) => parts.push(Buffer.from(b)))
      .on('error', reject)
      .on('end', () => {
        const program = Buffer.concat(parts);
        const deflated = zlib.deflateSync(program);
        const cmap = zlib.deflateSync(Buffer.from(toUnicode, 'latin1'));
        const { minX, minY, maxX, maxY } = font.bbox;
        const bbox = [minX, minY, maxX, maxY].map((v) => Math.round(v * scale));
        const pdf = new PdfWriter(1, 0);
        // The binary comment tells transfer tools the file is binary, as PDF writers do.
        pdf.add('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n');
        pdf.object(`<< /Filter /FlateDecode /Length ${deflated.length} /Length1 ${program.length} >>`, deflated);
        pdf.object(
          `<< /Type /FontDescriptor /FontName /${FONT_NAME} /Flags 32 /FontBBox [${bbox.join(' ')}] /ItalicAngle 0 /Ascent ${Math.round(font.ascent * scale)} ` +
            `/Descent ${Math.round(font.descent * scale)} /CapHeight ${Math.round((font.capHeight || font.ascent) * scale)} /StemV 80 /FontFile2 1 0 R >>`,
        );
        pdf.object(
          `<< /Type /Font /Subtype /CIDFontType2 /BaseFont /${FONT_NAME} /CIDToGIDMap /Identity /FontDescriptor 2 0 R ` +
            `/CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /W [0 [${Array.from(gidWidths, (w) => w ?? 0).join(' ')}]] >>`,
        );
        pdf.object(`<< /Filter /FlateDecode /Length ${cmap.length} >>`, cmap);
        pdf.object(`<< /Type /Font /Subtype /Type0 /BaseFont /${FONT_NAME} /Encoding /Identity-H /DescendantFonts [3 0 R] /ToUnicode 4 0 R >>`);
        pdf.object(`<< /Producer (hotich-flow) /CreationDate (${FIXED_DATE}) /ModDate (${FIXED_DATE}) >>`);
        if (pdf.offsets.length !== INFO_OBJECT) throw new Error(`register page prefix: ${pdf.offsets.length} objects, not ${INFO_OBJECT}`);
        resolve({ hexOf, widthOf, prefix: Buffer.concat(pdf.parts), prefixOffsets: pdf.offsets });
      });
  });
}

export interface RegisterPage {
  /** "SỔ ĐĂNG KÝ KHAI SINH". */
  title: string;
  /** "UBND phường Phúc Xá — Quận Ba Đình — Thành phố Hà Nội". */
  agency: string;
  /** "Quyển số 01 / 2009 — Số 125". */
  reference: string;
  /** Label and value of every field the entry records. */
  fields: ReadonlyArray<readonly [string, string]>;
}

/** `text` in NFC: a character the font lacks shows as glyph 0 (.notdef), as it did with pdf-lib. */
function encode(font: PageFont, text: string): string {
  let hex = '';
  for (let i = 0; i < text.length; i++) hex += font.hexOf[text.charCodeAt(i)]!;
  return hex;
}

/** `text` in NFC, in thousandths of the font size. */
function textWidth(font: PageFont, text: string): number {
  let w = 0;
  for (let i = 0; i < text.length; i++) w += font.widthOf[text.charCodeAt(i)]!;
  return w;
}

/** Splits `text` (in NFC) into lines no wider than `width` thousandths of the font size, at spaces. */
function wrap(font: PageFont, text: string, width: number): string[] {
  const lines: string[] = [];
  const space = textWidth(font, ' ');
  let line = '';
  let lineWidth = 0;
  for (const word of text.split(/\s+/)) {
    const wordWidth = textWidth(font, word);
    if (!line) {
      line = word;
      lineWidth = wordWidth;
    } else if (lineWidth + space + wordWidth > width) {
      lines.push(line);
      line = word;
      lineWidth = wordWidth;
    } else {
      line += ` ${word}`;
      lineWidth += space + wordWidth;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/** A number as a content stream writes it: at most two decimals, no exponent. */
const num = (n: number) => String(Math.round(n * 100) / 100);

function contentOf(font: PageFont, page: RegisterPage): string {
  const ops = [`q 0.2 0.2 0.2 RG 0.8 w 36 36 ${num(PAGE[0] - 72)} ${num(PAGE[1] - 72)} re S Q`];
  let y = PAGE[1] - 80;
  const centred = (text: string, size: number) => Math.max(56, (PAGE[0] - (textWidth(font, text) * size) / 1000) / 2);
  const line = (text: string, size: number, x = 56) => {
    ops.push(`BT /F1 ${num(size)} Tf ${num(x)} ${num(y)} Td <${encode(font, text)}> Tj ET`);
    y -= size * 1.45;
  };
  const title = page.title.normalize('NFC');
  const reference = page.reference.normalize('NFC');
  line(page.agency.normalize('NFC'), 10);
  y -= 8;
  line(title, 16, centred(title, 16));
  line(reference, 11, centred(reference, 11));
  y -= 10;
  for (const [label, value] of page.fields) {
    const lines = wrap(font, `${label}: ${value}`.normalize('NFC'), ((PAGE[0] - 130) * 1000) / 10.5);
    for (const [i, text] of lines.entries()) line(text, 10.5, i === 0 ? 64 : 84);
    if (y < 60) break;
  }
  return ops.join('\n');
}

export async function registerPagePdf(page: RegisterPage): Promise<Buffer> {
  const font = await (pageFont ??= buildFont());
  const content = zlib.deflateSync(Buffer.from(contentOf(font, page), 'latin1'), { level: 1 });
  const pdf = new PdfWriter(CATALOG_OBJECT, font.prefix.length);
  pdf.object(`<< /Type /Catalog /Pages ${CATALOG_OBJECT + 1} 0 R >>`);
  pdf.object(`<< /Type /Pages /Kids [${CATALOG_OBJECT + 2} 0 R] /Count 1 >>`);
  pdf.object(
    `<< /Type /Page /Parent ${CATALOG_OBJECT + 1} 0 R /MediaBox [0 0 ${PAGE[0]} ${PAGE[1]}] /Resources << /Font << /F1 ${FONT_OBJECT} 0 R >> >> /Contents ${CATALOG_OBJECT + 3} 0 R >>`,
  );
  pdf.object(`<< /Filter /FlateDecode /Length ${content.length} >>`, content);
  pdf.end(`/Root ${CATALOG_OBJECT} 0 R /Info ${INFO_OBJECT} 0 R`, [...font.prefixOffsets, ...pdf.offsets]);
  return Buffer.concat([font.prefix, ...pdf.parts], pdf.length);
}
