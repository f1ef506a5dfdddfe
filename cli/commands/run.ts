/**
 * `hotich run …`: a coordinator's province run from the server's command line — the same
 * operations as the API, through the same service. Every decision is made as a named user
 * (--as, or HOTICH_USER) who must coordinate that province.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { canSee } from '../../domain/access';
import { defineError } from '../../domain/errors';
import { AGENCY_PHASE_VI, provinceOfRun, RUN_PHASE_VI, type AgencySchedule, type ProvinceRunProgress } from '../../domain/runs/province-run';
import { RunNotFound } from '../../domain/runs/run-errors';
import { parseScheduleCsv } from '../../domain/runs/schedule-csv';
import { requireProvinceCode } from '../../domain/units/province-code';
import { createProvinceRuns, type ProvinceRuns, type RunStatus } from '../../services/province-runs';
import { createProgress } from '../progress';
import { asOption, withSession } from '../session';
import { loadConfig } from '../../platform/config';

export const CliUserNotAllowed = defineError<{ username: string; province: string }>(
  'CLI_USER_NOT_ALLOWED',
  'forbidden',
  (p) => `${p.username} is not an active coordinator of province ${p.province}`,
  (p) => `Người dùng ${p.username} không phải điều phối viên đang hoạt động của tỉnh ${p.province}.`,
);

export const ScheduleFileInvalid = defineError<{ file: string; problem: string }>(
  'CLI_SCHEDULE_FILE_INVALID',
  'validation',
  (p) => `schedule file ${p.file}: ${p.problem}`,
  (p) => `Tệp lịch nhập ${p.file} không hợp lệ: ${p.problem}. Dùng tệp .csv có các cột "Mã cơ quan", "Bắt đầu", "Địa điểm" hoặc tệp .json.`,
);

interface Session {
  runs: ProvinceRuns;
  /** The username decisions are recorded under, once checked against the province. */
  actor(provinceCode: string): Promise<string>;
}

async function withRuns<T>(as: string | undefined, fn: (s: Session) => Promise<T>): Promise<T> {
  return withSession(as, async ({ config, temporal, pool, paths, user }) =>
    fn({
      runs: createProvinceRuns({ temporal, pool, paths, taskQueue: config.temporal.taskQueue, review: config.review }),
      async actor(provinceCode) {
        const u = await user();
        if (!u || !['coordinator', 'admin'].includes(u.role) || !canSee(u, { provinceCode })) throw CliUserNotAllowed({ username: u?.username ?? as ?? process.env.HOTICH_USER ?? '', province: provinceCode });
        return u.username;
      },
    }),
  );
}

const provinceOf = (runId: string) => {
  try {
    return provinceOfRun(runId);
  } catch {
    throw RunNotFound({ runId });
  }
};

function describeStatus(s: RunStatus): string {
  const p = s.progress;
  const lines = [`Lượt chạy ${p.runId} (tỉnh ${p.provinceCode}): ${RUN_PHASE_VI[p.phase]}`];
  for (const step of s.steps) lines.push(`  Bước ${step.step} — ${step.nameVi}: ${{ pending: 'chưa đến', active: 'đang làm', waiting: 'chờ người dùng', done: 'xong', failed: 'thất bại', cancelled: 'đã huỷ' }[step.status]}`);
  if (p.package) lines.push(`  Gói dữ liệu: ${p.package.name}, ${p.package.sizeBytes} byte, SHA-256 ${p.package.sha256}, ${p.package.files.length} tệp`);
  if (p.handover) lines.push(`  Xác nhận bàn giao: ${p.handover.confirmedBy} lúc ${p.handover.confirmedAt}`);
  if (p.phase === 'splitting') lines.push(`  Đã đọc ${p.splitRows} dòng`);
  if (p.split) {
    const reasons = Object.entries(p.split.exceptionsByReason).map(([code, n]) => `${code}: ${n}`).join(', ');
    lines.push(`  Kết quả tách: ${p.split.inputRows} dòng = ${p.split.rowsWritten} dòng vào ${p.agencies.length} cơ quan + ${p.split.exceptionRows} dòng ngoại lệ${reasons ? ` (${reasons})` : ''}`);
  }
  if (p.release) lines.push(`  Giao dữ liệu: ${p.release.releasedBy} lúc ${p.release.releasedAt}, ${p.release.scheduled} cơ quan có lịch nhập`);
  if (p.failure) lines.push(`  Lỗi [${p.failure.code}]: ${p.failure.messageVi}`);
  if (p.cancelled) lines.push(`  Huỷ bởi ${p.cancelled.by} lúc ${p.cancelled.at}: ${p.cancelled.reason}`);
  for (const a of p.agencies) {
    const slot = a.schedule ? `, lịch ${a.schedule.startsAt}${a.schedule.place ? ` tại ${a.schedule.place}` : ''}` : '';
    const overdue = a.overdueBooks ? ` — QUÁ HẠN: ${a.overdueBooks} sổ không có thao tác` : '';
    lines.push(`  ${a.code.padEnd(5)} ${a.name} — ${a.rows} dòng, ${a.files} tệp — ${AGENCY_PHASE_VI[a.phase]}${slot}${overdue}`);
  }
  return `${lines.join('\n')}\n`;
}

/** Waits through a working phase with a progress display; splitting counts rows. */
async function waitThrough(runs: ProvinceRuns, runId: string, phases: Array<ProvinceRunProgress['phase']>): Promise<RunStatus> {
  const progress = createProgress('Tách dữ liệu');
  let counted = false;
  const s = await runs.waitWhile(runId, phases, (st) => {
    if (st.progress.phase === 'splitting' || (counted && st.progress.splitRows)) {
      counted = true;
      progress.update(st.progress.splitRows, 0);
    }
  });
  if (counted) progress.stop();
  return s;
}

/** A schedule as a coordinator keeps it: CSV "Mã cơ quan, Bắt đầu, Địa điểm" or JSON { code: { startsAt, place } }. */
export function readScheduleFile(file: string): Record<string, AgencySchedule> {
  const text = fs.readFileSync(file, 'utf8').replace(/^\uFEFF/, '');
  if (file.toLowerCase().endsWith('.json')) {
    try {
      return JSON.parse(text) as Record<string, AgencySchedule>;
    } catch (e) {
      throw ScheduleFileInvalid({ file, problem: e instanceof Error ? e.message : String(e) });
    }
  }
  return parseScheduleCsv(text);
}


export function register(program: Command): void {
  const run = program.command('run').description('Lượt chạy cấp tỉnh: tiếp nhận (Bước 1), tách (Bước 2) và giao dữ liệu cho các cơ quan');

  run
    .command('start')
    .description('Tiếp nhận gói dữ liệu C06 và bắt đầu lượt chạy (gửi lại cùng gói thì nhận lại cùng lượt chạy)')
    .requiredOption('--province <code>', 'mã tỉnh, 2 chữ số')
    .requiredOption('--input <file>', 'gói dữ liệu: .xlsx, .xls, .csv hoặc .zip; tệp trong thư mục tiếp nhận được đọc tại chỗ')
    .requiredOption('--sha256 <hex>', 'mã SHA-256 ghi trong biên bản bàn giao')
    .option('--delivered-by <who>', 'bên giao theo biên bản', 'không ghi rõ')
    .option('--channel <channel>', 'kênh truyền đã thống nhất', 'không ghi rõ')
    .option('--wait', 'chờ đến khi tiếp nhận xong')
    .option(...asOption)
    .action(async (o: { province: string; input: string; sha256: string; deliveredBy: string; channel: string; wait?: boolean; as?: string }) => {
      const provinceCode = requireProvinceCode(o.province);
      await withRuns(o.as, async ({ runs, actor }) => {
        const startedBy = await actor(provinceCode);
        const inbox = path.resolve(loadConfig().inboxDir);
        const file = path.resolve(o.input);
        const inInbox = file.startsWith(inbox + path.sep);
        const source = inInbox
          ? { kind: 'inbox' as const, path: path.relative(inbox, file) }
          : { kind: 'staged' as const, token: (await runs.stageUpload(fs.createReadStream(file))).token };
        const r = await runs.start({ provinceCode, source, originalName: path.basename(file), sha256: o.sha256, deliveredBy: o.deliveredBy, channel: o.channel, startedBy });
        process.stdout.write(`${r.existing ? 'Gói này đã được tiếp nhận trong lượt chạy' : 'Đã bắt đầu lượt chạy'} ${r.runId}\n`);
        if (!o.wait) return;
        const s = await runs.waitWhile(r.runId, ['receiving']);
        process.stdout.write(describeStatus(s));
        if (s.progress.phase === 'awaiting_handover') process.stdout.write(`Tiếp theo: hotich run confirm-handover ${r.runId}\n`);
        if (s.progress.phase === 'failed') process.exitCode = 1;
      });
    });

  run
    .command('status <runId>')
    .description('Tiến độ của lượt chạy theo từng bước và từng cơ quan')
    .option('--json', 'in dạng JSON')
    .action(async (runId: string, o: { json?: boolean }) => {
      await withRuns(undefined, async ({ runs }) => {
        const s = await runs.status(runId);
        process.stdout.write(o.json ? `${JSON.stringify(s, null, 2)}\n` : describeStatus(s));
      });
    });

  run
    .command('confirm-handover <runId>')
    .description('Xác nhận đã nhận đủ gói dữ liệu theo biên bản; lượt chạy bắt đầu tách')
    .option('--wait', 'chờ đến khi tách xong, hiện tiến độ')
    .option(...asOption)
    .action(async (runId: string, o: { wait?: boolean; as?: string }) => {
      await withRuns(o.as, async ({ runs, actor }) => {
        await runs.confirmHandover(runId, await actor(provinceOf(runId)));
        process.stdout.write(`Đã xác nhận bàn giao lượt chạy ${runId}; đang tách dữ liệu.\n`);
        if (!o.wait) return;
        const s = await waitThrough(runs, runId, ['splitting']);
        process.stdout.write(describeStatus(s));
        if (s.progress.phase === 'awaiting_release') process.stdout.write(`Tiếp theo: xem kết quả rồi chạy hotich run release ${runId} [--schedule lich.csv]\n`);
        if (s.progress.phase === 'failed') process.exitCode = 1;
      });
    });

  run
    .command('release <runId>')
    .description('Duyệt kết quả tách và giao dữ liệu cho từng cơ quan (có thể kèm lịch nhập)')
    .option('--schedule <file>', 'lịch nhập: .csv (Mã cơ quan, Bắt đầu, Địa điểm) hoặc .json')
    .option('--auto-import', 'mỗi cơ quan tự nhập các tệp đã tách của mình khi đến lịch')
    .option('--wait', 'chờ đến khi mọi cơ quan đã nhận việc')
    .option(...asOption)
    .action(async (runId: string, o: { schedule?: string; autoImport?: boolean; wait?: boolean; as?: string }) => {
      const schedules = o.schedule ? readScheduleFile(o.schedule) : undefined;
      await withRuns(o.as, async ({ runs, actor }) => {
        await runs.release(runId, await actor(provinceOf(runId)), schedules, { autoImport: o.autoImport });
        process.stdout.write(`Đã duyệt kết quả tách lượt chạy ${runId}.\n`);
        if (o.wait) process.stdout.write(describeStatus(await runs.waitWhile(runId, ['releasing'])));
      });
    });

  run
    .command('cancel <runId>')
    .description('Huỷ lượt chạy (các cơ quan đang chờ nhập cũng được huỷ)')
    .requiredOption('--reason <text>', 'lý do huỷ')
    .option(...asOption)
    .action(async (runId: string, o: { reason: string; as?: string }) => {
      await withRuns(o.as, async ({ runs, actor }) => {
        await runs.cancel(runId, await actor(provinceOf(runId)), o.reason);
        process.stdout.write(`Đã huỷ lượt chạy ${runId}.\n`);
      });
    });

  run
    .command('download <runId>')
    .description('Tải thư mục dữ liệu đã tách của một cơ quan (.zip), hoặc tệp ngoại lệ')
    .option('--agency <code>', 'mã cơ quan đăng ký')
    .option('--exceptions', 'tải tệp ngoại lệ (.xlsx) thay cho thư mục của một cơ quan')
    .option('--out <file>', 'nơi lưu (mặc định: tên tệp gợi ý, trong thư mục hiện tại)')
    .option(...asOption)
    .action(async (runId: string, o: { agency?: string; exceptions?: boolean; out?: string; as?: string }) => {
      await withRuns(o.as, async ({ runs, actor }) => {
        // The files hold personal data: only the province's coordinators take them.
        await actor(provinceOf(runId));
        const { fileName, stream } = o.exceptions
          ? { fileName: `${runId} - ${path.basename(runs.exceptionsFile(runId))}`, stream: fs.createReadStream(runs.exceptionsFile(runId)) }
          : await runs.agencyZip(runId, o.agency ?? '');
        const target = o.out ?? fileName;
        await pipeline(stream, fs.createWriteStream(target));
        process.stdout.write(`Đã lưu ${target}\n`);
      });
    });
}
