/**
 * Cell conservation: every non-blank cell of an input row ends up in that row's output, as a
 * field's value (normalised or repaired, still its cell) or among the unknown columns kept
 * verbatim. A row that would lose one is set aside whole with CELL_NOT_CONSERVED, never
 * written short. A blank cell is empty or holds only the white space text normalisation
 * removes; anything else, a 0 or a FALSE included, is a value.
 */
import { defineError } from '../errors';
import type { Cell } from './sheet-mapping';

function isSpace(c: number): boolean {
  return c === 32 || (c >= 9 && c <= 13) || c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200b) || c === 0x2028 || c === 0x2029 || c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff;
}

/** Empty or white space only; told from the first character that is not, without a new string. */
export function isBlankText(s: string): boolean {
  for (let i = 0; i < s.length; i++) if (!isSpace(s.charCodeAt(i))) return false;
  return true;
}

export function isBlankCell(c: Cell): boolean {
  return c === null || c === undefined || (typeof c === 'string' && isBlankText(c));
}

export function isBlankRow(cells: readonly Cell[]): boolean {
  for (const c of cells) if (!isBlankCell(c)) return false;
  return true;
}

/** "A", "Z", "AA": a 0-based column as a spreadsheet names it. */
export function columnLetter(index: number): string {
  let s = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) s = String.fromCharCode(65 + ((n - 1) % 26)) + s;
  return s;
}

export const CellNotConserved = defineError<{ column: number; header: string }>(
  'CELL_NOT_CONSERVED',
  'validation',
  (p) => `the cell in column ${columnLetter(p.column)} has no place in the output`,
  (p) =>
    `Ô ở cột ${columnLetter(p.column)}${p.header ? ` ("${p.header}")` : ' (không có tiêu đề)'} có dữ liệu nhưng không có chỗ trong kết quả (cột không có tiêu đề, nằm ngoài dòng tiêu đề hoặc trùng chỗ với cột khác); dòng được giữ nguyên, không ghi thiếu ô này.`,
);
