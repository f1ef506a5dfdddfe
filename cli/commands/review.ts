/**
 * `hotich review …`: Step 4 from the server's command line — list and read an agency's records,
 * decide on them (approve, reject, correct), take and give back books — through the same
 * service as the API, as a named user (--as, or HOTICH_USER) checked against the agency.
 */
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { Command } from 'commander';
import { ResourceNotFound } from '../../api/errors';
import { defineError, isAppError } from '../../domain/errors';
import { bookKey } from '../../domain/naming/scan-name';
import { isRegisterTypeCode, REGISTER_TYPE_CODES } from '../../domain/registers/register-types';
import {
  CORRECTION_REASONS,
  MAX_DECISIONS_PER_BATCH,
  REJECT_REASONS,
  type BookRef,
  type CorrectionReason,
  type DecisionOutcome,
  type DecisionResult,
  type RejectReason,
  type ReviewActor,
} from '../../domain/review/review-types';
import { standingClaim } from '../../domain/review/review-rules';
import { ImportRegisterTypeInvalid } from '../../domain/runs/run-errors';
import { isRecordState, RECORD_STATE_RULES, RECORD_STATES, type RecordState } from '../../domain/records/life-cycle';
import type { AgencyReview, ReviewListItem, ReviewRecord } from '../../services/agency-review';
import { withReview } from '../review-session';
import { asOption } from '../session';
import { CliNotAgencyUser } from './import';

export const CliOptionInvalid = defineError<{ option: string; value: string; hint: string }>(
  'CLI_OPTION_INVALID',
  'validation',
  (p) => `${p.option} ${p.value}: ${p.hint}`,
  (p) => `Giá trị "${p.value}" của ${p.option} không hợp lệ: ${p.hint}.`,
);

const DECISION_VI = { approve: 'phê duyệt', reject: 'từ chối', correct: 'sửa' } as const;

/** A decision as the service takes it: an approval may leave its pages to the service. */
type Sendable = Parameters<AgencyReview['decide']>[2][number];

const stateVi = (s: RecordState) => RECORD_STATE_RULES[s].labelVi;

function positiveInt(option: string, value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw CliOptionInvalid({ option, value, hint: 'cần một số nguyên dương' });
  return n;
}

function registerTypeOf(value: string) {
  const t = value.trim().toUpperCase();
  if (!isRegisterTypeCode(t)) throw ImportRegisterTypeInvalid({ value });
  return t;
}

const collect = (value: string, previous: string[]) => [...previous, value];

function describeList(agencyCode: string, page: { total: number; items: ReviewListItem[] }, offset: number): string {
  if (page.total === 0) return `Cơ quan ${agencyCode}: không có hồ sơ nào phù hợp.\n`;
  const lines = [`Cơ quan ${agencyCode}: ${page.total} hồ sơ phù hợp, hiện ${offset + 1}–${offset + page.items.length}`];
  lines.push(`  ${'Mã hồ sơ'.padEnd(9)} ${'Sổ'.padEnd(18)} ${'Số ĐK'.padEnd(8)} ${'Trạng thái'.padEnd(24)} ${'Trang'.padEnd(5)} Họ tên — ngày đăng ký`);
  for (const r of page.items) {
    const book = `${r.registerType} ${r.bookYear}/${r.bookNumber}${r.unitCode !== agencyCode ? ` (${r.unitCode})` : ''}`;
    lines.push(`  ${String(r.id).padEnd(9)} ${book.padEnd(18)} ${r.registrationNumber.padEnd(8)} ${stateVi(r.state).padEnd(24)} ${String(r.pages).padEnd(5)} ${r.name || '(không có tên)'} — ${r.registrationDate || '?'}`);
  }
  if (offset + page.items.length < page.total) lines.push(`  (còn ${page.total - offset - page.items.length} hồ sơ: dùng --offset ${offset + page.items.length})`);
  return `${lines.join('\n')}\n`;
}

function describeRecord(r: ReviewRecord): string {
  const lines = [
    `Hồ sơ số ${r.id} — ${r.registerType} năm ${r.bookYear} quyển ${r.bookNumber} (đơn vị ${r.unitCode}), số đăng ký ${r.registrationNumber}`,
    `  Cơ quan ${r.agencyCode}; trạng thái: ${stateVi(r.state)}; phiên bản ${r.version}`,
  ];
  for (const f of r.fields) if (f.value !== '') lines.push(`  ${f.labelVi}: ${f.value}`);
  if (r.pageFiles.length === 0) lines.push('  Chưa có bản quét trang sổ: chưa phê duyệt được.');
  else {
    lines.push(`  Trang quét (${r.pageFiles.length}):`);
    for (const p of r.pageFiles) lines.push(`    Trang ${p.page}: ${p.entryName} (SHA-256 ${p.sha256})`);
  }
  if (r.decisions.length > 0) {
    lines.push('  Các quyết định:');
    for (const d of r.decisions) {
      const kind = d.kind === 'transfer_rejected' ? 'bị CSDLHTĐT trả lại' : (DECISION_VI[d.kind as keyof typeof DECISION_VI] ?? d.kind);
      const label = d.kind === 'correct' ? CORRECTION_REASONS[d.reasonCode as CorrectionReason] : REJECT_REASONS[d.reasonCode as RejectReason];
      const reason = d.reasonCode ? ` — ${label ?? d.reasonCode}${d.comment ? `: ${d.comment}` : ''}` : '';
      lines.push(`    ${d.at} ${d.actor} ${kind} (phiên bản ${d.version})${reason}`);
    }
  }
  if (r.versions.length > 0) lines.push(`  Phiên bản cũ: ${r.versions.map((v) => `${v.version}${v.corrected ? ' (đã sửa)' : ''}`).join(', ')}`);
  if (r.receipt) lines.push(`  Đã chuyển vào CSDLHTĐT: mã ${r.receipt.targetId}, lúc ${r.receipt.receivedAt} (lô ${r.receipt.batchKey})`);
  return `${lines.join('\n')}\n`;
}

/**
 * Sends the decisions a page at a time. The run refuses a whole batch when one decision in it
 * cannot stand (an approval of a record without a page, a record of another agency); the
 * official asked for each record on its own, so that record is set aside with its reason and
 * the rest are sent again.
 */
async function decideAll(review: AgencyReview, agencyCode: string, by: ReviewActor, items: Sendable[]) {
  const outcomes: DecisionOutcome[] = [];
  const results: DecisionResult[] = [];
  for (let start = 0; start < items.length; start += MAX_DECISIONS_PER_BATCH) {
    let pending = items.slice(start, start + MAX_DECISIONS_PER_BATCH);
    while (pending.length > 0) {
      try {
        const sent = await review.decide(agencyCode, by, pending);
        results.push(...sent);
        for (const r of sent) outcomes.push(...r.outcomes);
        break;
      } catch (e) {
        const recordId = isAppError(e) ? (e.params as { recordId?: unknown }).recordId : undefined;
        const item = pending.find((i) => i.recordId === recordId);
        if (!isAppError(e) || !item || !['validation', 'conflict', 'not_found'].includes(e.kind)) throw e;
        outcomes.push({ recordId: item.recordId, kind: item.kind, outcome: 'refused', code: e.code, messageVi: e.messageVi });
        pending = pending.filter((i) => i !== item);
      }
    }
  }
  const order = new Map(items.map((i, n) => [i.recordId, n]));
  outcomes.sort((a, b) => order.get(a.recordId)! - order.get(b.recordId)!);
  return { outcomes, results };
}

function describeDecisions(kind: keyof typeof DECISION_VI, outcomes: DecisionOutcome[]): string {
  const decided = outcomes.filter((o) => o.outcome === 'decided');
  const refused = outcomes.filter((o) => o.outcome === 'refused');
  // "từ chối" is what a rejection does: its refusals need another word.
  const refusedWord = kind === 'reject' ? 'không thực hiện được' : 'từ chối';
  let text = `Đã ${DECISION_VI[kind]} ${decided.length} hồ sơ`;
  if (refused.length === 0) text += '.\n';
  else if (refused.length === 1) text += `; ${refusedWord} 1: ${refused[0]!.messageVi}\n`;
  else text += `; ${refusedWord} ${refused.length}:\n${refused.map((o) => `  - ${o.messageVi}`).join('\n')}\n`;
  if (kind === 'correct') for (const o of decided) text += `  Hồ sơ số ${o.recordId}: phiên bản mới ${o.version}, chờ kiểm tra lại.\n`;
  return text;
}

/** Runs one kind of decision and reports it; any refusal makes the command fail, so scripts notice. */
async function runDecisions(o: { agency: string; json?: boolean; as?: string }, kind: keyof typeof DECISION_VI, items: Sendable[]) {
  await withReview(o.as, async ({ review, actor }) => {
    const by = await actor(o.agency);
    const { outcomes, results } = await decideAll(review, o.agency, by, items);
    const refused = outcomes.filter((x) => x.outcome === 'refused').length;
    process.stdout.write(o.json ? `${JSON.stringify({ decided: outcomes.length - refused, refused, outcomes, results }, null, 2)}\n` : describeDecisions(kind, outcomes));
    if (refused > 0) process.exitCode = 1;
  });
}

const recordIds = (ids: string[]) => [...new Set(ids.map((id) => positiveInt('mã hồ sơ', id)))];

/** The book the official means: the run's open books decide the unit when the options leave it out. */
async function bookOf(review: AgencyReview, agencyCode: string, o: { type: string; unit?: string; year: string; book: string }): Promise<BookRef> {
  const ref = { registerType: registerTypeOf(o.type), bookYear: positiveInt('--year', o.year), bookKey: bookKey(o.book) };
  if (o.unit) return { ...ref, unitCode: o.unit };
  const units = [...new Set((await review.state(agencyCode)).books.filter((b) => b.registerType === ref.registerType && b.bookYear === ref.bookYear && b.bookKey === ref.bookKey).map((b) => b.unitCode))];
  if (units.length > 1) throw CliOptionInvalid({ option: '--unit', value: '', hint: `sổ này có ở nhiều đơn vị (${units.join(', ')}); chọn một bằng --unit` });
  // No open book: the run answers that the book has no data yet, in its own words.
  return { ...ref, unitCode: units[0] ?? agencyCode };
}

const bookOptions = (c: Command) =>
  c
    .requiredOption('--agency <code>', 'mã cơ quan đăng ký')
    .requiredOption('--type <registerType>', `loại sổ: ${REGISTER_TYPE_CODES.join(', ')}`)
    .option('--unit <code>', 'đơn vị giữ sổ (xã, phường cũ), khi cơ quan có sổ cùng số của nhiều đơn vị')
    .requiredOption('--year <year>', 'năm của sổ')
    .requiredOption('--book <number>', 'số quyển')
    .option('--json', 'in kết quả dạng JSON')
    .option(...asOption);

export function register(program: Command): void {
  const review = program.command('review').description('Bước 4: kiểm tra, đối chiếu với trang sổ đã quét, phê duyệt hồ sơ của một cơ quan');

  review
    .command('list')
    .description('Danh sách hồ sơ của cơ quan, lọc theo sổ, trạng thái, đã quét hay chưa; tìm không dấu theo họ tên, số, ngày')
    .requiredOption('--agency <code>', 'mã cơ quan đăng ký')
    .option('--type <registerType>', `loại sổ: ${REGISTER_TYPE_CODES.join(', ')}`)
    .option('--unit <code>', 'đơn vị giữ sổ (xã, phường cũ)')
    .option('--year <year>', 'năm của sổ')
    .option('--book <number>', 'số quyển')
    .option('--state <state>', `trạng thái: ${RECORD_STATES.join(', ')}`)
    .option('--scanned', 'chỉ hồ sơ đã có trang quét')
    .option('--no-scan', 'chỉ hồ sơ chưa có trang quét')
    .option('--q <text>', 'tìm theo họ tên, số đăng ký, ngày (dd/mm/yyyy), gõ có dấu hay không dấu đều được')
    .option('--limit <n>', 'số hồ sơ mỗi trang (tối đa 500)', '50')
    .option('--offset <n>', 'bỏ qua bao nhiêu hồ sơ đầu', '0')
    .option('--json', 'in dạng JSON')
    .option(...asOption)
    .action(async (o: { agency: string; type?: string; unit?: string; year?: string; book?: string; state?: string; scanned?: boolean; scan: boolean; q?: string; limit: string; offset: string; json?: boolean; as?: string }) => {
      if (o.state && !isRecordState(o.state)) throw CliOptionInvalid({ option: '--state', value: o.state, hint: `chọn một trong ${RECORD_STATES.join(', ')}` });
      if (o.scanned && o.scan === false) throw CliOptionInvalid({ option: '--scanned', value: '--no-scan', hint: 'chỉ chọn một trong hai' });
      const limit = positiveInt('--limit', o.limit);
      if (limit > 500) throw CliOptionInvalid({ option: '--limit', value: o.limit, hint: 'tối đa 500' });
      const offset = o.offset === '0' ? 0 : positiveInt('--offset', o.offset);
      await withReview(o.as, async ({ review, reader }) => {
        await reader(o.agency);
        const page = await review.list(o.agency, {
          registerType: o.type ? registerTypeOf(o.type) : undefined,
          unitCode: o.unit,
          bookYear: o.year ? positiveInt('--year', o.year) : undefined,
          bookNumber: o.book,
          state: o.state as RecordState | undefined,
          // Commander gives --no-scan as scan: false (true when absent).
          scanned: o.scanned ? true : o.scan === false ? false : undefined,
          q: o.q,
          limit,
          offset,
        });
        process.stdout.write(o.json ? `${JSON.stringify(page, null, 2)}\n` : describeList(o.agency, page, offset));
      });
    });

  review
    .command('show <recordId>')
    .description('Một hồ sơ: các trường, trang quét đã đính kèm, các phiên bản và quyết định')
    .option('--save-pages <dir>', 'lưu các trang quét (PDF) vào thư mục này để đối chiếu')
    .option('--json', 'in dạng JSON')
    .option(...asOption)
    .action(async (id: string, o: { savePages?: string; json?: boolean; as?: string }) => {
      const recordId = positiveInt('mã hồ sơ', id);
      await withReview(o.as, async ({ review, reader, store }) => {
        const record = await review.show(recordId);
        const notFound = ResourceNotFound({ kind: 'hồ sơ', id: String(recordId) });
        if (!record) throw notFound;
        try {
          await reader(record.agencyCode);
        } catch (e) {
          // Outside the user's scope a record reads exactly like one that does not exist.
          if (isAppError(e) && e.code === CliNotAgencyUser.code) throw notFound;
          throw e;
        }
        process.stdout.write(o.json ? `${JSON.stringify(record, null, 2)}\n` : describeRecord(record));
        if (o.savePages && record.pageFiles.length > 0) {
          fs.mkdirSync(o.savePages, { recursive: true });
          for (const p of record.pageFiles) await pipeline(store.open(p.sha256), fs.createWriteStream(path.join(o.savePages, path.basename(p.entryName))));
          if (!o.json) process.stdout.write(`Đã lưu ${record.pageFiles.length} trang quét vào ${o.savePages}\n`);
        }
      });
    });

  review
    .command('approve <recordIds...>')
    .description('Phê duyệt các hồ sơ đã đối chiếu với trang quét đang đính kèm (hồ sơ chưa có bản quét không được phê duyệt)')
    .requiredOption('--agency <code>', 'mã cơ quan đăng ký')
    .option('--json', 'in kết quả dạng JSON')
    .option(...asOption)
    .action(async (ids: string[], o: { agency: string; json?: boolean; as?: string }) => {
      // No pages named: the service compares against the pages attached now, those `review show` lists.
      await runDecisions(o, 'approve', recordIds(ids).map((recordId) => ({ recordId, kind: 'approve' as const })));
    });

  review
    .command('reject <recordIds...>')
    .description('Từ chối các hồ sơ, có lý do; hồ sơ bị từ chối không được chuyển')
    .requiredOption('--agency <code>', 'mã cơ quan đăng ký')
    .requiredOption('--reason <code>', `lý do: ${Object.entries(REJECT_REASONS).map(([k, v]) => `${k} (${v})`).join(', ')}`)
    .option('--comment <text>', 'ghi chú (bắt buộc với lý do OTHER)')
    .option('--json', 'in kết quả dạng JSON')
    .option(...asOption)
    .action(async (ids: string[], o: { agency: string; reason: string; comment?: string; json?: boolean; as?: string }) => {
      const reasonCode = o.reason.trim().toUpperCase() as RejectReason;
      await runDecisions(o, 'reject', recordIds(ids).map((recordId) => ({ recordId, kind: 'reject' as const, reasonCode, comment: o.comment })));
    });

  review
    .command('correct <recordId>')
    .description('Sửa dữ liệu của một hồ sơ cho đúng với sổ (giữ phiên bản cũ); hồ sơ trở về chờ kiểm tra')
    .requiredOption('--agency <code>', 'mã cơ quan đăng ký')
    .requiredOption('--reason <code>', `lý do: ${Object.entries(CORRECTION_REASONS).map(([k, v]) => `${k} (${v})`).join(', ')}`)
    .option('--comment <text>', 'ghi chú (bắt buộc với lý do OTHER)')
    .option('--set <field=value>', 'trường cần sửa và giá trị đúng như ghi trong sổ (lặp lại cho nhiều trường); mã trường xem bằng review show --json', collect, [])
    .option('--json', 'in kết quả dạng JSON')
    .option(...asOption)
    .action(async (id: string, o: { agency: string; reason: string; comment?: string; set: string[]; json?: boolean; as?: string }) => {
      const fields: Record<string, string> = {};
      for (const s of o.set) {
        const eq = s.indexOf('=');
        if (eq <= 0) throw CliOptionInvalid({ option: '--set', value: s, hint: 'viết dạng mã_trường=giá trị, ví dụ --set name="Nguyễn Văn An"' });
        fields[s.slice(0, eq).trim()] = s.slice(eq + 1);
      }
      const reasonCode = o.reason.trim().toUpperCase() as CorrectionReason;
      await runDecisions(o, 'correct', [{ recordId: positiveInt('mã hồ sơ', id), kind: 'correct', reasonCode, comment: o.comment, fields }]);
    });

  bookOptions(review.command('claim').description('Nhận kiểm tra một quyển sổ: người khác không quyết định trên sổ này cho đến khi trả sổ')).action(
    async (o: { agency: string; type: string; unit?: string; year: string; book: string; json?: boolean; as?: string }) => {
      await withReview(o.as, async ({ review, actor }) => {
        const by = await actor(o.agency);
        const book = await bookOf(review, o.agency, o);
        const claim = await review.claim(o.agency, by, book);
        process.stdout.write(o.json ? `${JSON.stringify({ book, claim }, null, 2)}\n` : `Đã nhận sổ ${book.registerType} năm ${book.bookYear} quyển ${o.book} (đơn vị ${book.unitCode}) từ ${claim.since}.\n`);
      });
    },
  );

  bookOptions(review.command('release').description('Trả sổ đang nhận (hoặc điều phối viên giải phóng sổ)')).action(
    async (o: { agency: string; type: string; unit?: string; year: string; book: string; json?: boolean; as?: string }) => {
      await withReview(o.as, async ({ review, actor }) => {
        const by = await actor(o.agency);
        const book = await bookOf(review, o.agency, o);
        await review.release(o.agency, by, book);
        process.stdout.write(o.json ? `${JSON.stringify({ book, released: true }, null, 2)}\n` : `Đã trả sổ ${book.registerType} năm ${book.bookYear} quyển ${o.book} (đơn vị ${book.unitCode}).\n`);
      });
    },
  );

  review
    .command('books')
    .description('Các quyển sổ đang kiểm tra của cơ quan: số hồ sơ theo trạng thái, ai đang nhận sổ')
    .requiredOption('--agency <code>', 'mã cơ quan đăng ký')
    .option('--json', 'in dạng JSON')
    .option(...asOption)
    .action(async (o: { agency: string; json?: boolean; as?: string }) => {
      await withReview(o.as, async ({ review, reader, settings }) => {
        await reader(o.agency);
        const state = await review.state(o.agency);
        const now = Date.now();
        if (o.json) {
          process.stdout.write(`${JSON.stringify({ phase: state.phase, books: state.books, transfer: state.transfer, closed: state.closed ?? null }, null, 2)}\n`);
          return;
        }
        const lines = [`Cơ quan ${o.agency}: ${state.books.length} quyển sổ`];
        for (const b of state.books) {
          const c = b.counts;
          // A lapsed claim holds nothing, as the run sees it.
          const held = standingClaim(b, now, settings);
          const claim = held ? `; đang nhận: ${held.by} (từ ${held.since})` : '';
          lines.push(
            `  ${b.registerType} năm ${b.bookYear} quyển ${b.bookNumber} (đơn vị ${b.unitCode}): ${c.records} hồ sơ — ${c.imported} chờ kiểm tra (${c.awaitingScan} chưa có bản quét), ${c.approved} đã phê duyệt, ${c.rejected} bị từ chối, ${c.transferred} đã chuyển${claim}`,
          );
        }
        process.stdout.write(`${lines.join('\n')}\n`);
      });
    });
}
