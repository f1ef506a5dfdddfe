import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ReviewBatchEmpty, ReviewBatchTooLarge } from '../../../../../../domain/review/review-errors';
import { MAX_DECISIONS_PER_BATCH, type CorrectionReason, type RejectReason } from '../../../../../../domain/review/review-types';
import { agencyInScope, reviewActor } from '../../../../../agency-scope';
import { AgencyCode, RowId, stateErrorResponses } from '../../../../../schemas';

const RecordId = RowId();
const Comment = Type.Optional(Type.String({ maxLength: 2000 }));
// Reason codes are plain strings here: the review rules refuse an unknown one with the list of valid codes, in Vietnamese.
const Decision = Type.Union([
  Type.Object({
    recordId: RecordId,
    kind: Type.Literal('approve'),
    pages: Type.Optional(Type.Array(Type.String({ pattern: '^[0-9a-f]{64}$' }), { description: 'SHA-256 các trang đã đối chiếu; bỏ trống: các trang đang đính kèm' })),
  }),
  Type.Object({ recordId: RecordId, kind: Type.Literal('reject'), reasonCode: Type.Unsafe<RejectReason>({ type: 'string' }), comment: Comment }),
  Type.Object({
    recordId: RecordId,
    kind: Type.Literal('correct'),
    reasonCode: Type.Unsafe<CorrectionReason>({ type: 'string' }),
    comment: Comment,
    fields: Type.Record(Type.String(), Type.String(), { description: 'Mã trường → giá trị đúng như ghi trong sổ' }),
  }),
]);

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/',
    {
      config: { access: ['official'] },
      schema: {
        tags: ['review'],
        summary: 'Bước 4: công chức của cơ quan phê duyệt, từ chối hoặc sửa các hồ sơ (tối đa một trang danh sách mỗi lần); mỗi hồ sơ được quyết định riêng',
        params: Type.Object({ agencyCode: AgencyCode }),
        body: Type.Object({ items: Type.Array(Decision) }),
        response: {
          200: Type.Object({ decided: Type.Integer(), refused: Type.Integer(), results: Type.Array(Type.Unknown(), { description: 'Kết quả theo từng sổ: từng hồ sơ đã quyết định hay bị từ chối (mã, lý do)' }) }),
          ...stateErrorResponses,
        },
      },
    },
    async (request) => {
      const agency = await agencyInScope(request, request.params.agencyCode);
      const { items } = request.body;
      if (items.length === 0) throw ReviewBatchEmpty({});
      if (items.length > MAX_DECISIONS_PER_BATCH) throw ReviewBatchTooLarge({ count: items.length });
      const results = await app.agencyReview.decide(agency.code, reviewActor(request.principal!), items);
      return { decided: results.reduce((n, r) => n + r.decided, 0), refused: results.reduce((n, r) => n + r.refused, 0), results };
    },
  );
};
export default route;
