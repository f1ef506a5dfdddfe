/** A coordinator's decisions table (CSV, .xlsx or .xls; its first sheet) read into its numbered lines. */
import path from 'node:path';
import { custodianTableLines, type CustodianTableLine } from '../../domain/runs/custodians';
import { readRowBatches, type SheetCell } from '../../formats/tabular/read-rows';
import { assertCsvUtf8 } from '../receive/package-inspection';

export async function readCustodianTable(file: string, displayName = path.basename(file)): Promise<CustodianTableLine[]> {
  if (path.extname(file).toLowerCase() === '.csv') await assertCsvUtf8(file, displayName);
  const rows: Array<{ row: number; cells: SheetCell[] }> = [];
  let sheet: string | undefined;
  for await (const batch of readRowBatches(file)) {
    for (const r of batch) {
      sheet ??= r.sheet;
      if (r.sheet === sheet) rows.push({ row: r.row, cells: r.cells });
    }
  }
  return custodianTableLines(rows, displayName);
}
