/** What the auditors' routes answer (services/audit): shaped for a screen, with Vietnamese labels beside the codes. */
import { Type } from '@sinclair/typebox';
import { EXECUTION_STATUSES, WORKFLOW_KINDS, WORKFLOW_PHASES } from '../../../../domain/audit/run-search';
import { FINDINGS } from '../../../../domain/audit/reconciliation';
import { AgencyCode, ProvinceCode } from '../../../schemas';

const literals = <T extends string>(values: readonly T[], description: string) => Type.Union(values.map((v) => Type.Literal(v)), { description });

export const WorkflowIdParam = Type.Object({
  workflowId: Type.String({ minLength: 1, maxLength: 300, description: 'Mã quy trình (workflow id), mã hoá URL: province%2F01%2F…, agency%2F00004%2F…' }),
});

export const RunListQuery = Type.Object({
  province: Type.Optional(ProvinceCode),
  agency: Type.Optional(AgencyCode),
  kind: Type.Optional(literals(WORKFLOW_KINDS, 'Loại quy trình')),
  phase: Type.Optional(literals(WORKFLOW_PHASES, 'Giai đoạn hiện tại')),
  status: Type.Optional(literals(EXECUTION_STATUSES, 'Trạng thái trong Temporal')),
  from: Type.Optional(Type.String({ maxLength: 40, description: 'Bắt đầu từ thời điểm này (ISO 8601, ví dụ 2026-01-31 hoặc 2026-01-31T08:00:00+07:00)' })),
  before: Type.Optional(Type.String({ maxLength: 40, description: 'Bắt đầu trước thời điểm này (ISO 8601)' })),
  limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }),
  pageToken: Type.Optional(Type.String({ maxLength: 2000, description: 'Mã trang tiếp theo mà lần đọc trước trả về' })),
});

export const WorkflowRunView = Type.Object({
  workflowId: Type.String(),
  runId: Type.String({ description: 'Lượt thực thi trong Temporal (một quy trình chuyển sang lượt mới khi lịch sử dài)' }),
  workflowType: Type.String(),
  status: literals(EXECUTION_STATUSES, 'Trạng thái trong Temporal'),
  statusVi: Type.Optional(Type.String()),
  startTime: Type.String(),
  closeTime: Type.Optional(Type.String()),
  historyLength: Type.Integer({ description: 'Số sự kiện trong lịch sử; trong danh sách, Temporal chỉ đếm khi lượt thực thi đã kết thúc (0 khi đang chạy)' }),
  provinceCode: Type.Optional(Type.String()),
  agencyCode: Type.Optional(Type.String()),
  kind: Type.Optional(Type.String()),
  kindVi: Type.Optional(Type.String()),
  phase: Type.Optional(Type.String()),
  phaseVi: Type.Optional(Type.String()),
});

export const RunListView = Type.Object({
  query: Type.String({ description: 'Điều kiện lọc đã gửi cho Temporal' }),
  items: Type.Array(WorkflowRunView),
  nextPageToken: Type.Optional(Type.String()),
});

export const WorkflowRunsView = Type.Object({ workflowId: Type.String(), runs: Type.Array(WorkflowRunView) });

const Failure = Type.Object({ code: Type.Optional(Type.String()), message: Type.String(), messageVi: Type.Optional(Type.String()) });

const HistoryLinkView = Type.Object({
  workflowId: Type.String(),
  runId: Type.String(),
  eventId: Type.Integer(),
  at: Type.String(),
  textVi: Type.Optional(Type.String()),
});

export const TimelineView = Type.Object({
  workflowId: Type.String(),
  runs: Type.Array(WorkflowRunView),
  entries: Type.Array(
    Type.Object({
      workflowId: Type.String(),
      runId: Type.String(),
      eventId: Type.Integer({ description: 'Sự kiện trong lịch sử của lượt thực thi' }),
      at: Type.String(),
      action: Type.String({ description: 'run.started, update.<tên>, activity.<tên>, signal.<tên>, child.started, phase, run.<kết thúc>' }),
      actor: Type.Optional(Type.String()),
      textVi: Type.String(),
      outcome: literals(['ok', 'failed', 'pending'] as const, 'ok: xong; failed: không thực hiện được; pending: chưa có kết quả trong lịch sử'),
      failure: Type.Optional(Failure),
      refs: Type.Optional(
        Type.Object({
          recordIds: Type.Optional(Type.Array(Type.Integer())),
          sha256: Type.Optional(Type.String()),
          importKey: Type.Optional(Type.String()),
          batchKey: Type.Optional(Type.String()),
          updateId: Type.Optional(Type.String()),
          workflowId: Type.Optional(Type.String()),
        }),
      ),
    }),
  ),
});

const TrailLogEntryView = Type.Object({
  seq: Type.Integer(),
  chainPos: Type.Integer(),
  at: Type.String(),
  actor: Type.String(),
  actorRole: Type.String(),
  action: Type.String(),
  actionVi: Type.String(),
  stateBefore: Type.Union([Type.String(), Type.Null()]),
  stateAfter: Type.Union([Type.String(), Type.Null()]),
  workflowId: Type.Union([Type.String(), Type.Null()]),
  runId: Type.Union([Type.String(), Type.Null()]),
  hash: Type.String(),
});

export const TrailView = Type.Object({
  record: Type.Object({
    id: Type.Integer(),
    provinceCode: Type.String(),
    agencyCode: Type.String(),
    unitCode: Type.String(),
    registerType: Type.String(),
    registerTypeVi: Type.String(),
    bookYear: Type.Integer(),
    bookNumber: Type.String(),
    registrationNumber: Type.String(),
    state: Type.String(),
    stateVi: Type.String(),
    version: Type.Integer(),
    pages: Type.Integer(),
    receipt: Type.Optional(Type.Object({ targetId: Type.String(), receivedAt: Type.String(), batchKey: Type.String() })),
  }),
  workflows: Type.Array(Type.String(), { description: 'Các quy trình đã đọc lịch sử' }),
  steps: Type.Array(
    Type.Object({
      at: Type.String(),
      kind: literals(['import', 'page', 'page_replaced', 'approve', 'reject', 'correct', 'target_refusal', 'transfer', 'log'] as const, 'Loại bước'),
      kindVi: Type.String(),
      actor: Type.Optional(Type.String()),
      textVi: Type.String(),
      version: Type.Optional(Type.Integer()),
      pages: Type.Optional(
        Type.Array(
          Type.Object({
            sha256: Type.String({ description: 'Tải trang: GET /api/files/{sha256}' }),
            page: Type.Union([Type.Integer(), Type.Null()], { description: 'Trang của hồ sơ' }),
            entryName: Type.Union([Type.String(), Type.Null()], { description: 'Tên tệp trong tệp nén đã nhập' }),
            current: Type.Boolean({ description: 'Đang đính kèm hồ sơ (false: đã được thay)' }),
          }),
          { description: 'Các trang quét bước này gắn, thay, hoặc đã đối chiếu khi phê duyệt' },
        ),
      ),
      source: Type.Object({ table: Type.String(), id: Type.String() }, { description: 'Dòng trong cơ sở dữ liệu mà bước này được đọc ra' }),
      log: Type.Array(TrailLogEntryView, { description: 'Các mục nhật ký kiểm toán ghi bước này (rỗng: nhật ký không có)' }),
      history: Type.Optional(HistoryLinkView),
    }),
  ),
});

export const ReconciliationQuery = Type.Object({ agency: Type.Optional(AgencyCode) });

export const ReconciliationView = Type.Object({
  provinceCode: Type.String(),
  agencyCode: Type.Optional(Type.String()),
  checkedAt: Type.String(),
  agencies: Type.Integer(),
  transferredRecords: Type.Integer(),
  workflows: Type.Array(
    Type.Object({
      workflowId: Type.String(),
      agencyCode: Type.String(),
      runs: Type.Integer(),
      state: literals(['compared', 'history_unavailable', 'state_unavailable', 'one_of_several'] as const, 'compared: đã so số hồ sơ theo sổ với cơ sở dữ liệu'),
      noteVi: Type.Optional(Type.String()),
    }),
  ),
  findingCount: Type.Integer(),
  byCode: Type.Record(Type.String(), Type.Integer()),
  findings: Type.Array(
    Type.Object({
      code: literals(Object.keys(FINDINGS) as Array<keyof typeof FINDINGS>, 'Mã của chỗ không khớp'),
      messageVi: Type.String(),
      agencyCode: Type.String(),
      recordId: Type.Optional(Type.Integer()),
      workflowId: Type.Optional(Type.String()),
      seq: Type.Optional(Type.Integer()),
      eventId: Type.Optional(Type.Integer()),
    }),
  ),
});

export const ProvinceParam = Type.Object({ provinceCode: ProvinceCode });

export const VerificationView = Type.Object({
  provinceCode: Type.String(),
  checkedAt: Type.String(),
  entries: Type.Integer({ description: 'Số mục trong chuỗi của tỉnh' }),
  head: Type.Optional(Type.Object({ position: Type.Integer(), hash: Type.String(), at: Type.String() }, { description: 'Mục cuối của chuỗi: ghi lại để lần sau thấy chuỗi vẫn tới được nó' })),
  breakCount: Type.Integer(),
  breaks: Type.Array(
    Type.Object({
      kind: literals(['edited', 'removed', 'reordered', 'renumbered'] as const, 'edited: bị sửa; removed: mục trước nó bị xoá; reordered: bị đổi chỗ; renumbered: số thứ tự bị sửa'),
      position: Type.Integer({ description: 'Vị trí của mục trong chuỗi' }),
      seq: Type.Integer({ description: 'Số của mục nhật ký' }),
      action: Type.String(),
      actionVi: Type.String(),
      at: Type.String(),
      actor: Type.String(),
      messageVi: Type.String(),
    }),
    { description: 'Tối đa 100 chỗ hỏng đầu tiên; breakCount đếm tất cả' },
  ),
});
