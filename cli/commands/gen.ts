import type { Command } from 'commander';
import { defineError } from '../../domain/errors';
import { unitCatalog } from '../../domain/units/catalog';
import { generateExport } from '../gen/generate';
import { EXPORT_FORMATS } from '../gen/export-writers';
import { ALL_DEFECTS, parseDefectList, scanDefectsIn, unknownDefects } from '../../domain/synthetic/defects';
import type { ScanZips } from '../gen/scan-writer';
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

export const GenScannedRatioInvalid = defineError<{ value: string }>(
  'GEN_SCANNED_RATIO_INVALID',
  'validation',
  (p) => `--scanned-ratio must be a number from 0 to 1, got ${p.value}`,
  (p) => `--scanned-ratio phải là số từ 0 đến 1 (nhận được "${p.value}").`,
);

export const GenDefectUnknown = defineError<{ names: string[] }>(
  'GEN_DEFECT_UNKNOWN',
  'validation',
  (p) => `unknown defects: ${p.names.join(', ')} (known: all, ${ALL_DEFECTS.join(', ')})`,
  (p) => `Không có loại lỗi: ${p.names.join(', ')}. Dùng "all" hoặc một danh sách trong: ${ALL_DEFECTS.join(', ')}.`,
);

export const GenScanZipsInvalid = defineError<{ value: string }>(
  'GEN_SCAN_ZIPS_INVALID',
  'validation',
  (p) => `--scan-zips must be book or unit, got ${p.value}`,
  (p) => `--scan-zips phải là book (mỗi sổ một tệp zip) hoặc unit (mỗi đơn vị một tệp zip), nhận được "${p.value}".`,
);

export const GenScanDefectsPerUnit = defineError<{ names: string[] }>(
  'GEN_SCAN_DEFECTS_PER_UNIT',
  'validation',
  (p) => `scan defects (${p.names.join(', ')}) are made in zips per book, not with --scan-zips unit`,
  (p) => `Lỗi bản quét (${p.names.join(', ')}) chỉ sinh được khi mỗi sổ một tệp zip, không dùng cùng --scan-zips unit.`,
);

const SCAN_ZIPS: readonly ScanZips[] = ['book', 'unit'];

export function register(program: Command): void {
  program
    .command('gen')
    .description('Sinh dữ liệu hộ tịch giả lập của một tỉnh có thật (dạng dữ liệu xuất C06) và kết quả tách mong đợi')
    .requiredOption('--province <code>', 'mã tỉnh trước 01/7/2025, 2 chữ số (ví dụ 01)')
    .requiredOption('--records <n>', 'số bản ghi')
    .option('--seed <s>', 'hạt giống ngẫu nhiên (cùng hạt giống cho cùng dữ liệu)', '1')
    .requiredOption('--out <dir>', 'thư mục ghi kết quả')
    .option('--format <format>', EXPORT_FORMATS.join(' | '), 'xlsx')
    .option('--scanned-ratio <r>', 'tỉ lệ đơn vị đăng ký đã số hóa (quét) sổ, từ 0 đến 1', '0')
    .option('--scan-zips <layout>', 'bản quét: book (mỗi sổ một tệp zip) hoặc unit (mỗi đơn vị một tệp zip, mỗi sổ một thư mục, như đơn vị quét bàn giao)', 'book')
    .option('--defects <list>', `lỗi cần sinh, "all" hoặc danh sách cách nhau bởi dấu phẩy: ${ALL_DEFECTS.join(', ')}`)
    .action(async (o: { province: string; records: string; seed: string; out: string; format: string; scannedRatio: string; scanZips: string; defects?: string }) => {
      const provinceCode = o.province.padStart(2, '0');
      if (!unitCatalog().province('legacy', provinceCode)) throw GenProvinceUnknown({ code: o.province });
      if (!/^\d+$/.test(o.records) || Number(o.records) < 1) throw GenRecordsInvalid({ value: o.records });
      const scannedRatio = Number(o.scannedRatio);
      if (!/^\d*\.?\d+$/.test(o.scannedRatio) || scannedRatio > 1) throw GenScannedRatioInvalid({ value: o.scannedRatio });
      const defects = o.defects ? parseDefectList(o.defects) : [];
      const unknown = unknownDefects(defects);
      if (unknown.length) throw GenDefectUnknown({ names: unknown });
      const scanZips = SCAN_ZIPS.find((z) => z === o.scanZips);
      if (!scanZips) throw GenScanZipsInvalid({ value: o.scanZips });
      const scanDefects = scanDefectsIn(defects);
      if (scanZips === 'unit' && scanDefects.length) throw GenScanDefectsPerUnit({ names: scanDefects });
      const progress = createProgress('Sinh dữ liệu');
      const summary = await generateExport({
        provinceCode, records: Number(o.records), seed: /^\d+$/.test(o.seed) ? Number(o.seed) : o.seed, out: o.out, format: o.format, scannedRatio, scanZips, defects, onProgress: progress.update,
      });
      progress.stop();
      const exceptions = Object.values(summary.exceptions).reduce((a, b) => a + b, 0);
      const defectRows = Object.values(summary.defects.rows).reduce((a, b) => a + b, 0);
      const { books, pages, units } = summary.scans;
      const scans = units ? `${units.length} tệp zip bản quét theo đơn vị (${books} sổ, ${pages} trang)` : `${books} tệp zip bản quét (${pages} trang)`;
      process.stdout.write(
        `Đã sinh ${summary.records} bản ghi cho ${Object.keys(summary.agencies).length} cơ quan đăng ký (${exceptions} dòng ngoại lệ, ${defectRows} dòng có lỗi được gắn nhãn); ` +
          `${scans}; tệp: ${summary.files.join(', ')}\n`,
      );
    });
}
