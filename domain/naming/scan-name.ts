/**
 * The national digitisation naming rule for scanned register pages, as a setting. By default
 * zip and Excel `<TYPE>.<YEAR>.<BOOK>`, PDF `<TYPE>.<YEAR>.<BOOK>.<NUMBER>.pdf` (our working
 * reading of section 4.3 of the guide to letter 1437/BTP-CNTT); a province with another rule
 * changes the pattern, not code. Parsing tolerates what people and tools do to names: case,
 * separators `.` `_` `-` mixed and spaces around them, one folder level, page suffixes
 * (`_2`, ` (2)`), and registration numbers with a letter suffix.
 *
 * A book's supplementary entries are numbered like "125/BS"; a zip entry cannot hold "/" in a
 * file name (it separates folders), so such a number is written `125-BS` (or `125_BS`,
 * `125.BS`) and read back as "125/BS". Numbers are kept as written otherwise ("125a", "0125");
 * compare them with numberKey, and books with bookKey.
 */
import { MAX_YEAR, MIN_YEAR } from '../dates/civil-date';
import { defineError } from '../errors';
import { REGISTER_TYPE_CODES } from '../registers/register-types';
import { foldKey } from '../text/normalize';

export type NamePart = 'type' | 'year' | 'book' | 'number';

export interface NamingRule {
  /** The name of one entry's PDF without extension, e.g. "{type}.{year}.{book}.{number}". */
  pdf: string;
  /** The name of one book's zip and Excel file without extension, e.g. "{type}.{year}.{book}". */
  book: string;
  /** The register type codes the rule accepts (domain/registers). */
  typeCodes: readonly string[];
}

export const DEFAULT_PATTERNS = { pdf: '{type}.{year}.{book}.{number}', book: '{type}.{year}.{book}' } as const;
export const DEFAULT_NAMING_RULE: NamingRule = { ...DEFAULT_PATTERNS, typeCodes: REGISTER_TYPE_CODES };

export interface BookName {
  /** Upper case, one of the rule's type codes. */
  type: string;
  year: number;
  /** As written ("01"); compare with bookKey. */
  book: string;
}

export interface EntryName extends BookName {
  /** As in the book ("125", "125a", "125/BS"); compare with numberKey. */
  number: string;
  /** 1 for the entry's only or first file; 2, 3… for the files that follow. */
  page: number;
}

type PatternIssue = 'unknown' | 'twice' | 'missing';
const PATTERN_ISSUE_VI: Record<PatternIssue, string> = { unknown: 'không dùng được phần', twice: 'có hai lần phần', missing: 'thiếu phần' };

export const NamingPatternInvalid = defineError<{ pattern: string; issue: PatternIssue; parts: string }>(
  'NAMING_PATTERN_INVALID',
  'config',
  (p) => `scan naming pattern "${p.pattern}": ${p.issue} part ${p.parts}`,
  (p) => `Mẫu tên tệp quét "${p.pattern}" không hợp lệ: ${PATTERN_ISSUE_VI[p.issue]} ${p.parts}; các phần là {type}, {year}, {book} và, cho tệp PDF, {number}.`,
);

export type NameRejection = 'NOT_PDF' | 'SYSTEM_FILE' | 'FOLDER_TOO_DEEP' | 'NAME_UNPARSEABLE' | 'UNKNOWN_REGISTER_TYPE' | 'BAD_YEAR';

export type Parsed<T> = ({ ok: true } & T) | { ok: false; reason: NameRejection; messageVi: string };

const PART_LABEL_VI: Record<NamePart, string> = { type: 'Loại sổ', year: 'Năm', book: 'Quyển số', number: 'Số đăng ký' };

function rejection(reason: NameRejection, pattern: string, ext: string): { ok: false; reason: NameRejection; messageVi: string } {
  const rule = `${pattern.replace(/\{(type|year|book|number)\}/g, (_, p: NamePart) => `<${PART_LABEL_VI[p]}>`)}${ext}`;
  const messageVi = {
    NOT_PDF: 'Tệp không phải tệp .pdf.',
    SYSTEM_FILE: 'Tệp hệ thống do máy tạo ra khi nén (không phải trang sổ quét).',
    FOLDER_TOO_DEEP: 'Tệp nằm sâu hơn một cấp thư mục trong tệp nén.',
    NAME_UNPARSEABLE: `Tên tệp không theo quy tắc đặt tên ${rule}.`,
    UNKNOWN_REGISTER_TYPE: `Mã loại sổ trong tên tệp không có trong danh mục loại sổ (quy tắc ${rule}).`,
    BAD_YEAR: `Năm trong tên tệp phải gồm 4 chữ số, từ ${MIN_YEAR} đến ${MAX_YEAR} (quy tắc ${rule}).`,
  }[reason];
  return { ok: false, reason, messageVi };
}

/** Any of the tolerated separators, with spaces around it, or spaces alone. */
const SEP = String.raw`(?:\s*[._-]\s*|\s+)`;
const PART_RE: Record<NamePart, string> = {
  type: '(?<type>[A-Za-z]+)',
  year: String.raw`(?<year>\d+)`,
  book: String.raw`(?<book>\d+)`,
  // "125", "125a", "125-BS": digits, up to two letters, and a supplement of letters.
  number: String.raw`(?<number>\d+[A-Za-z]{0,2})(?:${SEP}(?<supplement>[A-Za-z]{1,4}))?`,
};
/** A number as the rule can write it: the inverse of PART_RE.number. */
const NUMBER_TEXT = /^(\d+[A-Za-z]{0,2})(?:\/([A-Za-z]{1,4}))?$/;
/** A further file of the same entry: "_2", "-2", ".2", " (2)". */
const PAGE_RE = String.raw`(?:${SEP}(?<page>\d{1,3})|\s*\((?<copy>\d{1,3})\))?`;

const compiled = new Map<string, RegExp>();

/** A pattern's regular expression: parts as groups, separators tolerant, other text literal and case-insensitive. */
function compile(pattern: string, required: readonly NamePart[], withPage: boolean): RegExp {
  const key = `${withPage ? 'pdf' : 'book'}:${pattern}`;
  const cached = compiled.get(key);
  if (cached) return cached;
  const seen = new Set<string>();
  let source = '';
  const tokens = pattern.match(/\{[^}]*\}|[._\- ]+|[^{}._\- ]+/g) ?? [];
  // A brace left open or closed alone matches no token.
  if (tokens.join('') !== pattern) throw NamingPatternInvalid({ pattern, issue: 'unknown', parts: pattern });
  for (const token of tokens) {
    if (token.startsWith('{')) {
      const part = token.slice(1, -1);
      if (!(part in PART_RE) || !required.includes(part as NamePart)) throw NamingPatternInvalid({ pattern, issue: 'unknown', parts: token });
      if (seen.has(part)) throw NamingPatternInvalid({ pattern, issue: 'twice', parts: token });
      seen.add(part);
      source += PART_RE[part as NamePart];
    } else if (/^[._\- ]+$/.test(token)) {
      source += SEP;
    } else {
      source += token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    }
  }
  const missing = required.filter((p) => !seen.has(p));
  if (missing.length > 0) throw NamingPatternInvalid({ pattern, issue: 'missing', parts: missing.map((p) => `{${p}}`).join(', ') });
  const re = new RegExp(String.raw`^\s*${source}${withPage ? PAGE_RE : ''}\s*$`, 'i');
  compiled.set(key, re);
  return re;
}

const BOOK_PARTS: readonly NamePart[] = ['type', 'year', 'book'];
const PDF_PARTS: readonly NamePart[] = ['type', 'year', 'book', 'number'];

function checkBook(groups: Record<string, string | undefined>, rule: NamingRule, pattern: string, ext: string): Parsed<BookName> {
  const type = groups.type!.toUpperCase();
  if (!rule.typeCodes.includes(type)) return rejection('UNKNOWN_REGISTER_TYPE', pattern, ext);
  const year = Number(groups.year);
  // Year 0000 or 2999 was taken as a book of its own and kept among the pages matching no record.
  if (groups.year!.length !== 4 || year < MIN_YEAR || year > MAX_YEAR) return rejection('BAD_YEAR', pattern, ext);
  return { ok: true, type, year, book: groups.book! };
}

/** Zip and Excel files of one book: "KS.2009.01.zip", "ks_2009_1.xlsx". */
export function parseBookName(fileName: string, rule: NamingRule): Parsed<BookName> {
  const file = fileName.split(/[\\/]/).pop() ?? '';
  const ext = /\.(zip|xlsx?|csv)\s*$/i.exec(file);
  const shownExt = ext ? `.${ext[1]!.toLowerCase()}` : '.zip';
  const m = compile(rule.book, BOOK_PARTS, false).exec(ext ? file.slice(0, ext.index) : file);
  return m ? checkBook(m.groups!, rule, rule.book, shownExt) : rejection('NAME_UNPARSEABLE', rule.book, shownExt);
}

/** Names that archivers and file managers add beside the real files. */
function isSystemFile(segments: readonly string[]): boolean {
  const file = segments[segments.length - 1] ?? '';
  return segments.some((s) => s === '__MACOSX') || file.startsWith('._') || /^(\.ds_store|thumbs\.db|desktop\.ini)$/i.test(file);
}

/** One PDF of a zip, at the top or inside one folder: "KS.2009.01/KS.2009.01.125_2.pdf". */
export function parseScanName(entryPath: string, rule: NamingRule): Parsed<EntryName> {
  const segments = entryPath.split(/[\\/]/).filter((s) => s !== '');
  if (isSystemFile(segments)) return rejection('SYSTEM_FILE', rule.pdf, '.pdf');
  if (segments.length > 2) return rejection('FOLDER_TOO_DEEP', rule.pdf, '.pdf');
  const file = segments[segments.length - 1] ?? '';
  const ext = /\s*\.pdf\s*$/i.exec(file);
  if (!ext) return rejection('NOT_PDF', rule.pdf, '.pdf');
  const m = compile(rule.pdf, PDF_PARTS, true).exec(file.slice(0, ext.index));
  if (!m) return rejection('NAME_UNPARSEABLE', rule.pdf, '.pdf');
  const g = m.groups!;
  const book = checkBook(g, rule, rule.pdf, '.pdf');
  if (!book.ok) return book;
  const page = Number(g.page ?? g.copy ?? 1);
  if (page < 1) return rejection('NAME_UNPARSEABLE', rule.pdf, '.pdf');
  return { ...book, number: g.supplement ? `${g.number!}/${g.supplement}` : g.number!, page };
}

function fill(pattern: string, values: Record<NamePart, string>): string {
  return pattern.replace(/\{(type|year|book|number)\}/g, (_, p: NamePart) => values[p]);
}

function checkFormattable(b: BookName, rule: NamingRule): void {
  if (!rule.typeCodes.includes(b.type)) throw new RangeError(`register type ${b.type} is not in the naming rule`);
  if (!Number.isInteger(b.year) || b.year < 1000 || b.year > 9999) throw new RangeError(`year ${b.year} is not four digits`);
  if (!/^\d+$/.test(b.book)) throw new RangeError(`book ${b.book} is not digits`);
}

/** The rule's own spelling of an entry's PDF: parseScanName gives back the same parts. */
export function formatScanName(e: EntryName, rule: NamingRule): string {
  checkFormattable(e, rule);
  const number = NUMBER_TEXT.exec(e.number);
  if (!number) throw new RangeError(`registration number ${e.number} cannot be written in a file name`);
  if (!Number.isInteger(e.page) || e.page < 1 || e.page > 999) throw new RangeError(`page ${e.page} outside 1–999`);
  compile(rule.pdf, PDF_PARTS, true); // rejects a pattern that could not read the name back
  const values = { type: e.type, year: String(e.year), book: e.book, number: number[2] ? `${number[1]}-${number[2]}` : number[1]! };
  return `${fill(rule.pdf, values)}${e.page > 1 ? `_${e.page}` : ''}.pdf`;
}

/** A book's zip (or, with ext "xlsx", Excel) file name. */
export function formatBookName(b: BookName, rule: NamingRule, ext = 'zip'): string {
  checkFormattable(b, rule);
  compile(rule.book, BOOK_PARTS, false); // rejects a pattern that could not read the name back
  return `${fill(rule.book, { type: b.type, year: String(b.year), book: b.book, number: '' })}.${ext}`;
}

/** Book numbers compare without leading zeros: "01" = "1" = 1. */
export function bookKey(book: string | number): string {
  return String(book).trim().replace(/^0+(?=\d)/, '');
}

/** Registration numbers compare without leading zeros, case or separator: "0125A" = "125a"; "125/BS" = "125-bs" = "125 BS". */
export function numberKey(n: string | number): string {
  return foldKey(String(n))
    .replace(/[\s._\-/]+/g, '/')
    .replace(/^\/+|\/+$/g, '')
    .replace(/^0+(?=\d)/, '');
}

/** The identity of a book: type, year and book number without leading zeros. */
export function bookIdentity(b: BookName): string {
  return `${b.type.toUpperCase()}.${b.year}.${bookKey(b.book)}`;
}

/** The identity of an entry (all its pages share it), to match a PDF with its record. */
export function entryIdentity(e: Omit<EntryName, 'page'>): string {
  return `${bookIdentity(e)}.${numberKey(e.number)}`;
}

export interface EntryFiles<T> {
  identity: string;
  files: T[];
  /** Pages named by more than one file ("125.pdf" and "125_1.pdf"). */
  duplicatePages: number[];
  /** Pages below the highest one that no file names. */
  missingPages: number[];
}

/** Groups the PDFs of a zip by entry, each entry's files in page order. */
export function groupPages<T>(files: readonly T[], nameOf: (file: T) => EntryName): EntryFiles<T>[] {
  const groups = new Map<string, T[]>();
  for (const f of files) {
    const id = entryIdentity(nameOf(f));
    groups.set(id, [...(groups.get(id) ?? []), f]);
  }
  return [...groups].map(([identity, group]) => {
    const sorted = [...group].sort((a, b) => nameOf(a).page - nameOf(b).page);
    const pages = sorted.map((f) => nameOf(f).page);
    const duplicatePages = [...new Set(pages.filter((p, i) => pages.indexOf(p) !== i))];
    const present = new Set(pages);
    const missingPages = Array.from({ length: Math.max(...pages) }, (_, i) => i + 1).filter((p) => !present.has(p));
    return { identity, files: sorted, duplicatePages, missingPages };
  });
}

export interface ZipNameFinding {
  code: 'ZIP_NAME_MISMATCH' | 'ZIP_NAME_UNPARSEABLE';
  severity: 'warning';
  messageVi: string;
  /** The zip's book as its name says, when it says one. */
  zipBook?: string;
  /** The books its PDFs name; these win. */
  entryBooks: string[];
}

/**
 * Compares a zip's name with the PDFs inside it. The PDFs win (each attaches to the book its
 * own name says); the finding tells the official that the zip was named otherwise.
 */
export function checkZipName(zipName: string, entries: readonly BookName[], rule: NamingRule): ZipNameFinding | undefined {
  if (entries.length === 0) return undefined;
  const entryBooks = [...new Set(entries.map(bookIdentity))];
  const zip = parseBookName(zipName, rule);
  if (!zip.ok) {
    return { code: 'ZIP_NAME_UNPARSEABLE', severity: 'warning', messageVi: `Tên tệp nén không theo quy tắc đặt tên; các tệp PDF bên trong thuộc sổ ${entryBooks.join(', ')} và được nhận theo tên của chúng.`, entryBooks };
  }
  const zipBook = bookIdentity(zip);
  if (entryBooks.length === 1 && entryBooks[0] === zipBook) return undefined;
  return {
    code: 'ZIP_NAME_MISMATCH',
    severity: 'warning',
    messageVi: `Tên tệp nén ghi sổ ${zipBook} nhưng các tệp PDF bên trong thuộc sổ ${entryBooks.join(', ')}; các tệp PDF được nhận theo tên của chúng.`,
    zipBook,
    entryBooks,
  };
}
