import { Type } from '@sinclair/typebox';
import { RecordStateSchema } from '../../../schemas';

export const RecordSummarySchema = Type.Object({
  id: Type.Integer(),
  agencyCode: Type.String(),
  provinceCode: Type.String(),
  registerType: Type.String(),
  bookYear: Type.Integer(),
  bookNumber: Type.String(),
  registrationNumber: Type.String(),
  state: RecordStateSchema,
  version: Type.Integer(),
});

/** What the review list shows of each record (services/agency-review.ts ReviewListItem). */
const ReviewFields = {
  unitCode: Type.String({ description: 'Đơn vị giữ sổ (xã, phường cũ nếu cơ quan được hợp nhất)' }),
  bookKey: Type.String({ description: 'Số quyển không có số 0 ở đầu' }),
  name: Type.String({ description: 'Họ tên người được đăng ký' }),
  registrationDate: Type.String({ description: 'Ngày đăng ký, như ghi trong sổ' }),
};

export const ReviewListItemSchema = Type.Composite([
  RecordSummarySchema,
  Type.Object({ ...ReviewFields, pages: Type.Integer({ description: 'Số trang quét đã đính kèm' }) }),
]);

const PageSchema = Type.Object({ page: Type.Integer(), sha256: Type.String(), url: Type.String({ description: 'Tải trang: GET /api/files/{sha256}' }) });

export const RecordDetailSchema = Type.Composite([
  RecordSummarySchema,
  Type.Object({
    ...ReviewFields,
    data: Type.Record(Type.String(), Type.Unknown()),
    /** Kept as before Step 4 for existing clients; pageFiles adds the entry names. */
    pages: Type.Array(PageSchema),
    pageFiles: Type.Array(Type.Composite([PageSchema, Type.Object({ entryName: Type.String({ description: 'Tên tệp trong tệp nén đã nhập' }) })])),
    fields: Type.Array(Type.Object({ key: Type.String(), labelVi: Type.String(), value: Type.String() }), { description: 'Các trường theo từ điển dữ liệu, giá trị như ghi trong sổ' }),
    notes: Type.Record(Type.String(), Type.Unknown()),
    versions: Type.Array(
      Type.Object({ version: Type.Integer(), corrected: Type.Boolean(), importId: Type.Union([Type.Integer(), Type.Null()]), supersededAt: Type.String() }),
      { description: 'Các phiên bản cũ (nhập lại, sửa khi kiểm tra)' },
    ),
    decisions: Type.Array(
      Type.Object({
        id: Type.Integer(),
        kind: Type.String(),
        reasonCode: Type.Union([Type.String(), Type.Null()]),
        comment: Type.String(),
        details: Type.Record(Type.String(), Type.Unknown()),
        actor: Type.String(),
        at: Type.String(),
        version: Type.Integer(),
      }),
      { description: 'Các quyết định kiểm tra, phê duyệt: ai, khi nào, vì sao, trang đã đối chiếu' },
    ),
    receipt: Type.Optional(Type.Object({ targetId: Type.String(), receivedAt: Type.String(), batchKey: Type.String() }, { description: 'Biên nhận của CSDLHTĐT khi đã chuyển' })),
  }),
]);

const ImportSourceSchema = Type.Object({ importId: Type.Integer(), sourceName: Type.String({ description: 'Tên tệp đã nhập' }), importedAt: Type.String() });

/** GET /api/records/{id}/versions: where the values came from, and what they were before. */
export const RecordHistorySchema = Type.Object({
  current: Type.Union([ImportSourceSchema, Type.Null()], { description: 'Lần nhập của các giá trị hiện tại' }),
  versions: Type.Array(
    Type.Object({
      version: Type.Integer(),
      corrected: Type.Boolean({ description: 'Phiên bản do công chức sửa khi kiểm tra (không phải do nhập)' }),
      source: Type.Union([ImportSourceSchema, Type.Null()]),
      supersededAt: Type.String(),
      fields: Type.Array(Type.Object({ key: Type.String(), value: Type.String() }), { description: 'Các trường theo từ điển dữ liệu, như ghi trong sổ' }),
    }),
    { description: 'Các phiên bản cũ, cũ nhất trước' },
  ),
});
