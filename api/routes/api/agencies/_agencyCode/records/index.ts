import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { REGISTER_TYPE_CODES } from '../../../../../../domain/registers/register-types';
import { agencyInScope } from '../../../../../agency-scope';
import { AgencyCode, errorResponses, ListOffset, RecordStateSchema } from '../../../../../schemas';
import { ReviewListItemSchema } from '../../../records/schema';

const Query = Type.Object({
  type: Type.Optional(Type.Unsafe<(typeof REGISTER_TYPE_CODES)[number]>({ type: 'string', enum: [...REGISTER_TYPE_CODES], description: 'Loại sổ' })),
  unit: Type.Optional(Type.String({ pattern: '^[0-9]{3}([0-9]{2})?$', description: 'Mã đơn vị giữ sổ' })),
  year: Type.Optional(Type.Integer({ minimum: 1900, maximum: 2100, description: 'Năm của sổ' })),
  book: Type.Optional(Type.String({ minLength: 1, maxLength: 20, description: 'Số quyển ("01" = "1")' })),
  state: Type.Optional(RecordStateSchema),
  scanned: Type.Optional(Type.Boolean({ description: 'true: đã có trang quét; false: chưa có' })),
  q: Type.Optional(Type.String({ maxLength: 200, description: 'Tìm theo họ tên, số, ngày (dd/mm/yyyy), không phân biệt dấu và hoa thường' })),
  limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }),
  offset: ListOffset,
});

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      config: { access: ['coordinator', 'official', 'auditor'] },
      schema: {
        tags: ['records'],
        summary: 'Danh sách bản ghi của một cơ quan đăng ký, lọc theo sổ, trạng thái, đã quét hay chưa, và tìm không dấu',
        params: Type.Object({ agencyCode: AgencyCode }),
        querystring: Query,
        response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(ReviewListItemSchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const agency = await agencyInScope(request, request.params.agencyCode);
      const q = request.query;
      const page = await app.agencyReview.list(agency.code, {
        registerType: q.type,
        unitCode: q.unit,
        bookYear: q.year,
        bookNumber: q.book,
        state: q.state,
        scanned: q.scanned,
        q: q.q,
        limit: q.limit,
        offset: q.offset,
      });
      return { total: page.total, items: page.items.map((i) => ({ ...i, agencyCode: agency.code, provinceCode: agency.provinceCode })) };
    },
  );
};
export default route;
