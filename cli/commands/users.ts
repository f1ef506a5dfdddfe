import type { Command } from 'commander';
import { ROLES, type Role } from '../../domain/access';
import { defineError } from '../../domain/errors';
import { loadConfig } from '../../platform/config';
import { resolveDatabaseUrl } from '../../platform/database-url';
import { createPool } from '../../db/pool';
import { createUsersRepository } from '../../api/repositories/users';
import { createUserAccounts, SERVER_CONSOLE, type AccountActor, type UserAccounts } from '../../services/user-accounts';

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

export const CliNotAdmin = defineError<{ username: string }>(
  'CLI_USER_NOT_ADMIN',
  'forbidden',
  (p) => `${p.username} is not an active administrator`,
  (p) => `Người dùng ${p.username} không phải quản trị viên đang hoạt động; bỏ --as để thao tác với tư cách máy chủ.`,
);

/**
 * The accounts, changed as the administrator named by --as or, without it, as the server's
 * console (who makes the first administrator); each change is audited as made by that actor.
 */
async function withAccounts<T>(as: string | undefined, fn: (accounts: UserAccounts, by: AccountActor) => Promise<T>): Promise<T> {
  const pool = createPool(resolveDatabaseUrl(loadConfig()), { max: 1 });
  try {
    let by = SERVER_CONSOLE;
    if (as !== undefined) {
      const admin = await createUsersRepository(pool).find(as);
      if (admin?.role !== 'admin') throw CliNotAdmin({ username: as });
      by = { username: admin.username, role: 'admin' };
    }
    return await fn(createUserAccounts(pool), by);
  } finally {
    await pool.end();
  }
}

/** --password, or HOTICH_PASSWORD so that it stays out of the shell's history. */
function passwordOf(given: string | undefined): string {
  const password = given ?? process.env.HOTICH_PASSWORD;
  if (!password || password.length < 12) throw PasswordMissing({});
  return password;
}

const AS = ['--as <admin>', 'quản trị viên thực hiện (bỏ trống: ghi là máy chủ)'] as const;

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
    .option(...AS)
    .action(async (o: { username: string; role: string; province?: string; agency?: string; displayName?: string; password?: string; as?: string }) => {
      if (!(ROLES as readonly string[]).includes(o.role)) throw RoleUnknown({ role: o.role });
      const password = passwordOf(o.password);
      const user = await withAccounts(o.as, (accounts, by) =>
        accounts.create({ username: o.username, password, role: o.role as Role, provinceCode: o.province ?? null, agencyCode: o.agency ?? null, displayName: o.displayName ?? '' }, by),
      );
      process.stdout.write(`Đã tạo người dùng ${user.username} (${user.role}${user.agencyCode ? `, cơ quan ${user.agencyCode}` : user.provinceCode ? `, tỉnh ${user.provinceCode}` : ''}).\n`);
    });

  users
    .command('list')
    .description('Liệt kê người dùng, cả tài khoản đã khoá')
    .action(async () => {
      const list = await withAccounts(undefined, (accounts) => accounts.list());
      for (const u of list) process.stdout.write(`${u.username.padEnd(20)} ${u.role.padEnd(12)} ${(u.agencyCode ?? u.provinceCode ?? '').padEnd(6)}${u.disabled ? ' đã khoá' : ''}`.trimEnd() + '\n');
    });

  users
    .command('disable <username>')
    .description('Khoá tài khoản (nghỉ việc, chuyển công tác…): không đăng nhập được nữa, phiên đang mở kết thúc ở yêu cầu kế tiếp')
    .requiredOption('--reason <text>', 'lý do khoá, ghi vào nhật ký kiểm toán')
    .option(...AS)
    .action(async (username: string, o: { reason: string; as?: string }) => {
      const account = await withAccounts(o.as, (accounts, by) => accounts.disable(username, o.reason, by));
      process.stdout.write(`Đã khoá tài khoản ${account.username}.\n`);
    });

  users
    .command('enable <username>')
    .description('Mở khoá tài khoản')
    .option(...AS)
    .action(async (username: string, o: { as?: string }) => {
      const account = await withAccounts(o.as, (accounts, by) => accounts.enable(username, by));
      process.stdout.write(`Đã mở khoá tài khoản ${account.username}.\n`);
    });

  users
    .command('password <username>')
    .description('Đặt lại mật khẩu của một tài khoản (mật khẩu không ghi vào nhật ký)')
    .option('--password <password>', 'mật khẩu mới (nên dùng biến HOTICH_PASSWORD)')
    .option(...AS)
    .action(async (username: string, o: { password?: string; as?: string }) => {
      const password = passwordOf(o.password);
      const account = await withAccounts(o.as, (accounts, by) => accounts.setPassword(username, password, by));
      process.stdout.write(`Đã đặt lại mật khẩu của ${account.username}.\n`);
    });
}
