import fs from 'node:fs';
import path from 'node:path';
import type { Command } from 'commander';
import { inspectPackage } from '../../activities/receive/package-inspection';
import { splitExport } from '../../activities/split/split-export';
import { defineError } from '../../domain/errors';
import { requireProvinceCode } from '../../domain/units/province-code';
import { createProgress } from '../progress';

export const SplitInputMissing = defineError<{ file: string }>(
  'SPLIT_INPUT_MISSING',
  'validation',
  (p) => `no input file ${p.file}`,
  (p) => `Không tìm thấy tệp đầu vào "${p.file}".`,
);

export function register(program: Command): void {
  program
    .command('split')
    .description('Tách dữ liệu xuất C06 của một tỉnh theo cơ quan đăng ký hộ tịch (Bước 2), không cần Temporal')
    .requiredOption('--province <code>', 'mã tỉnh, 2 chữ số (ví dụ 01)')
    .requiredOption('--input <file>', 'tệp .xlsx, .xls, .csv hoặc .zip chứa các tệp đó')
    .requiredOption('--out <dir>', 'thư mục kết quả (chưa có hoặc trống)')
    .option('--json', 'in bản kê (manifest) dạng JSON')
    .action(async (o: { province: string; input: string; out: string; json?: boolean }) => {
      const provinceCode = requireProvinceCode(o.province);
      if (!fs.statSync(o.input, { throwIfNoEntry: false })?.isFile()) throw SplitInputMissing({ file: o.input });
      // The checks a received package goes through (empty, corrupt, password-protected, a CSV not in UTF-8), before any row is split.
      process.stderr.write(`Kiểm tra gói ${path.basename(o.input)}…\n`);
      await inspectPackage(o.input, path.basename(o.input));
      const progress = createProgress('Tách dữ liệu');
      const manifest = await splitExport({ provinceCode, input: o.input, outDir: o.out, onProgress: (rows) => progress.update(rows, 0) });
      progress.stop();
      if (o.json) {
        process.stdout.write(`${JSON.stringify(manifest, null, 2)}\n`);
        return;
      }
      const reasons = Object.entries(manifest.exceptions.byReason).map(([code, n]) => `${code}: ${n}`).join(', ');
      process.stdout.write(
        `Đã tách ${manifest.input.rows} dòng: ${manifest.rowsWritten} dòng vào ${manifest.agencies.length} cơ quan đăng ký, ${manifest.exceptionRows} dòng ngoại lệ${reasons ? ` (${reasons})` : ''}.\n` +
          `Kết quả: ${o.out} (bản kê: manifest.json, ngoại lệ: ${manifest.exceptions.path})\n`,
      );
    });
}
