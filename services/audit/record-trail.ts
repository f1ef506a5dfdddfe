/**
 * One record's whole story in one answer: each version an import made, each page attached or
 * replaced, each decision (approval with the pages compared, rejection, correction, the
 * target's refusal) and its transfer, in time order. Each step is read from its row in the
 * database and shows the audit log's entries that record it and the history event that asked
 * for it; log entries about the record that no step accounts for are steps of their own.
 */
import type { Pool } from 'pg';
import type { Principal } from '../../domain/access';
import { AUDIT_ACTION_LABELS_VI } from '../../domain/audit/audit-entry';
import { RECORD_ACTIONS, RECORD_STATE_RULES, isRecordState } from '../../domain/records/life-cycle';
import { fieldsOf, isRegisterTypeCode, registerType } from '../../domain/registers/register-types';
import { CORRECTION_REASONS, REJECT_REASONS, type CorrectionReason, type RejectReason } from '../../domain/review/review-types';
import { ResourceNotFound } from '../../api/errors';
import { canRead } from './audit-scope';
import { linkOfKey, workflowOfKey, type HistoryIndex, type HistoryLink } from './history-index';

export type TrailStepKind = 'import' | 'page' | 'page_replaced' | 'approve' | 'reject' | 'correct' | 'target_refusal' | 'transfer' | 'log';

const STEP_VI: Record<TrailStepKind, string> = {
  import: RECORD_ACTIONS.import.labelVi,
  page: RECORD_ACTIONS.attachPage.labelVi,
  page_replaced: 'Thay trang quét',
  approve: RECORD_ACTIONS.approve.labelVi,
  reject: RECORD_ACTIONS.reject.labelVi,
  correct: RECORD_ACTIONS.correct.labelVi,
  target_refusal: RECORD_ACTIONS.targetRefusal.labelVi,
  transfer: RECORD_ACTIONS.transfer.labelVi,
  log: 'Mục nhật ký kiểm toán',
};

export interface TrailLogEntry {
  seq: number;
  chainPos: number;
  at: string;
  actor: string;
  actorRole: string;
  action: string;
  actionVi: string;
  stateBefore: string | null;
  stateAfter: string | null;
  workflowId: string | null;
  runId: string | null;
  hash: string;
}

/** A scanned page a step is about: the file attached, the one it replaced, the ones an approval compared. */
export interface TrailPage {
  sha256: string;
  /** The record's page it is or was; null for a file the record's rows never name (an approval's page since gone from them). */
  page: number | null;
  /** Its name in the zip it was imported from. */
  entryName: string | null;
  /** Attached to the record now (false: replaced since). */
  current: boolean;
}

export interface TrailStep {
  at: string;
  kind: TrailStepKind;
  kindVi: string;
  actor?: string;
  textVi: string;
  /** The record's version the step made or was taken on. */
  version?: number;
  /** The scanned pages the step attached, replaced or compared (open each by its SHA-256). */
  pages?: TrailPage[];
  /** The row the step is read from. */
  source: { table: 'imports' | 'attachments' | 'attachment_history' | 'decisions' | 'transfer_batches' | 'audit_log'; id: string };
  /** The audit log's entries that record it (empty where the log has none). */
  log: TrailLogEntry[];
  /** The workflow history's event that asked for it, where one did. */
  history?: HistoryLink;
}

export interface RecordTrail {
  record: {
    id: number;
    provinceCode: string;
    agencyCode: string;
    unitCode: string;
    registerType: string;
    registerTypeVi: string;
    bookYear: number;
    bookNumber: string;
    registrationNumber: string;
    state: string;
    stateVi: string;
    version: number;
    pages: number;
    receipt?: { targetId: string; receivedAt: string; batchKey: string };
  };
  /** The workflows whose histories were read. */
  workflows: string[];
  steps: TrailStep[];
}

const sha12 = (sha: string) => `${sha.slice(0, 12)}…`;
const iso = (d: Date | string) => new Date(d).toISOString();

interface RecordRow {
  id: number;
  agency_code: string;
  province_code: string;
  unit_code: string;
  register_type: string;
  book_year: number;
  book_number: string;
  registration_number: string;
  state: string;
  version: number;
  import_id: number | null;
  corrected: boolean;
  target_id: string | null;
  target_received_at: Date | null;
  transfer_batch_key: string | null;
  transfer_workflow_id: string | null;
  transfer_finished_at: Date | null;
}
interface ImportRow {
  id: number;
  import_key: string;
  kind: 'excel' | 'scans';
  actor: string;
  workflow_id: string | null;
  source_name: string;
  source_sha256: string;
  register_type: string | null;
  started_at: Date;
  finished_at: Date | null;
}
interface DecisionRow {
  id: number;
  record_version: number;
  kind: 'approve' | 'reject' | 'correct' | 'transfer_rejected';
  reason_code: string | null;
  comment: string;
  details: { pages?: string[]; changes?: Record<string, unknown>; batchKey?: string };
  actor: string;
  batch_key: string | null;
  decided_at: Date;
}
interface LogRow {
  seq: number;
  chain_pos: number;
  at: Date;
  actor: string;
  actor_role: string;
  action: string;
  subject_kind: string;
  subject_id: string;
  record_id: number | null;
  workflow_id: string | null;
  run_id: string | null;
  state_before: string | null;
  state_after: string | null;
  details: Record<string, unknown>;
  hash: string;
}

export const recordNotFound = (id: number | string) => ResourceNotFound({ kind: 'hồ sơ', id: String(id) });

/** The histories of the given workflows, indexed; the caller knows how to load them. */
export type LoadHistories = (workflowIds: string[]) => Promise<HistoryIndex>;

export async function recordTrail(pool: Pool, reader: Principal, recordId: number, loadHistories: LoadHistories): Promise<RecordTrail> {
  const r = (
    await pool.query<RecordRow>(
      `SELECT r.id::int, r.agency_code, a.province_code, r.unit_code, r.register_type, r.book_year, r.book_number, r.registration_number, r.state, r.version,
              r.import_id::int, r.corrected, r.target_id, r.target_received_at, b.batch_key AS transfer_batch_key, b.workflow_id AS transfer_workflow_id, b.finished_at AS transfer_finished_at
         FROM records r JOIN agencies a ON a.code = r.agency_code LEFT JOIN transfer_batches b ON b.id = r.transfer_batch_id
        WHERE r.id = $1`,
      [recordId],
    )
  ).rows[0];
  if (!r || !canRead(reader, { provinceCode: r.province_code, agencyCode: r.agency_code })) throw recordNotFound(recordId);

  const versions = [
    ...(await pool.query<{ version: number; import_id: number | null; corrected: boolean }>('SELECT version, import_id::int, corrected FROM record_versions WHERE record_id = $1 ORDER BY version', [r.id])).rows,
    { version: r.version, import_id: r.import_id, corrected: r.corrected },
  ];
  const pages = (await pool.query<{ page: number; sha256: string; entry_name: string; attached_at: Date; import_id: number | null }>('SELECT page, sha256, entry_name, attached_at, import_id::int FROM attachments WHERE record_id = $1 ORDER BY page', [r.id])).rows;
  const replaced = (
    await pool.query<{ page: number; sha256: string; replaced_by: string; import_id: number; entry_name: string; replaced_at: Date }>(
      'SELECT page, sha256, replaced_by, import_id::int, entry_name, replaced_at FROM attachment_history WHERE record_id = $1 ORDER BY replaced_at',
      [r.id],
    )
  ).rows;
  const decisions = (
    await pool.query<DecisionRow>('SELECT id::int, record_version, kind, reason_code, comment, details, actor, batch_key, decided_at FROM decisions WHERE record_id = $1 ORDER BY id', [r.id])
  ).rows;
  const importIds = [...new Set([...versions.map((v) => v.import_id), ...pages.map((p) => p.import_id), ...replaced.map((p) => p.import_id)].filter((i): i is number => i !== null))];
  const imports = new Map(
    (
      await pool.query<ImportRow>('SELECT id::int, import_key, kind, actor, workflow_id, source_name, source_sha256, register_type, started_at, finished_at FROM imports WHERE id = ANY($1::bigint[])', [importIds])
    ).rows.map((i) => [i.id, i]),
  );
  const transferKeys = [r.transfer_batch_key, ...decisions.map((d) => d.details.batchKey)].filter((k): k is string => !!k);
  // Three reads the log's indexes serve: entries naming the record, the imports' file entries, the transfer batch entries.
  const log = (
    await pool.query<LogRow>(
      `SELECT seq::int, chain_pos::int, at, actor, actor_role, action, subject_kind, subject_id, record_id::int, workflow_id, run_id, state_before, state_after, details, hash
         FROM audit_log WHERE record_id = $1
       UNION
       SELECT seq::int, chain_pos::int, at, actor, actor_role, action, subject_kind, subject_id, record_id::int, workflow_id, run_id, state_before, state_after, details, hash
         FROM audit_log WHERE subject_kind = 'file' AND subject_id = ANY($2::text[]) AND (details->>'importId')::bigint = ANY($3::bigint[])
       UNION
       SELECT seq::int, chain_pos::int, at, actor, actor_role, action, subject_kind, subject_id, record_id::int, workflow_id, run_id, state_before, state_after, details, hash
         FROM audit_log WHERE subject_kind = 'batch' AND subject_id = ANY($4::text[]) AND details->'recordIds' @> to_jsonb($1::bigint)
       ORDER BY seq`,
      [r.id, [...imports.values()].map((i) => i.source_sha256), importIds, transferKeys],
    )
  ).rows;

  const workflowIds = [
    ...new Set(
      [
        ...[...imports.values()].map((i) => i.workflow_id ?? workflowOfKey(i.import_key)),
        ...decisions.flatMap((d) => (d.batch_key ? [workflowOfKey(d.batch_key)] : d.details.batchKey ? [workflowOfKey(d.details.batchKey)] : [])),
        r.transfer_workflow_id,
      ].filter((w): w is string => !!w),
    ),
  ].sort();
  const histories = await loadHistories(workflowIds);

  const used = new Set<number>();
  const logOf = (match: (e: LogRow) => boolean): TrailLogEntry[] =>
    log.filter(match).map((e) => {
      used.add(e.seq);
      return {
        seq: e.seq,
        chainPos: e.chain_pos,
        at: iso(e.at),
        actor: e.actor,
        actorRole: e.actor_role,
        action: e.action,
        actionVi: AUDIT_ACTION_LABELS_VI[e.action] ?? e.action,
        stateBefore: e.state_before,
        stateAfter: e.state_after,
        workflowId: e.workflow_id,
        runId: e.run_id,
        hash: e.hash,
      };
    });
  const pageFiles = new Map<string, TrailPage>();
  for (const p of replaced) pageFiles.set(p.sha256, { sha256: p.sha256, page: p.page, entryName: p.entry_name, current: false });
  for (const p of pages) pageFiles.set(p.sha256, { sha256: p.sha256, page: p.page, entryName: p.entry_name, current: true });
  const pageFile = (sha256: string): TrailPage => pageFiles.get(sha256) ?? { sha256, page: null, entryName: null, current: false };

  const ofImport = (id: number) => (e: LogRow) => Number(e.details.importId) === id && (e.subject_kind === 'file' || e.record_id === r.id);
  const step = (s: Omit<TrailStep, 'kindVi'>): TrailStep => ({ ...s, kindVi: STEP_VI[s.kind] });
  const steps: TrailStep[] = [];

  for (const v of versions) {
    // A corrected version is told by its correction.
    const i = v.import_id === null || v.corrected ? undefined : imports.get(v.import_id);
    if (!i) continue;
    steps.push(
      step({
        at: iso(i.finished_at ?? i.started_at),
        kind: 'import',
        actor: i.actor,
        version: v.version,
        textVi: `${i.actor} nhập tệp «${i.source_name}» (sổ ${i.register_type ?? r.register_type}, SHA-256 ${sha12(i.source_sha256)}, lần nhập số ${i.id}): ${v.version === 1 ? 'tạo hồ sơ, phiên bản' : 'dữ liệu thay đổi, phiên bản'} ${v.version}`,
        source: { table: 'imports', id: String(i.id) },
        log: logOf(ofImport(i.id)),
        history: linkOfKey(histories, i.import_key),
      }),
    );
  }
  for (const p of pages) {
    const i = p.import_id === null ? undefined : imports.get(p.import_id);
    steps.push(
      step({
        at: iso(p.attached_at),
        kind: 'page',
        actor: i?.actor,
        pages: [pageFile(p.sha256)],
        textVi: `${i ? `${i.actor} gắn` : 'Gắn'} trang ${p.page}: «${p.entry_name}» (SHA-256 ${sha12(p.sha256)})${i ? ` từ tệp bản quét «${i.source_name}» (lần nhập số ${i.id})` : ''}`,
        source: { table: 'attachments', id: `${r.id}/${p.page}` },
        log: i ? logOf(ofImport(i.id)) : [],
        history: linkOfKey(histories, i?.import_key),
      }),
    );
  }
  for (const p of replaced) {
    const i = imports.get(p.import_id);
    steps.push(
      step({
        at: iso(p.replaced_at),
        kind: 'page_replaced',
        actor: i?.actor,
        pages: [pageFile(p.sha256), pageFile(p.replaced_by)],
        textVi: `Trang ${p.page} «${p.entry_name}» (SHA-256 ${sha12(p.sha256)}) được thay bằng tệp SHA-256 ${sha12(p.replaced_by)}${i ? ` từ tệp bản quét «${i.source_name}» do ${i.actor} nhập (lần nhập số ${i.id})` : ''}; tệp cũ vẫn được lưu`,
        source: { table: 'attachment_history', id: `${r.id}/${p.page}/${p.sha256}` },
        log: logOf(ofImport(p.import_id)),
        history: linkOfKey(histories, i?.import_key),
      }),
    );
  }
  const fieldVi = (key: string) => (isRegisterTypeCode(r.register_type) ? fieldsOf(r.register_type).find((f) => f.key === key)?.labelVi : undefined) ?? key;
  for (const d of decisions) {
    const reason = d.kind === 'correct' ? CORRECTION_REASONS[d.reason_code as CorrectionReason] : REJECT_REASONS[d.reason_code as RejectReason];
    const why = `${reason ?? d.reason_code ?? ''}${d.comment ? `: ${d.comment}` : ''}`;
    const texts = {
      approve: () => `${d.actor} phê duyệt phiên bản ${d.record_version}, đã đối chiếu ${d.details.pages?.length ?? 0} trang quét${d.details.pages?.length ? ` (SHA-256 ${d.details.pages.map(sha12).join(', ')})` : ''}`,
      reject: () => `${d.actor} từ chối phiên bản ${d.record_version}: ${why}`,
      correct: () => `${d.actor} sửa theo sổ các trường ${Object.keys(d.details.changes ?? {}).map(fieldVi).join(', ')} (${why}): phiên bản ${d.record_version}`,
      transfer_rejected: () => `CSDLHTĐT (${d.actor}) trả lại hồ sơ${d.details.batchKey ? ` trong lô ${d.details.batchKey}` : ''}: ${d.comment || d.reason_code}; hồ sơ quay lại chờ kiểm tra`,
    };
    const refusal = d.kind === 'transfer_rejected';
    steps.push(
      step({
        at: iso(d.decided_at),
        kind: d.kind === 'transfer_rejected' ? 'target_refusal' : d.kind,
        actor: d.actor,
        version: d.record_version,
        ...(d.kind === 'approve' ? { pages: (d.details.pages ?? []).map(pageFile) } : {}),
        textVi: texts[d.kind](),
        source: { table: 'decisions', id: String(d.id) },
        log: logOf((e) => e.record_id === r.id && (refusal ? e.action === RECORD_ACTIONS.targetRefusal.audit && e.details.batchKey === d.details.batchKey : Number(e.details.decisionId) === d.id)),
        history: linkOfKey(histories, refusal ? d.details.batchKey : d.batch_key),
      }),
    );
  }
  if (r.transfer_batch_key && r.target_id && r.target_received_at) {
    steps.push(
      step({
        at: iso(r.target_received_at),
        kind: 'transfer',
        actor: 'system',
        version: r.version,
        // When CSDLHTĐT received it is the step's time, which every reader shows in its own form.
        textVi: `Chuyển vào CSDLHTĐT trong lô ${r.transfer_batch_key}: CSDLHTĐT đã nhận, mã trên CSDLHTĐT ${r.target_id}`,
        source: { table: 'transfer_batches', id: r.transfer_batch_key },
        log: logOf((e) => e.subject_kind === 'batch' && e.subject_id === r.transfer_batch_key),
        history: linkOfKey(histories, r.transfer_batch_key),
      }),
    );
  }
  for (const e of log) {
    if (used.has(e.seq)) continue;
    steps.push(
      step({
        at: iso(e.at),
        kind: 'log',
        actor: e.actor,
        textVi: `${AUDIT_ACTION_LABELS_VI[e.action] ?? e.action} (${e.actor})${e.state_before || e.state_after ? `: ${e.state_before ?? '—'} → ${e.state_after ?? '—'}` : ''}`,
        source: { table: 'audit_log', id: String(e.seq) },
        log: logOf((x) => x.seq === e.seq),
        history: undefined,
      }),
    );
  }
  steps.sort((a, b) => a.at.localeCompare(b.at));

  return {
    record: {
      id: r.id,
      provinceCode: r.province_code,
      agencyCode: r.agency_code,
      unitCode: r.unit_code,
      registerType: r.register_type,
      registerTypeVi: isRegisterTypeCode(r.register_type) ? registerType(r.register_type).nameVi : r.register_type,
      bookYear: r.book_year,
      bookNumber: r.book_number,
      registrationNumber: r.registration_number,
      state: r.state,
      stateVi: isRecordState(r.state) ? RECORD_STATE_RULES[r.state].labelVi : r.state,
      version: r.version,
      pages: pages.length,
      ...(r.transfer_batch_key && r.target_id && r.target_received_at ? { receipt: { targetId: r.target_id, receivedAt: iso(r.target_received_at), batchKey: r.transfer_batch_key } } : {}),
    },
    workflows: workflowIds,
    steps,
  };
}
