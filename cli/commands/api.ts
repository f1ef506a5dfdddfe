import type { Command } from 'commander';
import { runUntilStopped } from './start';

export function register(program: Command): void {
  program
    .command('api')
    .description('Chỉ chạy API và trang web (dùng TEMPORAL_ADDRESS và DATABASE_URL khi đã đặt)')
    .action(() => runUntilStopped({ worker: false, api: true }));
}
