/**
 * Synthetic scanned register pages: one small PDF per entry, made with pdf-lib, showing the
 * entry's fields the way a register page lists them, in Vietnamese with an embedded font that
 * has the glyphs (DejaVu Sans). The font subset covering Vietnamese is built once per process
 * and put into each document as ready bytes: pdf-lib's own subsetting parses the whole font
 * for every document (about 35 ms each), which makes a province's pages take hours.
 */
import zlib from 'node:zlib';
import fs from 'node:fs';
import fontkit from '@pdf-lib/fontkit';
import { PDFDocument, PDFHexString, PDFName, PDFString, beginText, endText, moveText, setFontAndSize, showText, rgb } from 'pdf-lib';

const FONT_FILE = require.resolve('dejavu-fonts-ttf/ttf/DejaVuSans.ttf');
const VIETNAMESE_LETTERS = 'aàáảãạăằắẳẵặâầấẩẫậbcdđeèéẻẽẹêềếểễệfghiìíỉĩịjklmnoòóỏõọôồốổỗộơờớởỡợpqrstuùúủũụưừứửữựvwxyỳýỷỹỵz';
const CHARSET = `${' !"#$%&\'()*+,-./0123456789:;<=>?@[\\]^_`{|}~–—‘’“”…·°'}${VIETNAMESE_LETTERS}${VIETNAMESE_LETTERS.toLocaleUpperCase('vi')}`;
const FONT_NAME = 'HTFLOW+DejaVuSans';
/** A4 in points. */
const PAGE = [595.28, 841.89] as const;
/** Fixed document dates, so the same entry gives the same bytes. */
const FIXED_DATE = new Date(Date.UTC(2000, 0, 1));

interface PageFont {
  /** The subset TrueType program, deflated. */
  program: Buffer;
  programLength: number;
  gidOf: Map<number, number>;
  widthOf: number[];
  toUnicode: string;
  bbox: number[];
  ascent: number;
  descent: number;
  capHeight: number;
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
  const gidOf = new Map<number, number>();
  const widthOf: number[] = [Math.round(font.getGlyph(0).advanceWidth * scale)];
  const unicodeOf: Array<[number, number]> = [];
  for (const ch of new Set([...CHARSET.normalize('NFC')])) {
    const glyph = font.glyphForCodePoint(ch.codePointAt(0)!);
    if (!glyph || glyph.id === 0) continue;
    const gid = subset.includeGlyph(glyph.id);
    gidOf.set(ch.codePointAt(0)!, gid);
    widthOf[gid] = Math.round(glyph.advanceWidth * scale);
    unicodeOf.push([gid, ch.codePointAt(0)!]);
  }
  const hex4 = (n: number) => n.toString(16).padStart(4, '0');
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
        const { minX, minY, maxX, maxY } = font.bbox;
        resolve({
          program: zlib.deflateSync(program),
          programLength: program.length,
          gidOf,
          widthOf,
          toUnicode,
          bbox: [minX, minY, maxX, maxY].map((v) => Math.round(v * scale)),
          ascent: Math.round(font.ascent * scale),
          descent: Math.round(font.descent * scale),
          capHeight: Math.round((font.capHeight || font.ascent) * scale),
        });
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

function encode(font: PageFont, text: string): PDFHexString {
  let hex = '';
  for (const ch of text.normalize('NFC')) hex += (font.gidOf.get(ch.codePointAt(0)!) ?? 0).toString(16).padStart(4, '0');
  return PDFHexString.of(hex);
}

function textWidth(font: PageFont, text: string, size: number): number {
  let w = 0;
  for (const ch of text.normalize('NFC')) w += font.widthOf[font.gidOf.get(ch.codePointAt(0)!) ?? 0] ?? 0;
  return (w * size) / 1000;
}

/** Splits text into lines no wider than `width` points, at spaces. */
function wrap(font: PageFont, text: string, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/)) {
    const next = line ? `${line} ${word}` : word;
    if (line && textWidth(font, next, size) > width) {
      lines.push(line);
      line = word;
    } else line = next;
  }
  if (line) lines.push(line);
  return lines;
}

export async function registerPagePdf(page: RegisterPage): Promise<Uint8Array> {
  const font = await (pageFont ??= buildFont());
  const doc = await PDFDocument.create({ updateMetadata: false });
  doc.setProducer('hotich-flow');
  doc.setCreationDate(FIXED_DATE);
  doc.setModificationDate(FIXED_DATE);
  const ctx = doc.context;
  const fileRef = ctx.register(ctx.stream(font.program, { Filter: 'FlateDecode', Length1: font.programLength }));
  const descriptorRef = ctx.register(
    ctx.obj({ Type: 'FontDescriptor', FontName: FONT_NAME, Flags: 32, FontBBox: font.bbox, ItalicAngle: 0, Ascent: font.ascent, Descent: font.descent, CapHeight: font.capHeight, StemV: 80, FontFile2: fileRef }),
  );
  const cidRef = ctx.register(
    ctx.obj({
      Type: 'Font', Subtype: 'CIDFontType2', BaseFont: FONT_NAME, CIDToGIDMap: 'Identity', FontDescriptor: descriptorRef,
      CIDSystemInfo: { Registry: PDFString.of('Adobe'), Ordering: PDFString.of('Identity'), Supplement: 0 },
      W: [0, font.widthOf.map((w) => w ?? 0)],
    }),
  );
  const toUnicodeRef = ctx.register(ctx.flateStream(font.toUnicode));
  const fontRef = ctx.register(ctx.obj({ Type: 'Font', Subtype: 'Type0', BaseFont: FONT_NAME, Encoding: 'Identity-H', DescendantFonts: [cidRef], ToUnicode: toUnicodeRef }));

  const p = doc.addPage([...PAGE]);
  p.node.setFontDictionary(PDFName.of('F1'), fontRef);
  p.drawRectangle({ x: 36, y: 36, width: PAGE[0] - 72, height: PAGE[1] - 72, borderWidth: 0.8, borderColor: rgb(0.2, 0.2, 0.2) });
  let y = PAGE[1] - 80;
  const line = (text: string, size: number, x = 56) => {
    p.pushOperators(beginText(), setFontAndSize('F1', size), moveText(x, y), showText(encode(font, text)), endText());
    y -= size * 1.45;
  };
  line(page.agency, 10);
  y -= 8;
  line(page.title, 16, Math.max(56, (PAGE[0] - textWidth(font, page.title, 16)) / 2));
  line(page.reference, 11, Math.max(56, (PAGE[0] - textWidth(font, page.reference, 11)) / 2));
  y -= 10;
  for (const [label, value] of page.fields) {
    const lines = wrap(font, `${label}: ${value}`, 10.5, PAGE[0] - 130);
    for (const [i, text] of lines.entries()) line(text, 10.5, i === 0 ? 64 : 84);
    if (y < 60) break;
  }
  return doc.save({ useObjectStreams: false });
}
