import type { Command } from 'commander';
import { Client } from '@temporalio/client';
import { connectTemporal } from '../../platform/temporal-connection';
import { loadConfig } from '../../platform/config';
import { acknowledgePlatformCheck, platformCheck, platformCheckStatus } from '../../workflows/platform-check';

export function register(program: Command): void {
  program
    .command('smoke')
    .description('Chạy thử một quy trình kiểm tra nền tảng qua Temporal, worker và PostgreSQL')
    .option('--no-acknowledge', 'để quy trình chờ xác nhận (xem trong Temporal UI)')
    .action(async (opts: { acknowledge: boolean }) => {
      const config = loadConfig();
      const address = config.temporal.address ?? `127.0.0.1:${config.temporal.port}`;
      const connection = await connectTemporal(address);
      try {
        const client = new Client({ connection, namespace: config.temporal.namespace });
        const workflowId = `platform-check/${new Date().toISOString()}`;
        const handle = await client.workflow.start(platformCheck, {
          taskQueue: config.temporal.taskQueue,
          workflowId,
          args: [{ requestedBy: 'hotich smoke' }],
        });
        process.stdout.write(`Đã khởi chạy quy trình ${workflowId}\n`);
        for (let i = 0; i < 300 && (await handle.query(platformCheckStatus)).phase !== 'waiting'; i++) await new Promise((r) => setTimeout(r, 100));
        if (!opts.acknowledge) {
          process.stdout.write('Quy trình đang chờ xác nhận.\n');
          return;
        }
        await handle.executeUpdate(acknowledgePlatformCheck, { args: [{ by: 'hotich smoke' }] });
        const result = await handle.result();
        process.stdout.write(`Hoàn tất: bản ghi nhật ký số ${result.auditSeq}, xác nhận bởi ${result.acknowledgedBy}\n`);
      } finally {
        await connection.close();
      }
    });
}
