import type { Command } from 'commander';
import { defineError } from '../../domain/errors';
import { unitCatalog } from '../../domain/units/catalog';
import { generateExport } from '../gen/generate';
import { createProgress } from '../progress';

export const GenProvinceUnknown = defineError<{ code: string }>(
  'GEN_PROVINCE_UNKNOWN',
  'validation',
  (p) => `no pre-2025 province with code ${p.code}`,
  (p) => `Không có tỉnh (trước 01/7/2025) mã ${p.code}.`,
);

export const GenRecordsInvalid = defineError<{ value: string }>(
  'GEN_RECORDS_INVALID',
  'validation',
  (p) => `--records must be a positive whole number, got ${p.value}`,
  (p) => `--records phải là số nguyên dương (nhận được "${p.value}").`,
);

export function register(program: Command): void {
  program
    .command('gen')
    .description('Sinh dữ liệu hộ tịch giả lập của một tỉnh có thật (dạng dữ liệu xuất C06) và kết quả tách mong đợi')
    .requiredOption('--province <code>', 'mã tỉnh trước 01/7/2025, 2 chữ số (ví dụ 01)')
    .requiredOption('--records <n>', 'số bản ghi')
    .option('--seed <s>', 'hạt giống ngẫu nhiên (cùng hạt giống cho cùng dữ liệu)', '1')
    .requiredOption('--out <dir>', 'thư mục ghi kết quả')
    .option('--format <format>', 'xlsx | csv', 'xlsx')
    .action(async (o: { province: string; records: string; seed: string; out: string; format: string }) => {
      const provinceCode = o.province.padStart(2, '0');
      if (!unitCatalog().province('legacy', provinceCode)) throw GenProvinceUnknown({ code: o.province });
      if (!/^\d+$/.test(o.records) || Number(o.records) < 1) throw GenRecordsInvalid({ value: o.records });
      const progress = createProgress('Sinh dữ liệu');
      const summary = await generateExport({ provinceCode, records: Number(o.records), seed: /^\d+$/.test(o.seed) ? Number(o.seed) : o.seed, out: o.out, format: o.format, onProgress: progress.update });
      progress.stop();
      const exceptions = Object.values(summary.exceptions).reduce((a, b) => a + b, 0);
      process.stdout.write(`Đã sinh ${summary.records} bản ghi cho ${Object.keys(summary.agencies).length} cơ quan đăng ký (${exceptions} dòng cần quyết định); tệp: ${summary.files.join(', ')}\n`);
    });
}
