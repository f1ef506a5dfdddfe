/**
 * `hotich transfer …`: where an agency's approved records stand on their way to CSDLHTĐT, and
 * sending them now rather than after the batching delay — the same service as the API.
 */
import type { Command } from 'commander';
import { RECORD_STATE_RULES, RECORD_STATES } from '../../domain/records/life-cycle';
import type { AgencyReview } from '../../services/agency-review';
import { withReview } from '../review-session';
import { asOption } from '../session';
import { CliOptionInvalid } from './review';

type Transfers = Awaited<ReturnType<AgencyReview['transfers']>>;

function describeTransfers(agencyCode: string, t: Transfers): string {
  const lines = [`Cơ quan ${agencyCode}: ${RECORD_STATES.map((s) => `${RECORD_STATE_RULES[s].labelVi}: ${t.byState[s] ?? 0}`).join('; ')}`];
  if (t.batches.length === 0) lines.push('  Chưa có lô chuyển nào.');
  else lines.push('  Các lô chuyển (mới nhất trước):');
  for (const b of t.batches) {
    const status = b.status === 'done' ? `xong lúc ${b.finishedAt}` : 'đang gửi';
    lines.push(`    ${b.batchKey}: ${status} — ${b.records} hồ sơ: ${b.accepted} được nhận, ${b.rejected} bị CSDLHTĐT từ chối (${b.attempts} lần gửi)`);
    const err = b.lastError as { code?: string; messageVi?: string; at?: string } | null;
    if (err) lines.push(`      Lỗi gần nhất${err.at ? ` (${err.at})` : ''} [${err.code ?? '?'}]: ${err.messageVi ?? ''}`);
  }
  return `${lines.join('\n')}\n`;
}

export function register(program: Command): void {
  const transfer = program.command('transfer').description('Bước 4: chuyển hồ sơ đã phê duyệt vào Cơ sở dữ liệu hộ tịch điện tử');

  transfer
    .command('status')
    .description('Số hồ sơ theo trạng thái và các lô chuyển gần nhất, kèm lỗi gần nhất của mỗi lô')
    .requiredOption('--agency <code>', 'mã cơ quan đăng ký')
    .option('--limit <n>', 'số lô gần nhất hiển thị', '20')
    .option('--json', 'in dạng JSON')
    .option(...asOption)
    .action(async (o: { agency: string; limit: string; json?: boolean; as?: string }) => {
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 500) throw CliOptionInvalid({ option: '--limit', value: o.limit, hint: 'cần một số nguyên từ 1 đến 500' });
      await withReview(o.as, async ({ review, reader }) => {
        await reader(o.agency);
        const t = await review.transfers(o.agency, limit);
        process.stdout.write(o.json ? `${JSON.stringify(t, null, 2)}\n` : describeTransfers(o.agency, t));
      });
    });

  transfer
    .command('now')
    .description('Chuyển ngay các hồ sơ đã phê duyệt của cơ quan, không chờ gom lô')
    .requiredOption('--agency <code>', 'mã cơ quan đăng ký')
    .option('--json', 'in dạng JSON')
    .option(...asOption)
    .action(async (o: { agency: string; json?: boolean; as?: string }) => {
      await withReview(o.as, async ({ review, actor }) => {
        const p = await review.transferNow(o.agency, await actor(o.agency));
        process.stdout.write(
          o.json
            ? `${JSON.stringify(p, null, 2)}\n`
            : `Đã yêu cầu chuyển ngay các hồ sơ đã phê duyệt của cơ quan ${o.agency}. Đến nay: ${p.batches} lô, ${p.transferred} hồ sơ đã chuyển, ${p.rejectedByTarget} bị CSDLHTĐT từ chối. Xem tiến độ: hotich transfer status --agency ${o.agency}\n`,
        );
      });
    });
}
