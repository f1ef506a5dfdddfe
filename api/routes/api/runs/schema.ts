/** What the coordinator's screens read of runs (api/repositories/run-board.ts, services/province-runs.ts). */
import { Type } from '@sinclair/typebox';
import { AgencyCode, RunId } from '../../../schemas';

const Sha256 = Type.String({ pattern: '^[0-9a-f]{64}$' });
const Instant = Type.String({ format: 'date-time' });
const ReceiptStatus = Type.Union([Type.Literal('accepted'), Type.Literal('quarantined')], { description: 'accepted: SHA-256 khớp biên bản; quarantined: không khớp, gói bị cách ly' });

export const RunListSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      runId: RunId,
      workflowId: Type.String(),
      startedBy: Type.String({ description: 'Điều phối viên đăng ký gói' }),
      startedAt: Instant,
      package: Type.Union([
        Type.Object({
          name: Type.String(),
          sizeBytes: Type.Integer(),
          receivedAt: Instant,
          status: ReceiptStatus,
          confirmedBy: Type.Union([Type.String(), Type.Null()]),
          confirmedAt: Type.Union([Instant, Type.Null()]),
        }),
        Type.Null(),
      ]),
    }),
  ),
});

export const HandoverSchema = Type.Object({
  record: Type.Union(
    [
      Type.Object({
        originalName: Type.String(),
        deliveredBy: Type.String({ description: 'Bên giao' }),
        channel: Type.String({ description: 'Kênh truyền' }),
        receivedBy: Type.String({ description: 'Bên nhận' }),
        receivedAt: Instant,
        declaredSha256: Sha256,
        actualSha256: Sha256,
        sizeBytes: Type.Integer(),
        status: ReceiptStatus,
        files: Type.Array(Type.Object({ name: Type.String(), size: Type.Integer() })),
        confirmedBy: Type.Union([Type.String(), Type.Null()]),
        confirmedAt: Type.Union([Instant, Type.Null()]),
      }),
      Type.Null(),
    ],
    { description: 'Biên bản bàn giao mới nhất của lượt chạy; null khi chưa tiếp nhận xong gói' },
  ),
});

export const AgencyCountsSchema = Type.Object({
  items: Type.Array(
    Type.Object({
      code: AgencyCode,
      records: Type.Integer({ description: 'Hồ sơ đã nhập (mọi trạng thái)' }),
      withPage: Type.Integer({ description: 'Hồ sơ đã có trang quét' }),
      approved: Type.Integer({ description: 'Hồ sơ đã phê duyệt, kể cả đã chuyển' }),
      rejected: Type.Integer(),
      transferred: Type.Integer({ description: 'Hồ sơ đã chuyển vào CSDLHTĐT' }),
    }),
  ),
});

export const PerDaySchema = Type.Object({
  days: Type.Array(
    Type.Object({
      day: Type.String({ pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$', description: 'Ngày (yyyy-mm-dd) theo múi giờ của người xem' }),
      approved: Type.Integer({ description: 'Số quyết định phê duyệt trong ngày' }),
      transferred: Type.Integer({ description: 'Số hồ sơ CSDLHTĐT đã nhận trong ngày' }),
    }),
  ),
});

export const AgencyFilesSchema = Type.Object({
  code: AgencyCode,
  name: Type.String(),
  folder: Type.String({ description: 'Thư mục của cơ quan trong kết quả tách' }),
  rows: Type.Integer(),
  files: Type.Array(Type.Object({ name: Type.String(), registerType: Type.String(), rows: Type.Integer(), sha256: Sha256 })),
});

export const InboxSchema = Type.Object({
  files: Type.Array(Type.Object({ path: Type.String({ description: 'Đường dẫn trong thư mục tiếp nhận, dùng làm inboxPath' }), sizeBytes: Type.Integer(), modifiedAt: Instant })),
  truncated: Type.Boolean({ description: 'Có nhiều tệp hơn số được liệt kê' }),
});

const Wording = Type.Object({ messageVi: Type.String({ description: 'Lý do bằng tiếng Việt, như các dòng ngoại lệ ghi' }), rows: Type.Integer() });

export const ExceptionReasonsSchema = Type.Object({
  exceptionRows: Type.Integer(),
  reasons: Type.Array(
    Type.Object({
      code: Type.String({ description: 'Mã lý do' }),
      rows: Type.Integer(),
      wordings: Type.Array(Wording, { description: 'Các cách diễn đạt lý do của mã này (có thể nêu cột, trang hay giá trị), nhiều dòng nhất trước; tối đa 20' }),
    }),
  ),
});

/** The answer to a decision batch: what the run took, what is left. */
const BatchResult = {
  batch: Type.Integer({ description: 'Số thứ tự đợt quyết định của lượt chạy' }),
  decided: Type.Optional(Type.Integer()),
  undecided: Type.Integer({ description: 'Đơn vị cũ còn chưa quyết định' }),
  exceptionRows: Type.Integer(),
};

const UnitCode = Type.String({ description: 'Mã đơn vị cũ như dòng ghi' });
export const CustodianTableResultSchema = Type.Object({
  ...BatchResult,
  lines: Type.Array(
    Type.Union([
      Type.Object({ line: Type.Integer(), status: Type.Literal('decided'), unitCode: UnitCode, unitName: Type.String(), agencyCode: AgencyCode, agencyName: Type.String(), candidate: Type.Boolean() }),
      Type.Object({ line: Type.Integer(), status: Type.Literal('undecided'), unitCode: UnitCode }),
      Type.Object({ line: Type.Integer(), status: Type.Literal('refused'), unitCode: UnitCode, agencyCode: Type.String(), code: Type.String(), messageVi: Type.String() }),
    ]),
    { description: 'Kết quả từng dòng của bảng (số dòng như bảng tính đánh số)' },
  ),
});

export const PlacementResultSchema = Type.Object({
  ...BatchResult,
  placed: Type.Optional(Type.Integer()),
  refused: Type.Optional(Type.Integer()),
  duplicate: Type.Optional(Type.Boolean({ description: 'Tệp này đã được nhận trước đây: không có gì thay đổi' })),
  refusedRows: Type.Array(
    Type.Object({ sheet: Type.String({ description: 'Trang gốc' }), row: Type.Integer({ description: 'Dòng gốc' }), agencyCode: Type.String(), code: Type.String(), messageVi: Type.String() }),
    { description: 'Các dòng đã điền "Mã cơ quan nhận" mà không xếp được, với lý do' },
  ),
});
