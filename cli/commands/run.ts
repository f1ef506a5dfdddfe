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
import { createProvinceRuns, type CustodianList, type ProvinceRuns, type RunStatus } from '../../services/province-runs';
import readline from 'node:readline/promises';
import { isAppError } from '../../domain/errors';
import { RunCustodiansUndecided } from '../../domain/runs/run-errors';
import type { DecisionBatchResult } from '../../domain/runs/province-run';
import { REGISTER_TYPE_CODES } from '../../domain/registers/register-types';
import { createProgress } from '../progress';
import { requireRegisterType } from './split';
import { asOption, withSession } from '../session';
import { loadConfig } from '../../platform/config';
import { inputFile } from '../input-file';

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
  if (p.custodians && Object.keys(p.custodians.needed).length) {
    const total = Object.keys(p.custodians.needed).length;
    const decided = Object.keys(p.custodians.decided).length;
    lines.push(`  Cơ quan lưu giữ sổ của xã bị chia, huyện không còn: đã quyết định ${decided}/${total} đơn vị cũ${decided < total ? ` (xem: hotich run custodians ${p.runId})` : ''}`);
  }
  if (p.custodians?.placed) lines.push(`  Dòng ngoại lệ đã xếp tay: ${p.custodians.placed}`);
  if (p.release) lines.push(`  Giao dữ liệu: ${p.release.releasedBy} lúc ${p.release.releasedAt}, ${p.release.scheduled} cơ quan có lịch nhập`);
  if (p.release?.withoutUndecided) lines.push(`  Giao khi còn ${p.release.withoutUndecided.length} đơn vị cũ chưa có cơ quan lưu giữ: ${p.release.withoutUndecided.join(', ')}`);
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
  const text = fs.readFileSync(inputFile(file), 'utf8').replace(/^\uFEFF/, '');
  if (file.toLowerCase().endsWith('.json')) {
    try {
      return JSON.parse(text) as Record<string, AgencySchedule>;
    } catch (e) {
      throw ScheduleFileInvalid({ file, problem: e instanceof Error ? e.message : String(e) });
    }
  }
  return parseScheduleCsv(text);
}


function describeCustodians(l: CustodianList): string {
  const lines = [`Lượt chạy ${l.runId}: ${l.units.length} đơn vị cũ cần quyết định cơ quan lưu giữ sổ, còn ${l.undecided} chưa quyết định (${l.undecidedRows} dòng); ${l.exceptionRows} dòng ngoại lệ.`];
  for (const u of l.units) {
    const registers = Object.entries(u.registers).map(([t, r]) => `${t} ${r.rows} dòng/${r.books} quyển`).join(', ');
    lines.push(`  ${u.unitCode.padEnd(5)} ${u.unitName} — ${u.rows} dòng (${registers})`);
    if (u.decision) {
      const d = u.decision;
      const committee = d.committeeDecision ? `, QĐ ${d.committeeDecision.number}${d.committeeDecision.date ? ` ngày ${d.committeeDecision.date}` : ''}` : '';
      lines.push(`        → ${d.agencyCode} ${d.agencyName}: ${d.rows} dòng; ${d.decidedBy} lúc ${d.decidedAt}${committee}${d.basis ? `; căn cứ: ${d.basis}` : ''}`);
    } else {
      lines.push(`        có thể giao: ${u.candidates.map((c) => `${c.code} ${c.name}`).join('; ')}${u.level === 'district' ? ' (danh mục không ghi nơi đặt trụ sở huyện cũ)' : ''}`);
    }
  }
  if (l.placements) lines.push(`Xếp tay: ${l.placements.placed} dòng đã xếp, ${l.placements.refused} dòng không xếp được.`);
  return `${lines.join('\n')}\n`;
}

const describeBatch = (r: DecisionBatchResult) =>
  `${r.duplicate ? 'Tệp này đã được xếp trước đó; không có gì thay đổi. ' : ''}${r.decided !== undefined ? `Đã ghi ${r.decided} quyết định cơ quan lưu giữ. ` : ''}${r.placed !== undefined && !r.duplicate ? `Đã xếp ${r.placed} dòng, ${r.refused} dòng không xếp được. ` : ''}Còn ${r.undecided} đơn vị cũ chưa quyết định, ${r.exceptionRows} dòng ngoại lệ.\n`;

/** Asks on a terminal; anything but yes is no. Without a terminal, no. */
async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) return false;
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    return /^(c|có|co|y|yes)$/i.test((await rl.question(question)).trim());
  } finally {
    rl.close();
  }
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
    .option('--register-type <code>', `loại sổ của gói chỉ có một loại sổ mà tên trang, tên tệp và cột "Loại sổ" không cho biết: ${REGISTER_TYPE_CODES.join(', ')}`)
    .option('--wait', 'chờ đến khi tiếp nhận xong')
    .option(...asOption)
    .action(async (o: { province: string; input: string; sha256: string; deliveredBy: string; channel: string; registerType?: string; wait?: boolean; as?: string }) => {
      const provinceCode = requireProvinceCode(o.province);
      const registerType = o.registerType === undefined ? undefined : requireRegisterType(o.registerType);
      await withRuns(o.as, async ({ runs, actor }) => {
        const startedBy = await actor(provinceCode);
        const inbox = path.resolve(loadConfig().inboxDir);
        const file = path.resolve(inputFile(o.input));
        const inInbox = file.startsWith(inbox + path.sep);
        const source = inInbox
          ? { kind: 'inbox' as const, path: path.relative(inbox, file) }
          : { kind: 'staged' as const, token: (await runs.stageUpload(fs.createReadStream(file))).token };
        const r = await runs.start({ provinceCode, source, originalName: path.basename(file), sha256: o.sha256, deliveredBy: o.deliveredBy, channel: o.channel, startedBy, registerType });
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
    .option('--without-undecided', 'xác nhận giao dữ liệu khi còn đơn vị cũ chưa có cơ quan lưu giữ (dòng của chúng ở lại tệp ngoại lệ)')
    .option('--wait', 'chờ đến khi mọi cơ quan đã nhận việc')
    .option(...asOption)
    .action(async (runId: string, o: { schedule?: string; autoImport?: boolean; withoutUndecided?: boolean; wait?: boolean; as?: string }) => {
      const schedules = o.schedule ? readScheduleFile(o.schedule) : undefined;
      await withRuns(o.as, async ({ runs, actor }) => {
        const by = await actor(provinceOf(runId));
        try {
          await runs.release(runId, by, schedules, { autoImport: o.autoImport, withoutUndecided: o.withoutUndecided });
        } catch (e) {
          if (!(isAppError(e) && e.code === RunCustodiansUndecided.code)) throw e;
          // Undecided units are listed, and the coordinator confirms leaving their rows as exceptions.
          const waiting = (await runs.custodians(runId)).units.filter((u) => !u.decision);
          process.stderr.write(`${e.messageVi}\n${waiting.map((u) => `  ${u.unitCode} ${u.unitName}: ${u.rows} dòng\n`).join('')}`);
          if (!(await confirm('Giao dữ liệu mà không có các đơn vị này? (c/K) '))) throw e;
          await runs.release(runId, by, schedules, { autoImport: o.autoImport, withoutUndecided: true });
        }
        process.stdout.write(`Đã duyệt kết quả tách lượt chạy ${runId}.\n`);
        if (o.wait) process.stdout.write(describeStatus(await runs.waitWhile(runId, ['releasing'])));
      });
    });

  run
    .command('custodians <runId>')
    .description('Các xã bị chia và huyện không còn có sổ trong gói dữ liệu: số dòng, số quyển, cơ quan có thể giao, và quyết định đã có')
    .option('--json', 'in dạng JSON')
    .option(...asOption)
    .action(async (runId: string, o: { json?: boolean; as?: string }) => {
      await withRuns(o.as, async ({ runs, actor }) => {
        await actor(provinceOf(runId));
        const list = await runs.custodians(runId);
        process.stdout.write(o.json ? `${JSON.stringify(list, null, 2)}\n` : describeCustodians(list));
      });
    });

  run
    .command('decide-custodians <runId>')
    .description('Quyết định cơ quan lưu giữ sổ của đơn vị cũ: cả bảng (--file) hoặc từng đơn vị (--unit, --agency); thay đổi được đến khi giao dữ liệu')
    .option('--file <table>', 'bảng .csv/.xlsx: "Mã đơn vị cũ", "Mã cơ quan lưu giữ", "Căn cứ" (tuỳ chọn "Tên đơn vị cũ", "Số quyết định", "Ngày quyết định")')
    .option('--unit <code>', 'mã đơn vị cũ (xã bị chia hoặc huyện)')
    .option('--agency <code>', 'mã xã/phường hiện hành lưu giữ sổ')
    .option('--basis <text>', 'căn cứ (bắt buộc khi cơ quan không nằm trong các đơn vị kế thừa)')
    .option('--decision-number <number>', 'số quyết định của UBND tỉnh')
    .option('--decision-date <date>', 'ngày quyết định (dd/mm/yyyy)')
    .option('--json', 'in kết quả dạng JSON')
    .option(...asOption)
    .action(async (runId: string, o: { file?: string; unit?: string; agency?: string; basis?: string; decisionNumber?: string; decisionDate?: string; json?: boolean; as?: string }) => {
      await withRuns(o.as, async ({ runs, actor }) => {
        const by = await actor(provinceOf(runId));
        const committeeDecision = o.decisionNumber || o.decisionDate ? { number: o.decisionNumber ?? '', date: o.decisionDate ?? '' } : undefined;
        const result = o.file
          ? await runs.decideCustodiansFromTable(runId, by, inputFile(o.file), path.basename(o.file))
          : await runs.decideCustodians(runId, by, [{ unitCode: o.unit ?? '', agencyCode: o.agency ?? '', ...(o.basis ? { basis: o.basis } : {}), ...(committeeDecision ? { committeeDecision } : {}) }]);
        process.stdout.write(o.json ? `${JSON.stringify(result, null, 2)}\n` : describeBatch(result));
      });
    });

  run
    .command('place-exceptions <runId>')
    .description('Xếp tay các dòng ngoại lệ: tải lên tệp ngoại lệ của lượt chạy đã điền cột "Mã cơ quan nhận"')
    .requiredOption('--file <workbook>', 'tệp ngoại lệ (.xlsx) đã điền')
    .option('--json', 'in kết quả dạng JSON')
    .option(...asOption)
    .action(async (runId: string, o: { file: string; json?: boolean; as?: string }) => {
      await withRuns(o.as, async ({ runs, actor }) => {
        const result = await runs.placeExceptions(runId, await actor(provinceOf(runId)), inputFile(o.file), path.basename(o.file));
        if (o.json) return void process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
        process.stdout.write(describeBatch(result));
        for (const r of result.refusedRows) process.stdout.write(`  Dòng ${r.sheet}!${r.row} (${r.agencyCode}) chưa xếp — ${r.code}: ${r.messageVi}\n`);
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
