/**
 * An exceptions workbook coming back from the coordinator with "Mã cơ quan nhận" filled for the
 * rows they could place. It must be a workbook of this split (the package's SHA-256 in its last
 * sheet) and every row must be as the split wrote it but for that column: a row edited elsewhere,
 * or one the split never wrote, refuses the whole workbook, so nothing is placed from a file
 * whose rows are no longer the rows received.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { defineError } from '../../domain/errors';
import { isBlankCell } from '../../domain/profiles/cell-conservation';
import { readRowBatches, type SheetCell } from '../../formats/tabular/read-rows';
import { SPLIT_BASE_DIR, receivedRow } from './apply-decisions';
import { EXCEPTIONS_FILE, EXCEPTIONS_INFO_SHA_LABEL, EXCEPTIONS_INFO_SHEET, MANIFEST_FILE, PLACEMENT_COLUMN, type SplitManifest } from './split-export';

export const PlacementWorkbookOtherPackage = defineError<{ file: string }>(
  'PLACEMENT_WORKBOOK_OTHER_PACKAGE',
  'validation',
  (p) => `${p.file} is not an exceptions workbook of this split (its package SHA-256 differs or is missing)`,
  (p) => `Tệp "${p.file}" không phải tệp ngoại lệ của lượt tách này (mã SHA-256 của gói dữ liệu ở trang "${EXCEPTIONS_INFO_SHEET}" khác hoặc không có). Tải tệp ngoại lệ của đúng lượt chạy rồi điền lại.`,
);

export const PlacementRowEdited = defineError<{ file: string; sheet: string; row: number }>(
  'PLACEMENT_ROW_EDITED',
  'validation',
  (p) => `${p.file}: the row of ${p.sheet}!${p.row} differs from the split's exception row outside the placement column`,
  (p) =>
    `Tệp "${p.file}": dòng gốc ${p.sheet}!${p.row} đã bị sửa ngoài cột "Mã cơ quan nhận" (hoặc không phải dòng ngoại lệ của lượt tách này). Chỉ điền cột "Mã cơ quan nhận", giữ nguyên các cột khác; không xếp dòng nào từ tệp này.`,
);

export const PlacementNoneFilled = defineError<{ file: string }>(
  'PLACEMENT_NONE_FILLED',
  'validation',
  (p) => `${p.file}: no row has an agency code in the placement column`,
  (p) => `Tệp "${p.file}" chưa có dòng nào điền "Mã cơ quan nhận".`,
);

/** A row placed in the workbook: where it came from and the code written for it. */
export interface WorkbookPlacement {
  sheet: string;
  row: number;
  agencyCode: string;
}

const text = (c: SheetCell | undefined) => (isBlankCell(c ?? null) ? '' : String(c));

/** A row's content but its placement cell, as text, trailing blanks dropped (Excel does not keep them). */
function fingerprint(cells: readonly SheetCell[]): string {
  const t = cells.map((c, i) => (i === PLACEMENT_COLUMN ? '' : text(c)));
  while (t.length && t[t.length - 1] === '') t.pop();
  return createHash('sha256').update(JSON.stringify(t)).digest('base64');
}

/** The exception rows of a split as it first came out, by "sheet!row". */
async function baseRows(splitDir: string): Promise<{ sha256: string; rows: Map<string, string> }> {
  const baseDir = path.join(splitDir, SPLIT_BASE_DIR);
  const dir = fs.existsSync(baseDir) ? baseDir : splitDir;
  const manifest = JSON.parse(fs.readFileSync(path.join(dir, MANIFEST_FILE), 'utf8')) as SplitManifest;
  const rows = new Map<string, string>();
  for await (const batch of readRowBatches(path.join(dir, EXCEPTIONS_FILE))) {
    for (const r of batch) {
      if (r.sheet === EXCEPTIONS_INFO_SHEET || r.row === 1) continue;
      const { row } = receivedRow(r.cells);
      rows.set(`${row.sheet}!${row.row}`, fingerprint(r.cells));
    }
  }
  return { sha256: manifest.input.sha256, rows };
}

/** The placements a returned exceptions workbook asks for, once it is known to be this split's and unedited. */
export async function readPlacementWorkbook(file: string, splitDir: string, displayName = path.basename(file)): Promise<WorkbookPlacement[]> {
  const base = await baseRows(splitDir);
  let sha: string | undefined;
  const placements: WorkbookPlacement[] = [];
  const edited: Array<{ sheet: string; row: number }> = [];
  for await (const batch of readRowBatches(file)) {
    for (const r of batch) {
      if (r.sheet === EXCEPTIONS_INFO_SHEET) {
        if (text(r.cells[0]).trim() === EXCEPTIONS_INFO_SHA_LABEL) sha = text(r.cells[1]).trim().toLowerCase();
        continue;
      }
      if (r.row === 1 || r.cells.every((c) => isBlankCell(c))) continue;
      const { prefix, row } = receivedRow(r.cells);
      if (base.rows.get(`${row.sheet}!${row.row}`) !== fingerprint(r.cells)) {
        edited.push({ sheet: prefix[2] === undefined ? r.sheet : row.sheet, row: Number.isFinite(row.row) ? row.row : r.row });
        continue;
      }
      const agencyCode = text(prefix[PLACEMENT_COLUMN]).trim();
      if (agencyCode) placements.push({ sheet: row.sheet, row: row.row, agencyCode });
    }
  }
  if (sha !== base.sha256) throw PlacementWorkbookOtherPackage({ file: displayName });
  if (edited.length) throw PlacementRowEdited({ file: displayName, ...edited[0]! });
  if (placements.length === 0) throw PlacementNoneFilled({ file: displayName });
  return placements;
}

