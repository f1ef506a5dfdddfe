/**
 * `hotich audit …`: what auditors check. `verify` walks the audit log's chain of each province
 * and says where an entry was edited, removed or moved since it was written.
 */
import type { Command } from 'commander';
import { createUsersRepository } from '../../api/repositories/users';
import { createPool } from '../../db/pool';
import { canSee, ROLE_LABELS_VI } from '../../domain/access';
import type { ChainBreak } from '../../domain/audit/audit-chain';
import { AUDIT_ACTION_LABELS_VI } from '../../domain/audit/audit-entry';
import { defineError } from '../../domain/errors';
import { loadConfig } from '../../platform/config';
import { resolveDatabaseUrl } from '../../platform/database-url';
import { verifyAuditLog, type ChainReport } from '../../services/audit-verification';
import { asOption, CliUserMissing } from '../session';
import { CliOptionInvalid } from './review';

export const CliNotAuditor = defineError<{ username: string; province?: string }>(
  'CLI_USER_NOT_AUDITOR',
  'forbidden',
  (p) => `${p.username} may not audit ${p.province ? `province ${p.province}` : 'every province'}`,
  (p) =>
    `Người dùng ${p.username} không được kiểm tra nhật ký kiểm toán ${p.province ? `của tỉnh ${p.province}` : 'của mọi tỉnh'}: việc này dành cho ${ROLE_LABELS_VI.auditor.toLowerCase()} cấp toàn quốc` +
    `${p.province ? ' hoặc của tỉnh đó' : '; kiểm toán viên cấp tỉnh hãy ghi --province <mã tỉnh>'}.`,
);

const chainName = (p: string | null) => (p === null ? 'Chuỗi hệ thống (không thuộc tỉnh nào)' : `Tỉnh ${p}`);

function describeEntry(b: ChainBreak): string {
  const e = b.entry;
  return `mục thứ ${e.chainPos} (số ${e.seq}, ${AUDIT_ACTION_LABELS_VI[e.action] ?? e.action} [${e.action}], ${e.at}, ${e.actor})`;
}

function describeBreak(b: ChainBreak): string {
  switch (b.kind) {
    case 'edited':
      return `${describeEntry(b)}: đã bị sửa — nội dung không còn cho ra mã băm đã ghi.`;
    case 'removed':
      return b.missing
        ? `${describeEntry(b)}: ${b.missing[0] === b.missing[1] ? `mục thứ ${b.missing[0]}` : `các mục thứ ${b.missing[0]} đến ${b.missing[1]}`} ngay trước nó đã bị xoá.`
        : `${describeEntry(b)}: mục được ghi ngay trước nó không còn trong chuỗi (đã bị xoá hoặc bị ghi lại).`;
    case 'reordered':
      return `${describeEntry(b)}: đã bị đổi chỗ — khi ghi, nó đứng ngay sau mục nay ở vị trí ${b.writtenAfterPosition}.`;
    case 'renumbered':
      return `${describeEntry(b)}: số thứ tự trong chuỗi đã bị sửa (đúng ra là ${b.expectedPosition}).`;
  }
}

export function describeVerification(reports: readonly ChainReport[]): string {
  if (reports.length === 0) return 'Nhật ký kiểm toán chưa có mục nào.\n';
  const lines: string[] = [];
  for (const r of reports) {
    const head = r.head ? `; mục cuối: thứ ${r.head.position}, lúc ${r.head.at}, mã băm ${r.head.hash}` : '';
    if (r.breakCount === 0) lines.push(`${chainName(r.provinceCode)}: ${r.entries} mục, chuỗi nguyên vẹn${head}.`);
    else {
      lines.push(`${chainName(r.provinceCode)}: ${r.entries} mục, ${r.breakCount} chỗ hỏng${head}:`);
      for (const b of r.breaks) lines.push(`  ${describeBreak(b)}`);
      if (r.breakCount > r.breaks.length) lines.push(`  … và ${r.breakCount - r.breaks.length} chỗ hỏng khác.`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export function register(program: Command): void {
  const audit = program.command('audit').description('Kiểm toán: nhật ký kiểm toán, lịch sử các lượt chạy');

  audit
    .command('verify')
    .description('Kiểm tra chuỗi mã băm của nhật ký kiểm toán: tìm mục bị sửa, bị xoá hay bị đổi chỗ')
    .option('--province <code>', 'chỉ kiểm tra chuỗi của một tỉnh (mã 2 chữ số)')
    .option('--json', 'in kết quả dạng JSON')
    .option(...asOption)
    .action(async (o: { province?: string; json?: boolean; as?: string }) => {
      if (o.province !== undefined && !/^[0-9]{2}$/.test(o.province)) throw CliOptionInvalid({ option: '--province', value: o.province, hint: 'mã tỉnh gồm 2 chữ số' });
      const pool = createPool(resolveDatabaseUrl(loadConfig()), { max: 2 });
      let reports: ChainReport[];
      try {
        const username = o.as ?? process.env.HOTICH_USER;
        if (!username) throw CliUserMissing({});
        const user = await createUsersRepository(pool).find(username);
        // An auditor of one province checks that province's chain; national auditors and admins, any.
        const national = user && (user.role === 'admin' || (user.role === 'auditor' && !user.provinceCode));
        const allowed = user && (national || (user.role === 'auditor' && o.province !== undefined && canSee(user, { provinceCode: o.province })));
        if (!allowed) throw CliNotAuditor({ username, province: o.province });
        reports = await verifyAuditLog(pool, { provinceCode: o.province });
      } finally {
        await pool.end();
      }
      process.stdout.write(o.json ? `${JSON.stringify(reports, null, 2)}\n` : describeVerification(reports));
      if (reports.some((r) => r.breakCount > 0)) process.exitCode = 1;
    });
}
