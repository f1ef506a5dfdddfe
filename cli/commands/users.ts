import type { Command } from 'commander';
import { ROLES, type Role } from '../../domain/access';
import { defineError } from '../../domain/errors';
import { loadConfig } from '../../platform/config';
import { resolveDatabaseUrl } from '../../platform/database-url';
import { createPool } from '../../db/pool';
import { createUsersRepository } from '../../api/repositories/users';

export const PasswordMissing = defineError(
  'USER_PASSWORD_MISSING',
  'validation',
  () => 'a password of at least 12 characters is required (--password or HOTICH_PASSWORD)',
  () => 'Cần mật khẩu dài ít nhất 12 ký tự (--password hoặc biến môi trường HOTICH_PASSWORD).',
);

export const RoleUnknown = defineError<{ role: string }>(
  'USER_ROLE_UNKNOWN',
  'validation',
  (p) => `unknown role ${p.role}; one of ${ROLES.join(', ')}`,
  (p) => `Vai trò "${p.role}" không tồn tại; chọn một trong: ${ROLES.join(', ')}.`,
);

async function withUsers<T>(fn: (users: ReturnType<typeof createUsersRepository>) => Promise<T>): Promise<T> {
  const pool = createPool(resolveDatabaseUrl(loadConfig()), { max: 1 });
  try {
    return await fn(createUsersRepository(pool));
  } finally {
    await pool.end();
  }
}

export function register(program: Command): void {
  const users = program.command('users').description('Quản lý người dùng');

  users
    .command('add')
    .description('Tạo người dùng (điều phối viên cần --province, công chức cần --agency)')
    .requiredOption('--username <name>', 'tên đăng nhập (chữ thường, số, . _ -)')
    .requiredOption('--role <role>', `vai trò: ${ROLES.join(' | ')}`)
    .option('--province <code>', 'mã tỉnh 2 chữ số (điều phối viên, kiểm toán viên cấp tỉnh)')
    .option('--agency <code>', 'mã cơ quan đăng ký (công chức)')
    .option('--display-name <name>', 'họ tên hiển thị')
    .option('--password <password>', 'mật khẩu (nên dùng biến HOTICH_PASSWORD để không lưu vào lịch sử lệnh)')
    .action(async (o: { username: string; role: string; province?: string; agency?: string; displayName?: string; password?: string }) => {
      if (!(ROLES as readonly string[]).includes(o.role)) throw RoleUnknown({ role: o.role });
      const password = o.password ?? process.env.HOTICH_PASSWORD;
      if (!password || password.length < 12) throw PasswordMissing({});
      const user = await withUsers((repo) =>
        repo.create({ username: o.username, password, role: o.role as Role, provinceCode: o.province ?? null, agencyCode: o.agency ?? null, displayName: o.displayName ?? '' }),
      );
      process.stdout.write(`Đã tạo người dùng ${user.username} (${user.role}${user.agencyCode ? `, cơ quan ${user.agencyCode}` : user.provinceCode ? `, tỉnh ${user.provinceCode}` : ''}).\n`);
    });

  users
    .command('list')
    .description('Liệt kê người dùng')
    .action(async () => {
      const list = await withUsers((repo) => repo.list());
      for (const u of list) process.stdout.write(`${u.username.padEnd(20)} ${u.role.padEnd(12)} ${u.agencyCode ?? u.provinceCode ?? ''}\n`);
    });
}
