import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { inspectPackage } from '../../activities/receive/package-inspection';
import { applyDecisions } from '../../activities/split/apply-decisions';
import { readCustodianTable } from '../../activities/split/custodian-table';
import { readPlacementWorkbook } from '../../activities/split/placements-workbook';
import { splitExport, type SplitManifest } from '../../activities/split/split-export';
import { checkCustodianDecisions, custodianTableDecisions, neededUnitsOf } from '../../domain/runs/custodians';
import { defineError } from '../../domain/errors';
import { isRegisterTypeCode, REGISTER_TYPE_CODES, type RegisterTypeCode } from '../../domain/registers/register-types';
import { ImportRegisterTypeInvalid } from '../../domain/runs/run-errors';
import { requireProvinceCode } from '../../domain/units/province-code';
import { createProgress } from '../progress';
import { inputFile } from '../input-file';

/** `--register-type` of `hotich split` and `hotich run start`: a register type code, in any case. */
export function requireRegisterType(value: string): RegisterTypeCode {
  const code = value.trim().toUpperCase();
  if (!isRegisterTypeCode(code)) throw ImportRegisterTypeInvalid({ value });
  return code;
}

/** What was decided and what still waits, in a line or two. */
function custodiansLine(m: SplitManifest): string {
  const decided = new Set((m.custodians ?? []).map((c) => c.unitCode));
  const waiting = m.decisionsNeeded.filter((d) => !decided.has(d.unitCode));
  const lines: string[] = [];
  if (m.custodians?.length) lines.push(`Đã giao sổ của ${m.custodians.length} đơn vị cũ cho cơ quan lưu giữ theo quyết định: ${m.custodians.reduce((n, c) => n + c.rows, 0)} dòng.`);
  if (m.placements) lines.push(`Xếp tay: ${m.placements.placed} dòng đã xếp, ${m.placements.refused} dòng không xếp được.`);
  if (waiting.length) lines.push(`${waiting.length} đơn vị cũ (xã bị chia, huyện không còn) có ${waiting.reduce((n, d) => n + d.rows, 0)} dòng chờ quyết định cơ quan lưu giữ sổ (danh sách: decisionsNeeded trong manifest.json; chạy lại với --custodians <bảng>).`);
  return lines.map((l) => `${l}\n`).join('');
}

export function register(program: Command): void {
  program
    .command('split')
    .description('Tách dữ liệu xuất C06 của một tỉnh theo cơ quan đăng ký hộ tịch (Bước 2), không cần Temporal')
    .requiredOption('--province <code>', 'mã tỉnh, 2 chữ số (ví dụ 01)')
    .requiredOption('--input <file>', 'tệp .xlsx, .xls, .csv hoặc .zip chứa các tệp đó')
    .requiredOption('--out <dir>', 'thư mục kết quả (chưa có hoặc trống)')
    .option('--register-type <code>', `loại sổ của tệp chỉ có một loại sổ mà tên trang, tên tệp và cột "Loại sổ" không cho biết: ${REGISTER_TYPE_CODES.join(', ')}`)
    .option('--custodians <file>', 'bảng quyết định cơ quan lưu giữ sổ của xã bị chia và huyện không còn (.csv/.xlsx: "Mã đơn vị cũ", "Mã cơ quan lưu giữ", "Căn cứ")')
    .option('--placements <file>', 'tệp ngoại lệ của chính lần tách này đã điền cột "Mã cơ quan nhận"')
    .option('--decided-by <name>', 'người quyết định, ghi vào từng dòng được xếp (mặc định: người dùng máy)')
    .option('--json', 'in bản kê (manifest) dạng JSON')
    .action(async (o: { province: string; input: string; out: string; registerType?: string; custodians?: string; placements?: string; decidedBy?: string; json?: boolean }) => {
      const provinceCode = requireProvinceCode(o.province);
      const registerType = o.registerType === undefined ? undefined : requireRegisterType(o.registerType);
      for (const f of [o.input, o.custodians, o.placements]) if (f !== undefined) inputFile(f);
      // A table with the wrong columns is refused before anything is split.
      const table = o.custodians ? await readCustodianTable(o.custodians) : undefined;
      // The checks a received package goes through (empty, corrupt, password-protected, a CSV not in UTF-8), before any row is split.
      process.stderr.write(`Kiểm tra gói ${path.basename(o.input)}…\n`);
      await inspectPackage(o.input, path.basename(o.input));
      const progress = createProgress('Tách dữ liệu');
      let manifest: SplitManifest = await splitExport({ provinceCode, input: o.input, outDir: o.out, registerType, onProgress: (rows) => progress.update(rows, 0) });
      progress.stop();
      if (table || o.placements) {
        const decided = { by: o.decidedBy?.trim() || os.userInfo().username, at: new Date().toISOString() };
        const needed = neededUnitsOf(manifest.decisionsNeeded);
        const custodians = table ? checkCustodianDecisions(provinceCode, needed, custodianTableDecisions(provinceCode, needed, table, path.basename(o.custodians!)).decisions, decided) : [];
        const placements = o.placements ? (await readPlacementWorkbook(o.placements, o.out)).map((p) => ({ ...p, placedBy: decided.by, placedAt: decided.at })) : [];
        const applied = await applyDecisions({ outDir: o.out, provinceCode, registerType, custodians, placements });
        manifest = applied.manifest;
        for (const p of applied.placements) if (!p.placed) process.stderr.write(`Dòng ${p.sheet}!${p.row} không xếp vào ${p.agencyCode} được — ${p.code}: ${p.messageVi}\n`);
      }
      if (o.json) {
        process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
        return;
      }
      const reasons = Object.entries(manifest.exceptions.byReason).map(([code, n]) => `${code}: ${n}`).join(', ');
      const refused = manifest.refusedSheets.map((r) => `Trang "${r.sheet}" không tách được, ${r.rows} dòng vào tệp ngoại lệ: ${r.messageVi}\n`).join('');
      process.stdout.write(
        `Đã tách ${manifest.input.rows} dòng: ${manifest.rowsWritten} dòng vào ${manifest.agencies.length} cơ quan đăng ký, ${manifest.exceptionRows} dòng ngoại lệ${reasons ? ` (${reasons})` : ''}.\n` +
          custodiansLine(manifest) +
          `${manifest.cells.in} ô có dữ liệu được đọc, ${manifest.cells.out} ô được giữ: ${manifest.cells.written} trong các tệp đã tách, ${manifest.cells.exceptions} trong tệp ngoại lệ.\n` +
          refused +
          `Kết quả: ${o.out} (bản kê: manifest.json, ngoại lệ: ${manifest.exceptions.path})\n`,
      );
    });
}
