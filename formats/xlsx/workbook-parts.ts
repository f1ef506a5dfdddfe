/**
 * The parts of an .xlsx package around its sheets, found as Excel finds them: the workbook
 * through the package's relationships, its sheets, shared strings and styles through the
 * workbook's, part names compared without case (OPC), elements with any prefix. Of the styles
 * only what tells a date from a number is read, and only for a workbook of the 1904 system.
 */
import { isUtf8 } from 'node:buffer';
import path from 'node:path';
import type { Readable } from 'node:stream';
import type yauzl from 'yauzl';
import { defineError } from '../../domain/errors';
import { openEntryStream } from '../zip/zip-members';
import { isDateFormat } from './date-formats';
import { localName, parseXmlFragment, type XmlElement, type XmlNode } from './xml-fragment';

export const XlsxUnreadable = defineError<{ file: string; reason: string }>(
  'XLSX_UNREADABLE',
  'validation',
  (p) => `${p.file} is not a readable .xlsx workbook: ${p.reason}`,
  // The reason names zip records and package parts: for the log and the error's details, not for the user.
  (p) => `Tệp ${p.file} không phải bảng tính .xlsx đọc được: tệp bị hỏng, thiếu phần hoặc không do Excel lưu. Hãy mở tệp bằng Excel, lưu lại dạng .xlsx rồi tải lên lại.`,
);

/**
 * How many times its compressed size a part may inflate to. Sheet XML deflates 10 to 50 times;
 * a part of one repeated byte (a zip bomb: a sheet of spaces, a shared string of gigabytes) a
 * thousand times, and costs minutes and memory to read.
 */
export const PART_MAX_RATIO = 1000;
const RATIO_ALLOWANCE = 1 << 20;

/** A part of the package as a stream, refused before it is inflated when its sizes say it is a bomb. */
export function openPart(zip: yauzl.ZipFile, entry: yauzl.Entry, file: string): Promise<Readable> {
  if (entry.uncompressedSize > entry.compressedSize * PART_MAX_RATIO + RATIO_ALLOWANCE) {
    return Promise.reject(XlsxUnreadable({ file, reason: `${entry.fileName} inflates more than ${PART_MAX_RATIO} times its size (a zip bomb?)` }));
  }
  return openEntryStream(zip, entry);
}

/** A part as text; XML Excel can read is UTF-8 (or says otherwise, which we do not read). */
async function readText(zip: yauzl.ZipFile, entry: yauzl.Entry, file: string): Promise<string> {
  const parts: Buffer[] = [];
  for await (const chunk of await openPart(zip, entry, file)) parts.push(chunk as Buffer);
  const bytes = Buffer.concat(parts);
  if (!isUtf8(bytes)) throw XlsxUnreadable({ file, reason: `${entry.fileName} is not UTF-8` });
  return bytes.toString('utf8');
}

/** The elements named `name` (local name) anywhere under `nodes`, in document order. */
function elements(nodes: XmlNode[], name: string): XmlElement[] {
  const found: XmlElement[] = [];
  const walk = (list: XmlNode[]) => {
    for (const n of list) {
      if (typeof n === 'string') continue;
      if (n.name === name) found.push(n);
      walk(n.children);
    }
  };
  walk(nodes);
  return found;
}

/** The value of the attribute whose local name is `name` and which carries a prefix (r:id), whatever the prefix. */
function prefixedAttribute(element: XmlElement, name: string): string | undefined {
  for (const [k, v] of element.attrs) if (k.includes(':') && localName(k) === name) return v;
  return undefined;
}

interface Relationship {
  target: string;
  type: string;
}

/** A part's relationships by id, targets resolved to member names; none when it has no .rels part. */
async function relationships(zip: yauzl.ZipFile, entries: Map<string, yauzl.Entry>, part: string, file: string): Promise<Map<string, Relationship>> {
  const dir = path.posix.dirname(part);
  const rels = entries.get(path.posix.join(dir, '_rels', `${path.posix.basename(part)}.rels`).toLowerCase());
  const found = new Map<string, Relationship>();
  if (!rels) return found;
  for (const r of elements(parseXmlFragment(await readText(zip, rels, file)), 'Relationship')) {
    const id = r.attrs.get('Id');
    const target = r.attrs.get('Target');
    if (!id || !target || r.attrs.get('TargetMode') === 'External') continue;
    const resolved = target.startsWith('/') ? target.slice(1) : path.posix.normalize(path.posix.join(dir === '.' ? '' : dir, target));
    found.set(id, { target: resolved, type: r.attrs.get('Type') ?? '' });
  }
  return found;
}

const typed = (rels: Map<string, Relationship>, type: string) => [...rels.values()].find((r) => r.type.endsWith(`/${type}`))?.target;

/** Per cell format (cellXfs), 1 where it shows a number as a date. */
async function readDateStyles(zip: yauzl.ZipFile, entry: yauzl.Entry | undefined, file: string): Promise<Uint8Array> {
  if (!entry) return new Uint8Array(0);
  const styles = parseXmlFragment(await readText(zip, entry, file));
  const codes = new Map<number, string>();
  for (const f of elements(elements(styles, 'numFmts')[0]?.children ?? [], 'numFmt')) codes.set(Number(f.attrs.get('numFmtId')), f.attrs.get('formatCode') ?? '');
  const xfs = elements(elements(styles, 'cellXfs')[0]?.children ?? [], 'xf');
  return Uint8Array.from(xfs, (xf) => (isDateFormat(Number(xf.attrs.get('numFmtId') ?? 0), codes) ? 1 : 0));
}

export interface Workbook {
  sheets: Array<{ name: string; path: string }>;
  strings: string;
  /** Per cell format, 1 where it shows a date; only for a workbook of the 1904 date system. */
  dateStyles: Uint8Array | undefined;
}

export async function readWorkbook(zip: yauzl.ZipFile, entries: Map<string, yauzl.Entry>, file: string): Promise<Workbook> {
  const main = typed(await relationships(zip, entries, '', file), 'officeDocument') ?? 'xl/workbook.xml';
  const workbookEntry = entries.get(main.toLowerCase());
  if (!workbookEntry) throw XlsxUnreadable({ file, reason: `${main} missing` });
  const rels = await relationships(zip, entries, main, file);
  const workbook = parseXmlFragment(await readText(zip, workbookEntry, file));
  const sheets = elements(elements(workbook, 'sheets')[0]?.children ?? [], 'sheet').map((s, i) => {
    const id = prefixedAttribute(s, 'id');
    const target = id === undefined ? undefined : rels.get(id)?.target;
    // A workbook without relationships (a few hand-made ones) has its sheets where Excel puts them.
    const sheetPath = target ?? (rels.size === 0 ? `xl/worksheets/sheet${i + 1}.xml` : undefined);
    if (sheetPath === undefined) throw XlsxUnreadable({ file, reason: `sheet ${i + 1} refers to no part of the workbook` });
    return { name: s.attrs.get('name') ?? `Sheet${i + 1}`, path: sheetPath };
  });
  if (sheets.length === 0) throw XlsxUnreadable({ file, reason: 'the workbook lists no sheet' });
  const properties = elements(workbook, 'workbookPr')[0];
  const date1904 = ['1', 'true'].includes(properties?.attrs.get('date1904')?.trim() ?? '');
  const styles = typed(rels, 'styles');
  return {
    sheets,
    strings: typed(rels, 'sharedStrings') ?? 'xl/sharedStrings.xml',
    dateStyles: date1904 ? await readDateStyles(zip, styles === undefined ? undefined : entries.get(styles.toLowerCase()), file) : undefined,
  };
}
