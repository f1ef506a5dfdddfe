/** `hotich agency …`: a coordinator's decisions on one agency's part of the run. */
import type { Command } from 'commander';
import { withReview } from '../review-session';
import { asOption } from '../session';

export function register(program: Command): void {
  const agency = program.command('agency').description('Điều phối viên: phần việc của một cơ quan đăng ký trong lượt chạy');

  agency
    .command('close')
    .description('Kết thúc sớm phần việc của cơ quan, có ghi lý do; hồ sơ chưa chuyển được ghi nhận là chưa chuyển')
    .requiredOption('--agency <code>', 'mã cơ quan đăng ký')
    .requiredOption('--reason <text>', 'lý do kết thúc sớm')
    .option('--json', 'in dạng JSON')
    .option(...asOption)
    .action(async (o: { agency: string; reason: string; json?: boolean; as?: string }) => {
      await withReview(o.as, async ({ review, actor }) => {
        const state = await review.close(o.agency, await actor(o.agency), o.reason);
        const left = state.books.reduce((n, b) => n + b.counts.imported + b.counts.approved, 0);
        process.stdout.write(
          o.json
            ? `${JSON.stringify(state, null, 2)}\n`
            : `Đã kết thúc phần việc của cơ quan ${o.agency}: ${state.transfer.transferred} hồ sơ đã chuyển, ${left} hồ sơ chưa chuyển (được ghi nhận). Lý do: ${state.closed?.reason ?? o.reason}\n`,
        );
      });
    });
}
