/**
 * `hotich import …`: Step 3 from the server's command line, as an official of the agency (or a
 * coordinator of its province) — the same service as the API. The rejected rows of an import
 * are written beside the file, as a workbook to fix and import again.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { canSee } from '../../domain/access';
import { defineError } from '../../domain/errors';
import type { ExcelImportResult, ImportActor } from '../../domain/imports/import-types';
import { mayAct } from '../../domain/records/life-cycle';
import type { ScanImportReport } from '../../domain/scans/scan-import';
import { isRegisterTypeCode, REGISTER_TYPE_CODES } from '../../domain/registers/register-types';
import { ImportRegisterTypeInvalid } from '../../domain/runs/run-errors';
import { createLocalContentStore } from '../../activities/files/content-store';
import { createAgencyImports, type AgencyImports } from '../../services/agency-imports';
import { asOption, withSession } from '../session';
import { inputFile } from '../input-file';

export const CliNotAgencyUser = defineError<{ username: string; agency: string }>(
  'CLI_USER_NOT_OF_AGENCY',
  'forbidden',
  (p) => `${p.username} is neither an official of agency ${p.agency} nor a coordinator of its province`,
  (p) => `Người dùng ${p.username} không phải cán bộ của cơ quan mã ${p.agency}, cũng không phải điều phối viên của tỉnh.`,
);

/** The import service, for a user who may import for the agency: one of its officials, or a coordinator of its province. */
async function withImports(as: string | undefined, agencyCode: string, fn: (imports: AgencyImports, by: ImportActor) => Promise<void>): Promise<void> {
  await withSession(as, async ({ temporal, pool, paths, user }) => {
    const u = await user();
    const agency = await pool.query<{ province_code: string }>('SELECT province_code FROM agencies WHERE code = $1', [agencyCode]);
    const provinceCode = agency.rows[0]?.province_code ?? '';
    // Who imports, as the record life cycle says (the same for data and for pages): the agency's officials, its province's coordinators.
    const allowed = u && mayAct('import', u.role) && mayAct('attachPage', u.role) && canSee(u, { provinceCode, agencyCode });
    if (!allowed) throw CliNotAgencyUser({ username: u?.username ?? as ?? process.env.HOTICH_USER ?? '', agency: agencyCode });
    await fn(createAgencyImports({ temporal, pool, store: createLocalContentStore(paths.store) }), { username: u.username, agencyCode: u.agencyCode ?? undefined });
  });
}

function describeExcelImport(r: ExcelImportResult): string {
  const c = r.counts;
  const lines = [
    `Lần nhập số ${r.importId} — ${r.source.name} (${r.registerType}), cơ quan ${r.agencyCode}:`,
    `  Đọc ${c.read} dòng = ${c.inserted} thêm mới + ${c.updated} cập nhật (giữ bản cũ) + ${c.unchanged} không đổi + ${c.rejected} bị từ chối`,
  ];
  if (r.blankRows) lines.push(`  Bỏ qua ${r.blankRows} dòng trống`);
  for (const [code, n] of Object.entries(r.rejectedByCode)) lines.push(`  Từ chối ${code}: ${n} dòng`);
  if (r.attachedWaitingScans) lines.push(`  Gắn ${r.attachedWaitingScans} trang quét đang chờ bản ghi`);
  lines.push(`  Sổ có dữ liệu: ${r.books.map((b) => `${b.bookYear}/${b.bookNumber} (${b.records})`).join(', ') || 'không có'}`);
  return `${lines.join('\n')}\n`;
}

function describeScanImport(r: ScanImportReport): string {
  const c = r.counts;
  const lines = [
    `Lần nhập số ${r.importId} — tệp nén ${r.zip.name}, cơ quan ${r.agencyCode}:`,
    `  ${c.entries} tệp = ${c.attached} gắn mới + ${c.alreadyAttached} đã có (không đổi) + ${c.replaced} thay thế (giữ tệp cũ) + ${c.unmatched} chưa có bản ghi (giữ lại, tự gắn khi nhập bản ghi) + ${c.rejected} bị từ chối`,
  ];
  if (r.zipName) lines.push(`  Lưu ý: ${r.zipName.messageVi}`);
  for (const x of r.rejected) lines.push(`  Từ chối ${x.entry} [${x.reason}]: ${x.messageVi}`);
  for (const b of r.missingPages) lines.push(`  Sổ ${b.registerType} năm ${b.bookYear} quyển ${b.book} còn thiếu trang quét của số: ${b.registrationNumbers.join(', ')}`);
  if (r.truncatedLists?.length) lines.push(`  (Danh sách đã rút gọn; xem đủ tại GET /api/imports/${r.importId})`);
  return `${lines.join('\n')}\n`;
}

export function register(program: Command): void {
  const imp = program.command('import').description('Bước 3: nhập dữ liệu Excel và tệp quét của một cơ quan đăng ký');

  imp
    .command('excel <file>')
    .description('Nhập một tệp Excel (.xls, .xlsx) của một loại sổ')
    .requiredOption('--agency <code>', 'mã cơ quan đăng ký')
    .requiredOption('--type <registerType>', `loại sổ: ${REGISTER_TYPE_CODES.join(', ')}`)
    .option('--errors <file>', 'nơi lưu các dòng bị từ chối (mặc định: cạnh tệp nhập)')
    .option('--json', 'in kết quả dạng JSON')
    .option(...asOption)
    .action(async (file: string, o: { agency: string; type: string; errors?: string; json?: boolean; as?: string }) => {
      const registerType = o.type.toUpperCase();
      if (!isRegisterTypeCode(registerType)) throw ImportRegisterTypeInvalid({ value: o.type });
      await withImports(o.as, o.agency, async (imports, by) => {
        const source = await imports.store(fs.createReadStream(inputFile(file)), path.basename(file));
        const result = await imports.importExcel({ agencyCode: o.agency, registerType, source, by });
        process.stdout.write(o.json ? `${JSON.stringify(result, null, 2)}\n` : describeExcelImport(result));
        if (result.errorFile) {
          const { fileName, stream } = imports.errorWorkbook(await imports.get(result.importId));
          const target = o.errors ?? path.join(path.dirname(file), fileName);
          await pipeline(stream, fs.createWriteStream(target));
          if (!o.json) process.stdout.write(`Các dòng bị từ chối (kèm lý do) đã lưu vào ${target}: sửa rồi nhập lại tệp đó.\n`);
        }
      });
    });

  imp
    .command('scans <zips...>')
    .description('Nhập các tệp .zip trang sổ đã quét (PDF đặt tên theo quy tắc số hoá), gắn vào bản ghi')
    .requiredOption('--agency <code>', 'mã cơ quan đăng ký')
    .option('--unit <code>', 'mã xã, phường cũ giữ các sổ này (khi cơ quan được hợp nhất từ nhiều đơn vị)')
    .option('--json', 'in báo cáo dạng JSON')
    .option(...asOption)
    .action(async (zips: string[], o: { agency: string; unit?: string; json?: boolean; as?: string }) => {
      await withImports(o.as, o.agency, async (imports, by) => {
        const reports: ScanImportReport[] = [];
        for (const file of zips) {
          const zip = await imports.store(fs.createReadStream(inputFile(file)), path.basename(file));
          const report = await imports.importScans({ agencyCode: o.agency, zip, by, unitCode: o.unit });
          reports.push(report);
          if (!o.json) process.stdout.write(describeScanImport(report));
        }
        if (o.json) process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
      });
    });
}
