/**
 * The national digitisation naming rule for scanned register pages, as a setting: by default
 * zip `<TYPE>.<YEAR>.<BOOK>.zip`, PDF `<TYPE>.<YEAR>.<BOOK>.<NUMBER>.pdf` (our working reading
 * of section 4.3 of the guide to letter 1437/BTP-CNTT; a province with another rule changes
 * the pattern, not code). Parsing tolerates what people and tools do to names: case,
 * separators `.` `_` `-` mixed, spaces, one folder level, page suffixes `_2` / ` (2)`, and
 * registration numbers with a letter suffix (`125a`, `125-BS` for the book's "125/BS").
 */
import iconv from 'iconv-lite';
import { foldKey } from '../text/normalize';

export type NamePart = 'type' | 'year' | 'book' | 'number';

export interface NamingRule {
  /** e.g. "{type}.{year}.{book}.{number}"; only the order of the parts matters. */
  pdf: string;
  /** e.g. "{type}.{year}.{book}": the zip of one book, and its Excel file. */
  book: string;
  /** The register type codes the rule accepts (domain/registers). */
  typeCodes: readonly string[];
}

export const DEFAULT_PATTERNS = { pdf: '{type}.{year}.{book}.{number}', book: '{type}.{year}.{book}' } as const;

export interface EntryName {
  type: string;
  year: number;
  /** As written ("01"); compare with bookKey. */
  book: string;
  /** As in the book ("125", "125a", "125/BS"); compare with numberKey. */
  number: string;
  /** 1 for the entry's only or first file; 2, 3… for the following pages. */
  page: number;
}

export type NameRejection = 'NOT_PDF' | 'NAME_UNPARSEABLE' | 'UNKNOWN_REGISTER_TYPE' | 'FOLDER_TOO_DEEP' | 'BAD_YEAR';

export const NAME_REJECTION_VI: Record<NameRejection, string> = {
  NOT_PDF: 'Tệp không có phần mở rộng .pdf.',
  NAME_UNPARSEABLE: 'Tên tệp không theo quy tắc đặt tên <Loại sổ>.<Năm>.<Quyển số>.<Số đăng ký>.pdf.',
  UNKNOWN_REGISTER_TYPE: 'Mã loại sổ trong tên tệp không có trong danh mục loại sổ.',
  FOLDER_TOO_DEEP: 'Tệp nằm sâu hơn một cấp thư mục trong tệp nén.',
  BAD_YEAR: 'Năm trong tên tệp không hợp lệ.',
};

export type ParsedName<T> = ({ ok: true } & T) | { ok: false; reason: NameRejection; messageVi: string };

function partsOf(pattern: string): NamePart[] {
  return [...pattern.matchAll(/\{(type|year|book|number)\}/g)].map((m) => m[1] as NamePart);
}

const reject = (reason: NameRejection) => ({ ok: false as const, reason, messageVi: NAME_REJECTION_VI[reason] });

/** Splits a base name on the tolerated separators, dropping spaces around them. */
function tokens(base: string): string[] {
  return base
    .trim()
    .split(/\s*[._-]\s*|\s+/)
    .filter((t) => t !== '');
}

function assign(parts: NamePart[], toks: string[], rule: NamingRule): ParsedName<Omit<EntryName, 'page'>> {
  const out: Partial<Record<NamePart, string>> = {};
  for (const [i, part] of parts.entries()) out[part] = toks[i];
  const type = out.type?.toUpperCase();
  if (!type || !rule.typeCodes.includes(type)) return reject('UNKNOWN_REGISTER_TYPE');
  if (!out.year || !/^\d{4}$/.test(out.year)) return reject('BAD_YEAR');
  if (!out.book || !/^\d+$/.test(out.book)) return reject('NAME_UNPARSEABLE');
  if (parts.includes('number') && (!out.number || !/^\d+[a-z]?$/i.test(out.number))) return reject('NAME_UNPARSEABLE');
  return { ok: true, type, year: Number(out.year), book: out.book, number: out.number ?? '' };
}

/** A zip (or Excel) name of one book: "KS.2009.01.zip". */
export function parseBookName(fileName: string, rule: NamingRule): ParsedName<{ type: string; year: number; book: string }> {
  const base = fileName.replace(/^.*[\\/]/, '').replace(/\.(zip|xlsx?|csv)$/i, '');
  const parts = partsOf(rule.book);
  const toks = tokens(base);
  if (toks.length !== parts.length) return reject('NAME_UNPARSEABLE');
  const r = assign(parts, toks, rule);
  return r.ok ? { ok: true, type: r.type, year: r.year, book: r.book } : r;
}

/** A PDF entry of a zip, possibly inside one folder: "KS.2009.01/KS.2009.01.125_2.pdf". */
export function parseScanName(entryPath: string, rule: NamingRule): ParsedName<EntryName> {
  const segments = entryPath.split(/[\\/]/).filter((s) => s !== '');
  if (segments.length > 2) return reject('FOLDER_TOO_DEEP');
  const file = segments[segments.length - 1] ?? '';
  const ext = /\.pdf$/i.exec(file);
  if (!ext) return reject('NOT_PDF');
  let base = file.slice(0, ext.index).trim();
  let page = 1;
  const copy = /\s*\((\d{1,3})\)$/.exec(base) ?? /_(\d{1,3})$/.exec(base);
  const parts = partsOf(rule.pdf);
  if (copy && tokens(base.slice(0, copy.index)).length >= parts.length) {
    page = Number(copy[1]);
    base = base.slice(0, copy.index);
  }
  const toks = tokens(base);
  if (toks.length < parts.length) return reject('NAME_UNPARSEABLE');
  const head = assign(parts, toks.slice(0, parts.length), rule);
  if (!head.ok) return head;
  // Letters after the number belong to it: "125-BS" is the book's "125/BS".
  const rest = toks.slice(parts.length);
  if (!rest.every((t) => /^[a-z]{1,4}$/i.test(t)) || page < 1) return reject('NAME_UNPARSEABLE');
  const number = [head.number, ...rest.map((t) => t.toUpperCase())].join('/');
  return { ok: true, type: head.type, year: head.year, book: head.book, number, page };
}

/** The rule's own spelling of a name: the inverse of parseScanName on canonical parts. */
export function formatScanName(e: EntryName, rule: NamingRule): string {
  const [number, ...suffixes] = e.number.split('/');
  const values: Record<NamePart, string> = { type: e.type, year: String(e.year), book: e.book, number: [number, ...suffixes].join('-') };
  const base = rule.pdf.replace(/\{(type|year|book|number)\}/g, (_, p: NamePart) => values[p]);
  return `${base}${e.page > 1 ? `_${e.page}` : ''}.pdf`;
}

export function formatBookName(b: { type: string; year: number; book: string }, rule: NamingRule, ext = 'zip'): string {
  const values: Record<NamePart, string> = { type: b.type, year: String(b.year), book: b.book, number: '' };
  return `${rule.book.replace(/\{(type|year|book|number)\}/g, (_, p: NamePart) => values[p])}.${ext}`;
}

/** Book numbers compare without leading zeros: "01" = "1". */
export function bookKey(book: string | number): string {
  return String(book).trim().replace(/^0+(?=\d)/, '');
}

/** Registration numbers compare without leading zeros and case: "0125A" = "125a"; "125/BS" = "125-bs". */
export function numberKey(n: string | number): string {
  return foldKey(String(n)).replace(/\s+/g, '').replace(/[-_]/g, '/').replace(/^0+(?=\d)/, '');
}

/** Marks Vietnamese uses: breve, circumflex, horn, and the five tone marks. */
const VIETNAMESE_MARKS = /^[\u0300\u0301\u0302\u0303\u0306\u0309\u031B\u0323]*$/u;

/** Whether every non-ASCII letter of a name could be Vietnamese (ệ, ư, Đ …, not Ä, ß, ├). */
function onlyVietnameseLetters(s: string): boolean {
  for (const ch of s) {
    if (ch.charCodeAt(0) < 0x80) continue;
    if (ch === 'đ' || ch === 'Đ') continue;
    const d = ch.normalize('NFD');
    if (!/^[a-zA-Z]/.test(d) || !VIETNAMESE_MARKS.test(d.slice(1))) return false;
  }
  return true;
}

/**
 * A zip entry name as bytes. Zips made on Windows without the UTF-8 flag carry names in the
 * machine's OEM code page: Windows-1258 on Vietnamese Windows, else CP437 (the zip default).
 * UTF-8 is tried first (many tools write it without the flag); Windows-1258 when its reading
 * has only Vietnamese letters and at least one of them; CP437 otherwise.
 */
export function decodeZipEntryName(raw: Uint8Array, utf8Flag: boolean): { name: string; encoding: 'utf8' | 'cp437' | 'windows1258' } {
  const buf = Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength);
  const asUtf8 = buf.toString('utf8');
  if (utf8Flag || !asUtf8.includes('\uFFFD')) return { name: asUtf8.normalize('NFC'), encoding: 'utf8' };
  const cp1258 = iconv.decode(buf, 'windows1258').normalize('NFC');
  if (onlyVietnameseLetters(cp1258)) return { name: cp1258, encoding: 'windows1258' };
  return { name: iconv.decode(buf, 'cp437').normalize('NFC'), encoding: 'cp437' };
}

/** When a zip's name and the PDFs inside it name different books, the PDFs win; say so. */
export function bookDisagreement(zipName: string, entries: readonly EntryName[], rule: NamingRule): { zip: string; entries: string } | undefined {
  const zip = parseBookName(zipName, rule);
  if (!zip.ok || entries.length === 0) return undefined;
  const zipBook = `${zip.type}.${zip.year}.${bookKey(zip.book)}`;
  const inside = [...new Set(entries.map((e) => `${e.type}.${e.year}.${bookKey(e.book)}`))];
  return inside.length === 1 && inside[0] === zipBook ? undefined : { zip: zipBook, entries: inside.join(', ') };
}
