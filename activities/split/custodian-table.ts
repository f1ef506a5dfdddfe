/** A coordinator's decisions table (CSV, .xlsx or .xls; its first sheet) read into decisions. */
import path from 'node:path';
import { decisionsFromTable, type CustodianDecisionInput } from '../../domain/runs/custodians';
import { readRowBatches, type SheetCell } from '../../formats/tabular/read-rows';

export async function readCustodianTable(file: string, displayName = path.basename(file)): Promise<CustodianDecisionInput[]> {
  const rows: SheetCell[][] = [];
  let sheet: string | undefined;
  for await (const batch of readRowBatches(file)) {
    for (const r of batch) {
      sheet ??= r.sheet;
      if (r.sheet === sheet) rows.push(r.cells);
    }
  }
  return decisionsFromTable(rows, displayName);
}
