import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { inspectPackage } from '../../activities/receive/package-inspection';
import { splitExport } from '../../activities/split/split-export';
import { defineError } from '../../domain/errors';
import { isRegisterTypeCode, REGISTER_TYPE_CODES, type RegisterTypeCode } from '../../domain/registers/register-types';
import { ImportRegisterTypeInvalid } from '../../domain/runs/run-errors';
import { requireProvinceCode } from '../../domain/units/province-code';
import { createProgress } from '../progress';

export const SplitInputMissing = defineError<{ file: string }>(
  'SPLIT_INPUT_MISSING',
  'validation',
  (p) => `no input file ${p.file}`,
  (p) => `Không tìm thấy tệp đầu vào "${p.file}".`,
);

/** `--register-type` of `hotich split` and `hotich run start`: a register type code, in any case. */
export function requireRegisterType(value: string): RegisterTypeCode {
  const code = value.trim().toUpperCase();
  if (!isRegisterTypeCode(code)) throw ImportRegisterTypeInvalid({ value });
  return code;
}

export function register(program: Command): void {
  program
    .command('split')
    .description('Tách dữ liệu xuất C06 của một tỉnh theo cơ quan đăng ký hộ tịch (Bước 2), không cần Temporal')
    .requiredOption('--province <code>', 'mã tỉnh, 2 chữ số (ví dụ 01)')
    .requiredOption('--input <file>', 'tệp .xlsx, .xls, .csv hoặc .zip chứa các tệp đó')
    .requiredOption('--out <dir>', 'thư mục kết quả (chưa có hoặc trống)')
    .option('--register-type <code>', `loại sổ của tệp chỉ có một loại sổ mà tên trang, tên tệp và cột "Loại sổ" không cho biết: ${REGISTER_TYPE_CODES.join(', ')}`)
    .option('--json', 'in bản kê (manifest) dạng JSON')
    .action(async (o: { province: string; input: string; out: string; registerType?: string; json?: boolean }) => {
      const provinceCode = requireProvinceCode(o.province);
      const registerType = o.registerType === undefined ? undefined : requireRegisterType(o.registerType);
      if (!fs.statSync(o.input, { throwIfNoEntry: false })?.isFile()) throw SplitInputMissing({ file: o.input });
      // The checks a received package goes through (empty, corrupt, password-protected, a CSV not in UTF-8), before any row is split.
      process.stderr.write(`Kiểm tra gói ${path.basename(o.input)}…\n`);
      await inspectPackage(o.input, path.basename(o.input));
      const progress = createProgress('Tách dữ liệu');
      const manifest = await splitExport({ provinceCode, input: o.input, outDir: o.out, registerType, onProgress: (rows) => progress.update(rows, 0) });
      progress.stop();
      if (o.json) {
        process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
        return;
      }
      const reasons = Object.entries(manifest.exceptions.byReason).map(([code, n]) => `${code}: ${n}`).join(', ');
      const refused = manifest.refusedSheets.map((r) => `Trang "${r.sheet}" không tách được, ${r.rows} dòng vào tệp ngoại lệ: ${r.messageVi}\n`).join('');
      process.stdout.write(
        `Đã tách ${manifest.input.rows} dòng: ${manifest.rowsWritten} dòng vào ${manifest.agencies.length} cơ quan đăng ký, ${manifest.exceptionRows} dòng ngoại lệ${reasons ? ` (${reasons})` : ''}.\n` +
          `${manifest.cells.in} ô có dữ liệu được đọc, ${manifest.cells.out} ô được giữ: ${manifest.cells.written} trong các tệp đã tách, ${manifest.cells.exceptions} trong tệp ngoại lệ.\n` +
          refused +
          `Kết quả: ${o.out} (bản kê: manifest.json, ngoại lệ: ${manifest.exceptions.path})\n`,
      );
    });
}
