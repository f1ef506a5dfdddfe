/**
 * `hotich audit …`: what auditors check. `verify` walks the audit log's chain of each province
 * and says where an entry was edited, removed or moved since it was written. `runs`, `export`,
 * `replay`, `timeline`, `trail` and `reconcile` read the runs, their histories and the records
 * through the same service as the API (services/audit), as a named auditor (--as, or HOTICH_USER).
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Principal } from '../../domain/access';
import { EXECUTION_STATUSES, WORKFLOW_KINDS, WORKFLOW_PHASES, type RunFilter } from '../../domain/audit/run-search';
import { createAuditing, type Auditing } from '../../services/audit/auditing';
import { replayHistories, type ReplayInput, type ReplayOutcome } from '../../services/audit/replay';
import type { RunListPage } from '../../services/audit/run-list';
import type { RecordTrail } from '../../services/audit/record-trail';
import type { Reconciliation } from '../../services/audit/reconcile';
import type { RunTimeline } from '../../services/audit/auditing';
import { withSession } from '../session';
import { createUsersRepository } from '../../api/repositories/users';
import { createPool } from '../../db/pool';
import { canSee, ROLE_LABELS_VI } from '../../domain/access';
import { chainBreakVi, type ChainBreak } from '../../domain/audit/audit-chain';
import { AUDIT_ACTION_LABELS_VI } from '../../domain/audit/audit-entry';
import { vietnamTime } from '../../domain/text/vietnam-time';
import { defineError } from '../../domain/errors';
import { loadConfig } from '../../platform/config';
import { resolveDatabaseUrl } from '../../platform/database-url';
import { verifyAuditLog, type ChainReport } from '../../services/audit-verification';
import { asOption, CliUserMissing } from '../session';
import { CliOptionInvalid } from './review';

export const CliNotAuditor = defineError<{ username: string; province?: string }>(
  'CLI_USER_NOT_AUDITOR',
  'forbidden',
  (p) => `${p.username} may not audit ${p.province ? `province ${p.province}` : 'every province'}`,
  (p) =>
    `Người dùng ${p.username} không được kiểm tra nhật ký kiểm toán ${p.province ? `của tỉnh ${p.province}` : 'của mọi tỉnh'}: việc này dành cho ${ROLE_LABELS_VI.auditor.toLowerCase()} cấp toàn quốc` +
    `${p.province ? ' hoặc của tỉnh đó' : '; kiểm toán viên cấp tỉnh hãy ghi --province <mã tỉnh>'}.`,
);

const chainName = (p: string | null) => (p === null ? 'Chuỗi hệ thống (không thuộc tỉnh nào)' : `Tỉnh ${p}`);

function describeEntry(b: ChainBreak): string {
  const e = b.entry;
  return `mục thứ ${e.chainPos} (số ${e.seq}, ${AUDIT_ACTION_LABELS_VI[e.action] ?? e.action} [${e.action}], ${vietnamTime(e.at, { seconds: true })}, ${e.actor})`;
}

const describeBreak = (b: ChainBreak) => `${describeEntry(b)}: ${chainBreakVi(b)}.`;

export function describeVerification(reports: readonly ChainReport[]): string {
  if (reports.length === 0) return 'Nhật ký kiểm toán chưa có mục nào.\n';
  const lines: string[] = [];
  for (const r of reports) {
    const head = r.head ? `; mục cuối: thứ ${r.head.position}, lúc ${vietnamTime(r.head.at, { seconds: true })}, mã băm ${r.head.hash}` : '';
    if (r.breakCount === 0) lines.push(`${chainName(r.provinceCode)}: ${r.entries} mục, chuỗi nguyên vẹn${head}.`);
    else {
      lines.push(`${chainName(r.provinceCode)}: ${r.entries} mục, ${r.breakCount} chỗ hỏng${head}:`);
      for (const b of r.breaks) lines.push(`  ${describeBreak(b)}`);
      if (r.breakCount > r.breaks.length) lines.push(`  … và ${r.breakCount - r.breaks.length} chỗ hỏng khác.`);
    }
  }
  return `${lines.join('\n')}\n`;
}

export const CliNotAuditReader = defineError<{ username: string; allowed: string }>(
  'CLI_USER_NOT_AUDIT_READER',
  'forbidden',
  (p) => `${p.username} may not read runs and histories (allowed: ${p.allowed})`,
  (p) => `Người dùng ${p.username} không được xem các quy trình, lịch sử và hồ sơ ở đây: việc này dành cho ${p.allowed}.`,
);

export const HistoryFileInvalid = defineError<{ file: string; reason: string }>(
  'AUDIT_HISTORY_FILE_INVALID',
  'validation',
  (p) => `${p.file} is not a workflow history: ${p.reason}`,
  (p) => `Tệp ${p.file} không phải lịch sử quy trình dạng JSON (như "hotich audit export" hoặc "temporal workflow show --output json" ghi ra): ${p.reason}.`,
);

/** The service and the acting user, who must be an auditor (or, where `coordinators` is set, a coordinator too). */
async function withAuditing<T>(as: string | undefined, opts: { coordinators?: boolean }, fn: (audit: Auditing, reader: Principal) => Promise<T>): Promise<T> {
  return withSession(as, async ({ temporal, pool, user }) => {
    const u = await user();
    const roles = ['auditor', ...(opts.coordinators ? ['coordinator'] : [])];
    if (!u || !roles.includes(u.role)) {
      throw CliNotAuditReader({ username: u?.username ?? as ?? process.env.HOTICH_USER ?? '', allowed: roles.map((r) => ROLE_LABELS_VI[r as 'auditor' | 'coordinator'].toLowerCase()).join(', ') });
    }
    return fn(createAuditing({ temporal, pool }), u);
  });
}

const json = (v: unknown) => `${JSON.stringify(v, null, 2)}\n`;

function describeRuns(page: RunListPage): string {
  if (page.items.length === 0) return 'Không có quy trình nào phù hợp.\n';
  const lines = page.items.map((r) =>
    [r.workflowId, r.kindVi ?? r.workflowType, r.phaseVi ?? '', r.statusVi, `bắt đầu ${vietnamTime(r.startTime, { seconds: true })}`, r.closeTime ? `kết thúc ${vietnamTime(r.closeTime, { seconds: true })}` : '', r.historyLength ? `${r.historyLength} sự kiện` : ''].filter(Boolean).join(' — '),
  );
  if (page.nextPageToken) lines.push(`(còn nữa: thêm --page ${page.nextPageToken})`);
  return `${lines.join('\n')}\n`;
}

function registerRuns(audit: Command): void {
  audit
    .command('runs')
    .description('Các quy trình theo tỉnh, cơ quan, loại, giai đoạn, trạng thái và thời điểm bắt đầu, mới nhất trước')
    .option('--province <code>', 'mã tỉnh (kiểm toán viên, điều phối viên cấp tỉnh: tỉnh của mình)')
    .option('--agency <code>', 'mã cơ quan đăng ký')
    .option('--kind <kind>', `loại quy trình: ${WORKFLOW_KINDS.join(', ')}`)
    .option('--phase <phase>', `giai đoạn: ${WORKFLOW_PHASES.join(', ')}`)
    .option('--status <status>', `trạng thái trong Temporal: ${EXECUTION_STATUSES.join(', ')}`)
    .option('--from <time>', 'bắt đầu từ thời điểm (ISO 8601, ví dụ 2026-01-31)')
    .option('--before <time>', 'bắt đầu trước thời điểm (ISO 8601)')
    .option('--limit <n>', 'số quy trình mỗi trang (tối đa 200)', '50')
    .option('--page <token>', 'mã trang tiếp theo')
    .option('--json', 'in dạng JSON')
    .option(...asOption)
    .action(async (o: { province?: string; agency?: string; kind?: string; phase?: string; status?: string; from?: string; before?: string; limit: string; page?: string; json?: boolean; as?: string }) => {
      const limit = Number(o.limit);
      if (!Number.isInteger(limit) || limit < 1 || limit > 200) throw CliOptionInvalid({ option: '--limit', value: o.limit, hint: 'cần số nguyên từ 1 đến 200' });
      const filter = { provinceCode: o.province, agencyCode: o.agency, kind: o.kind, phase: o.phase, status: o.status, startedFrom: o.from, startedBefore: o.before } as RunFilter;
      await withAuditing(o.as, { coordinators: true }, async (auditing, reader) => {
        const page = await auditing.listRuns(reader, filter, { limit, pageToken: o.page });
        process.stdout.write(o.json ? json(page) : describeRuns(page));
      });
    });
}

function registerExport(audit: Command): void {
  audit
    .command('export <workflowId>')
    .description('Toàn bộ lịch sử của một lượt thực thi dạng JSON (như temporal workflow show --output json), để lưu giữ hoặc chạy lại bằng hotich audit replay')
    .option('--run <runId>', 'lượt thực thi; mặc định lượt mới nhất')
    .option('--out <file>', 'ghi vào tệp; mặc định in ra màn hình')
    .option(...asOption)
    .action(async (workflowId: string, o: { run?: string; out?: string; as?: string }) => {
      await withAuditing(o.as, {}, async (auditing, reader) => {
        const { run, json: history } = await auditing.exportHistory(reader, workflowId, o.run);
        if (!o.out) return pipeline(history, process.stdout, { end: false });
        await pipeline(history, fs.createWriteStream(o.out));
        process.stderr.write(`Đã ghi lịch sử ${run.workflowId} (lượt ${run.runId}, ${run.historyLength} sự kiện) vào ${o.out}\n`);
      });
    });
}

/** A history file as the auditor keeps it: its workflow id from the history itself, else from the file's name. */
function readHistoryFile(file: string): ReplayInput {
  let history;
  try {
    history = historyFromJSON(JSON.parse(fs.readFileSync(file, 'utf8')));
  } catch (e) {
    throw HistoryFileInvalid({ file, reason: e instanceof Error ? e.message.split('\n')[0]! : String(e) });
  }
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  if (!started) throw HistoryFileInvalid({ file, reason: 'sự kiện đầu tiên không phải WorkflowExecutionStarted' });
  return { source: file, workflowId: started.workflowId || path.basename(file, '.json'), history };
}

function describeReplay(outcomes: readonly ReplayOutcome[]): string {
  return `${outcomes
    .map((o) => {
      const what = `${o.source === o.workflowId ? '' : `${o.source}: `}${o.workflowId} (${o.workflowType}, lượt ${o.runId}, ${o.events} sự kiện)`;
      if (o.ok) return `Khớp: ${what} — mã quy trình hiện nay tạo lại đúng lịch sử này.`;
      const at = o.problem!.eventId === undefined ? '' : ` tại sự kiện ${o.problem!.eventId}`;
      return o.problem!.kind === 'nondeterminism'
        ? `KHÔNG KHỚP: ${what} — mã quy trình hiện nay đi khác lịch sử${at}: ${o.problem!.message}`
        : `LỖI: ${what} — không chạy lại được${at}: ${o.problem!.message}`;
    })
    .join('\n')}\n`;
}

function registerReplay(audit: Command): void {
  audit
    .command('replay <workflowIdOrFile...>')
    .description('Chạy lại lịch sử (mọi lượt thực thi của một quy trình, hoặc tệp JSON đã xuất) với mã quy trình hiện nay; báo khớp, hoặc sự kiện đầu tiên không tất định')
    .option('--json', 'in dạng JSON')
    .option(...asOption)
    .action(async (sources: string[], o: { json?: boolean; as?: string }) => {
      const files = sources.filter((s) => fs.existsSync(s) && fs.statSync(s).isFile());
      const workflowIds = sources.filter((s) => !files.includes(s));
      const inputs: ReplayInput[] = files.map(readHistoryFile);
      if (workflowIds.length > 0) {
        await withAuditing(o.as, {}, async (auditing, reader) => {
          for (const id of workflowIds) for (const { run, history } of (await auditing.histories(reader, id)).runs) inputs.push({ source: id, workflowId: run.workflowId, history });
        });
      }
      // The bundler's and the replay worker's own progress lines are not the auditor's business.
      Runtime.install({ logger: new DefaultLogger('WARN') });
      const outcomes = await replayHistories(inputs);
      process.stdout.write(o.json ? json(outcomes) : describeReplay(outcomes));
      if (outcomes.some((x) => !x.ok)) process.exitCode = 1;
    });
}

function describeTimeline(t: RunTimeline): string {
  const lines = [`Quy trình ${t.workflowId}: ${t.runs.length} lượt thực thi, ${t.entries.length} mục (giờ Việt Nam)`];
  let run = '';
  for (const e of t.entries) {
    if (e.runId !== run && t.runs.length > 1) lines.push(`— Lượt ${e.runId}`);
    run = e.runId;
    const outcome = e.outcome === 'failed' ? ` — KHÔNG THỰC HIỆN ĐƯỢC${e.failure?.code ? ` [${e.failure.code}]` : ''}: ${e.failure?.messageVi ?? e.failure?.message ?? ''}` : e.outcome === 'pending' ? ' (chưa xong)' : '';
    lines.push(`${vietnamTime(e.at, { seconds: true })}  #${e.eventId}  ${e.textVi}${outcome}`);
  }
  return `${lines.join('\n')}\n`;
}

function registerTimeline(audit: Command): void {
  audit
    .command('timeline <workflowId>')
    .description('Diễn biến của một quy trình theo lịch sử: ai tiếp nhận, xác nhận, giao, nhập, quyết định, chuyển, lúc nào')
    .option('--json', 'in dạng JSON')
    .option(...asOption)
    .action(async (workflowId: string, o: { json?: boolean; as?: string }) => {
      await withAuditing(o.as, {}, async (auditing, reader) => {
        const t = await auditing.timeline(reader, workflowId);
        process.stdout.write(o.json ? json(t) : describeTimeline(t));
      });
    });
}

function describeTrail(t: RecordTrail): string {
  const r = t.record;
  const lines = [
    `Hồ sơ số ${r.id} — ${r.registerTypeVi}, quyển ${r.bookNumber} năm ${r.bookYear} (đơn vị ${r.unitCode}), số đăng ký ${r.registrationNumber}`,
    `  Cơ quan ${r.agencyCode} (tỉnh ${r.provinceCode}); trạng thái: ${r.stateVi}; phiên bản ${r.version}; ${r.pages} trang quét${r.receipt ? `; mã trên CSDLHTĐT ${r.receipt.targetId}` : ''}`,
  ];
  for (const s of t.steps) {
    lines.push(`${vietnamTime(s.at, { seconds: true })}  ${s.kindVi}: ${s.textVi}`);
    for (const l of s.log) lines.push(`    nhật ký: mục số ${l.seq} (thứ ${l.chainPos} trong chuỗi của tỉnh), ${l.actionVi} [${l.action}], ${l.actor} (${l.actorRole}), mã băm ${l.hash.slice(0, 16)}…`);
    if (s.log.length === 0) lines.push('    nhật ký: không có mục nào');
    if (s.history) lines.push(`    lịch sử: ${s.history.workflowId}, lượt ${s.history.runId}, sự kiện ${s.history.eventId}`);
  }
  return `${lines.join('\n')}\n`;
}

function registerTrail(audit: Command): void {
  audit
    .command('trail <recordId>')
    .description('Toàn bộ quá trình của một hồ sơ: các lần nhập và phiên bản, trang quét, quyết định, chuyển; mỗi bước kèm mục nhật ký và sự kiện trong lịch sử')
    .option('--json', 'in dạng JSON')
    .option(...asOption)
    .action(async (recordId: string, o: { json?: boolean; as?: string }) => {
      if (!/^[1-9][0-9]{0,17}$/.test(recordId)) throw CliOptionInvalid({ option: 'mã hồ sơ', value: recordId, hint: 'cần một số nguyên dương' });
      await withAuditing(o.as, {}, async (auditing, reader) => {
        const t = await auditing.trail(reader, Number(recordId));
        process.stdout.write(o.json ? json(t) : describeTrail(t));
      });
    });
}

function describeReconciliation(r: Reconciliation): string {
  const lines = [
    `Đối chiếu tỉnh ${r.provinceCode}${r.agencyCode ? `, cơ quan ${r.agencyCode}` : ''} lúc ${r.checkedAt}: ${r.agencies} cơ quan, ${r.transferredRecords} hồ sơ đã chuyển, ${r.workflows.length} quy trình`,
  ];
  for (const w of r.workflows) if (w.state !== 'compared') lines.push(`  ${w.workflowId}: ${w.noteVi ?? w.state}`);
  if (r.findingCount === 0) lines.push('Cơ sở dữ liệu, nhật ký kiểm toán và lịch sử các quy trình khớp nhau.');
  else {
    lines.push(`${r.findingCount} chỗ không khớp (${Object.entries(r.byCode).map(([c, n]) => `${c}: ${n}`).join(', ')}):`);
    for (const f of r.findings) lines.push(`  [${f.code}] ${f.messageVi}`);
    if (r.findingCount > r.findings.length) lines.push(`  … và ${r.findingCount - r.findings.length} chỗ khác (xem --json, hoặc --agency cho từng cơ quan).`);
  }
  return `${lines.join('\n')}\n`;
}

function registerReconcile(audit: Command): void {
  audit
    .command('reconcile')
    .description('Đối chiếu trạng thái hồ sơ, nhật ký kiểm toán và lịch sử quy trình của một tỉnh: mỗi hồ sơ đã chuyển có phê duyệt của công chức cơ quan mình, kèm trang quét, trong cả nhật ký và lịch sử')
    .requiredOption('--province <code>', 'mã tỉnh, 2 chữ số')
    .option('--agency <code>', 'chỉ một cơ quan đăng ký')
    .option('--json', 'in dạng JSON')
    .option(...asOption)
    .action(async (o: { province: string; agency?: string; json?: boolean; as?: string }) => {
      if (!/^[0-9]{2}$/.test(o.province)) throw CliOptionInvalid({ option: '--province', value: o.province, hint: 'mã tỉnh gồm 2 chữ số' });
      await withAuditing(o.as, {}, async (auditing, reader) => {
        const r = await auditing.reconcile(reader, o.province, { agencyCode: o.agency });
        process.stdout.write(o.json ? json(r) : describeReconciliation(r));
        if (r.findingCount > 0) process.exitCode = 1;
      });
    });
}

export function register(program: Command): void {
  const audit = program.command('audit').description('Kiểm toán: nhật ký kiểm toán, lịch sử các lượt chạy');
  registerRuns(audit);
  registerExport(audit);
  registerReplay(audit);
  registerTimeline(audit);
  registerTrail(audit);
  registerReconcile(audit);

  audit
    .command('verify')
    .description('Kiểm tra chuỗi mã băm của nhật ký kiểm toán: tìm mục bị sửa, bị xoá hay bị đổi chỗ')
    .option('--province <code>', 'chỉ kiểm tra chuỗi của một tỉnh (mã 2 chữ số)')
    .option('--json', 'in kết quả dạng JSON')
    .option(...asOption)
    .action(async (o: { province?: string; json?: boolean; as?: string }) => {
      if (o.province !== undefined && !/^[0-9]{2}$/.test(o.province)) throw CliOptionInvalid({ option: '--province', value: o.province, hint: 'mã tỉnh gồm 2 chữ số' });
      const pool = createPool(resolveDatabaseUrl(loadConfig()), { max: 2 });
      let reports: ChainReport[];
      try {
        const username = o.as ?? process.env.HOTICH_USER;
        if (!username) throw CliUserMissing({});
        const user = await createUsersRepository(pool).find(username);
        // An auditor of one province checks that province's chain; national auditors and admins, any.
        const national = user && (user.role === 'admin' || (user.role === 'auditor' && !user.provinceCode));
        const allowed = user && (national || (user.role === 'auditor' && o.province !== undefined && canSee(user, { provinceCode: o.province })));
        if (!allowed) throw CliNotAuditor({ username, province: o.province });
        reports = await verifyAuditLog(pool, { provinceCode: o.province });
      } finally {
        await pool.end();
      }
      process.stdout.write(o.json ? `${JSON.stringify(reports, null, 2)}\n` : describeVerification(reports));
      if (reports.some((r) => r.breakCount > 0)) process.exitCode = 1;
    });
}
