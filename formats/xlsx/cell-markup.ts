/**
 * A row's cells read from its XML as XML, for every row the byte scan does not take (see
 * streaming-xlsx-reader.ts), and the text of shared and inline strings. Every form the
 * specification gives a cell is read; what cannot be read exactly (markup that is not
 * well-formed or not a cell's, a value that is not of its cell's type, a shared string that is
 * not there, a formula whose result was not saved, a cell given twice) is refused with the sheet
 * and the cell, never read as an empty cell.
 */
import { defineError } from '../../domain/errors';
import { DAYS_1900_TO_1904 } from './date-formats';
import { excelUnescape, isBlankText, parseXmlFragment, XmlMalformed, type XmlElement } from './xml-fragment';

export type SheetCell = string | number | boolean | null;

export type CellProblem = 'markup' | 'type' | 'number' | 'boolean' | 'sharedString' | 'formula' | 'reference' | 'duplicate' | 'rowOrder' | 'truncated' | 'encoding';

const PROBLEMS: Record<CellProblem, { en: string; vi: string }> = {
  markup: { en: 'its XML is not well-formed or not that of a cell', vi: 'nội dung XML sai cấu trúc hoặc không phải của một ô' },
  type: { en: 'its type (t="…") is not one of Excel\'s', vi: 'kiểu dữ liệu của ô (t="…") không phải kiểu Excel có' },
  number: { en: 'its value is not a number', vi: 'giá trị không phải là số' },
  boolean: { en: 'its value is not TRUE or FALSE', vi: 'giá trị không phải TRUE hoặc FALSE' },
  sharedString: { en: 'it refers to a shared string the workbook does not have', vi: 'ô trỏ tới một chuỗi dùng chung không có trong tệp' },
  formula: { en: 'it holds a formula whose result was not saved', vi: 'ô chứa công thức nhưng kết quả chưa được tính và lưu' },
  reference: { en: 'its reference (r="…") is not a cell of this row', vi: 'địa chỉ ô (r="…") không thuộc dòng này' },
  duplicate: { en: 'the cell is given twice', vi: 'ô này xuất hiện hai lần' },
  rowOrder: { en: 'the rows are not in order', vi: 'các dòng không theo thứ tự tăng dần' },
  truncated: { en: 'the sheet ends inside this row', vi: 'trang tính kết thúc giữa chừng ở dòng này' },
  encoding: { en: 'its text is not UTF-8', vi: 'chữ ở dòng này không được mã hoá UTF-8 như Excel lưu (tệp bị hỏng hoặc không do Excel lưu)' },
};

export const XlsxCellUnreadable = defineError<{ file: string; sheet: string; row: number; column?: string; problem: CellProblem }>(
  'XLSX_CELL_UNREADABLE',
  'validation',
  (p) => `${p.file}, sheet "${p.sheet}", ${p.column ? `cell ${p.column}${p.row}` : `row ${p.row}`}: ${PROBLEMS[p.problem].en}`,
  (p) =>
    `Tệp ${p.file}, trang tính "${p.sheet}", ${p.column ? `ô ${p.column}${p.row}` : `dòng ${p.row}`}: ${PROBLEMS[p.problem].vi}. ` +
    'Không đọc tiếp để khỏi sót dữ liệu; hãy mở tệp bằng Excel, lưu lại rồi tải lên lại.',
);

/** Excel's last column, XFD. */
export const MAX_COLUMNS = 16_384;

export function columnLetters(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

export interface SheetContext {
  /** The file's name, for errors. */
  file: string;
  sheet: string;
  strings: { get(i: number): string | undefined };
  /** Per cell format (a cell's s="…"), 1 where it shows a number as a date; only for a workbook of the 1904 date system. */
  dateStyles: Uint8Array | undefined;
}

export function cellProblem(ctx: SheetContext, problem: CellProblem, row: number, column?: number): Error {
  return XlsxCellUnreadable({ file: ctx.file, sheet: ctx.sheet, row, column: column === undefined ? undefined : columnLetters(column), problem });
}

/** What a number shows as a date counts from 1900, whatever its workbook's date system. */
export function in1900System(n: number, style: number, ctx: SheetContext): number {
  return ctx.dateStyles !== undefined && style < ctx.dateStyles.length && ctx.dateStyles[style] === 1 ? n + DAYS_1900_TO_1904 : n;
}

/** xsd:double as Excel writes it, without its INF and NaN. */
export const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;

/** The text of an element that holds only text; undefined when it holds an element. */
function textOf(element: XmlElement): string | undefined {
  let text = '';
  for (const child of element.children) {
    if (typeof child !== 'string') return undefined;
    text += child;
  }
  return text;
}

/** The text of a shared string (<si>) or an inline string (<is>): its <t>, or the <t> of its runs, not its phonetic guides; undefined when it holds what no string does. */
export function richText(element: XmlElement): string | undefined {
  let text = '';
  const add = (t: XmlElement) => {
    const part = textOf(t);
    if (part === undefined) return false;
    text += excelUnescape(part);
    return true;
  };
  for (const child of element.children) {
    if (isBlankText(child)) continue;
    if (typeof child === 'string') return undefined;
    if (child.name === 't') {
      if (!add(child)) return undefined;
    } else if (child.name === 'r') {
      for (const part of child.children) {
        if (isBlankText(part) || (typeof part !== 'string' && (part.name === 'rPr' || part.name === 'extLst'))) continue;
        if (typeof part === 'string' || part.name !== 't' || !add(part)) return undefined;
      }
    } else if (child.name !== 'rPh' && child.name !== 'phoneticPr' && child.name !== 'extLst') return undefined;
  }
  return text;
}

/** One cell's value; null when it holds none. */
function cellValue(c: XmlElement, row: number, column: number, ctx: SheetContext): SheetCell {
  const fail = (problem: CellProblem) => cellProblem(ctx, problem, row, column);
  let v: string | undefined;
  let inline: XmlElement | undefined;
  let formula = false;
  for (const child of c.children) {
    if (isBlankText(child)) continue;
    if (typeof child === 'string') throw fail('markup');
    if (child.name === 'v') {
      v = v === undefined ? textOf(child) : undefined;
      if (v === undefined) throw fail('markup');
    } else if (child.name === 'is') inline = child;
    else if (child.name === 'f') formula = true;
    else if (child.name !== 'extLst') throw fail('markup');
  }
  const type = c.attrs.get('t') ?? 'n';
  if (type === 'inlineStr') {
    // An inline string whose text some writers put in <v>: read, not dropped.
    const text = inline ? richText(inline) : v !== undefined ? excelUnescape(v) : formula ? undefined : '';
    if (text === undefined) throw fail(inline ? 'markup' : 'formula');
    return text;
  }
  if (!['n', 's', 'str', 'b', 'e', 'd'].includes(type)) throw fail('type');
  if (v === undefined) {
    if (formula) throw fail('formula');
    return type === 'str' ? '' : null;
  }
  if (type === 'str') return excelUnescape(v);
  const value = v.trim();
  if (value === '') return null;
  switch (type) {
    case 's': {
      const text = /^\d+$/.test(value) ? ctx.strings.get(Number(value)) : undefined;
      if (text === undefined) throw fail('sharedString');
      return text;
    }
    case 'b':
      if (value === '1' || value === 'true') return true;
      if (value === '0' || value === 'false') return false;
      throw fail('boolean');
    case 'e':
      return value;
    case 'd':
      // An ISO 8601 date kept as written: it needs no date system, and reads as a date where a date is due.
      return value;
    default: {
      const n = Number(value);
      if (!DECIMAL.test(value) || !Number.isFinite(n)) throw fail('number');
      return in1900System(n, Number(c.attrs.get('s') ?? 0), ctx);
    }
  }
}

/** The reference of a cell (r="B7"), checked to be in `row`: its column, or -1 when it has none. */
function referencedColumn(c: XmlElement, row: number, next: number, ctx: SheetContext): number {
  const ref = c.attrs.get('r');
  if (ref === undefined) return -1;
  const m = /^([A-Za-z]{1,3})(\d*)$/.exec(ref);
  let column = -1;
  if (m) {
    column = 0;
    for (const ch of m[1]!.toUpperCase()) column = column * 26 + (ch.charCodeAt(0) - 64);
    column--;
  }
  if (column < 0 || column >= MAX_COLUMNS || (m![2] !== '' && Number(m![2]) !== row)) throw cellProblem(ctx, 'reference', row, column >= 0 && column < MAX_COLUMNS ? column : next);
  return column;
}

/**
 * The cells of one row from the XML between its tags, placed by their references (a cell
 * without one follows the one before it); trailing cells without a value add nothing.
 */
export function readRowCells(xml: string, row: number, ctx: SheetContext): SheetCell[] {
  let nodes;
  try {
    nodes = parseXmlFragment(xml);
  } catch (e) {
    if (e instanceof XmlMalformed) throw cellProblem(ctx, 'markup', row);
    throw e;
  }
  const cells: SheetCell[] = [];
  const given = new Set<number>();
  let next = 0;
  for (const node of nodes) {
    if (isBlankText(node) || (typeof node !== 'string' && node.name === 'extLst')) continue;
    if (typeof node === 'string' || node.name !== 'c') throw cellProblem(ctx, 'markup', row, next);
    const ref = referencedColumn(node, row, next, ctx);
    const column = ref >= 0 ? ref : next;
    next = column + 1;
    if (given.has(column)) throw cellProblem(ctx, 'duplicate', row, column);
    given.add(column);
    const value = cellValue(node, row, column, ctx);
    if (value === null) continue;
    while (cells.length < column) cells.push(null);
    cells[column] = value;
  }
  return cells;
}
