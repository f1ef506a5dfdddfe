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
