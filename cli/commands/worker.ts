import type { Command } from 'commander';
import { runUntilStopped } from './start';

export function register(program: Command): void {
  program
    .command('worker')
    .description('Chỉ chạy Temporal worker (dùng TEMPORAL_ADDRESS và DATABASE_URL khi đã đặt)')
    .action(() => runUntilStopped({ worker: true, api: false }));
}
