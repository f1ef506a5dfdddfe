import type { Command } from 'commander';
import { loadConfig } from '../../platform/config';
import { resolveDatabaseUrl } from '../../platform/database-url';
import { checkDatabase } from '../../db/pool';
import { migrateUp } from '../../db/migrate';

export function register(program: Command): void {
  program
    .command('migrate')
    .description('Cập nhật cấu trúc cơ sở dữ liệu (chạy các migration còn thiếu)')
    .action(async () => {
      const url = resolveDatabaseUrl(loadConfig());
      await checkDatabase(url);
      const applied = await migrateUp(url);
      process.stdout.write(applied.length ? `Đã áp dụng: ${applied.join(', ')}\n` : 'Cơ sở dữ liệu đã ở phiên bản mới nhất.\n');
    });
}
