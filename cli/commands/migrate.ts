import type { Command } from 'commander';
import { loadConfig } from '../../platform/config';
import { resolveDatabaseUrl, resolveOwnerDatabaseUrl } from '../../platform/database-url';
import { checkDatabase } from '../../db/pool';
import { migrateUp } from '../../db/migrate';
import { APP_ROLE, appRolePassword, enableAppRoleLogin } from '../../db/app-role';

export function register(program: Command): void {
  program
    .command('migrate')
    .description('Cập nhật cấu trúc cơ sở dữ liệu (chạy các migration còn thiếu, với quyền chủ sở hữu các bảng)')
    .action(async () => {
      const config = loadConfig();
      const ownerUrl = resolveOwnerDatabaseUrl(config);
      await checkDatabase(ownerUrl);
      const applied = await migrateUp(ownerUrl);
      process.stdout.write(applied.length ? `Đã áp dụng: ${applied.join(', ')}\n` : 'Cơ sở dữ liệu đã ở phiên bản mới nhất.\n');
      // The API and the workers connect as the application's role, with the password DATABASE_URL gives it.
      const password = appRolePassword(resolveDatabaseUrl(config));
      if (password) {
        await enableAppRoleLogin(ownerUrl, password);
        process.stdout.write(`Vai trò ${APP_ROLE} của ứng dụng đăng nhập được (chỉ được ghi thêm vào nhật ký kiểm toán, không sửa, không xoá).\n`);
      }
    });
}
