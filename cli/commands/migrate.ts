import type { Command } from 'commander';
import { loadConfig } from '../../platform/config';
import { resolveDatabaseUrl, resolveOwnerDatabaseUrl } from '../../platform/database-url';
import { connectTemporal } from '../../platform/temporal-connection';
import { ensureSearchAttributes } from '../../platform/temporal-namespace';
import { checkDatabase } from '../../db/pool';
import { migrateUp } from '../../db/migrate';
import { APP_ROLE, appRolePassword, enableAppRoleLogin } from '../../db/app-role';

export function register(program: Command): void {
  program
    .command('migrate')
    .description('Cập nhật cấu trúc cơ sở dữ liệu (chạy các migration còn thiếu, với quyền chủ sở hữu các bảng) và, với máy chủ Temporal riêng (TEMPORAL_ADDRESS), đăng ký các thuộc tính tìm kiếm của quy trình')
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
      // The embedded dev server registers them itself when it starts (platform/services/temporal-dev-server.ts).
      if (!config.temporal.address) return;
      const connection = await connectTemporal(config.temporal.address);
      try {
        const added = await ensureSearchAttributes(connection, config.temporal.namespace);
        process.stdout.write(added.length ? `Đã đăng ký thuộc tính tìm kiếm trên Temporal: ${added.join(', ')}\n` : 'Temporal đã có đủ thuộc tính tìm kiếm.\n');
      } finally {
        await connection.close();
      }
    });
}
