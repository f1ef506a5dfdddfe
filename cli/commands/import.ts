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
import type { ExcelImportResult } from '../../domain/imports/import-types';
import { isRegisterTypeCode, REGISTER_TYPE_CODES } from '../../domain/registers/register-types';
import { ImportRegisterTypeInvalid } from '../../domain/runs/run-errors';
import { createLocalContentStore } from '../../activities/files/content-store';
import { createAgencyImports } from '../../services/agency-imports';
import { asOption, withSession } from '../session';

export const CliNotAgencyUser = defineError<{ username: string; agency: string }>(
  'CLI_USER_NOT_OF_AGENCY',
  'forbidden',
  (p) => `${p.username} is neither an official of agency ${p.agency} nor a coordinator of its province`,
  (p) => `Người dùng ${p.username} không phải cán bộ của cơ quan mã ${p.agency}, cũng không phải điều phối viên của tỉnh.`,
);

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
      await withSession(o.as, async ({ temporal, pool, paths, user }) => {
        const u = await user();
        const agency = await pool.query<{ province_code: string }>('SELECT province_code FROM agencies WHERE code = $1', [o.agency]);
        const provinceCode = agency.rows[0]?.province_code ?? '';
        const allowed = u && (u.role === 'official' || u.role === 'coordinator' || u.role === 'admin') && canSee(u, { provinceCode, agencyCode: o.agency });
        if (!allowed) throw CliNotAgencyUser({ username: u?.username ?? o.as ?? process.env.HOTICH_USER ?? '', agency: o.agency });

        const imports = createAgencyImports({ temporal, pool, store: createLocalContentStore(paths.store) });
        const source = await imports.store(fs.createReadStream(file), path.basename(file));
        const result = await imports.importExcel({ agencyCode: o.agency, registerType, source, by: { username: u.username, agencyCode: u.agencyCode ?? undefined } });
        process.stdout.write(o.json ? `${JSON.stringify(result, null, 2)}\n` : describeExcelImport(result));
        if (result.errorFile) {
          const { fileName, stream } = imports.errorWorkbook(await imports.get(result.importId));
          const target = o.errors ?? path.join(path.dirname(file), fileName);
          await pipeline(stream, fs.createWriteStream(target));
          if (!o.json) process.stdout.write(`Các dòng bị từ chối (kèm lý do) đã lưu vào ${target}: sửa rồi nhập lại tệp đó.\n`);
        }
      });
    });
}
