import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { agencyInScope } from '../../../../../../agency-scope';
import { AgencyCode, errorResponses } from '../../../../../../schemas';

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      config: { access: ['official'] },
      schema: {
        tags: ['review'],
        summary: 'Bước 4: số quyết định của chính công chức trên hồ sơ của cơ quan kể từ một thời điểm (ví dụ đầu ngày hôm nay), theo loại',
        params: Type.Object({ agencyCode: AgencyCode }),
        querystring: Type.Object({ since: Type.String({ format: 'date-time', description: 'Thời điểm bắt đầu đếm (ISO 8601), ví dụ 0 giờ hôm nay theo giờ của người dùng' }) }),
        response: {
          200: Type.Object({
            since: Type.String(),
            byKind: Type.Record(Type.String(), Type.Integer(), { description: 'approve, reject, correct → số quyết định' }),
            records: Type.Integer({ description: 'Số hồ sơ đã quyết định (một hồ sơ sửa rồi phê duyệt tính một lần)' }),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const agency = await agencyInScope(request, request.params.agencyCode);
      const since = new Date(request.query.since);
      return { since: since.toISOString(), ...(await app.recordsRepository.decisionsBy(request.principal!.username, agency.code, since)) };
    },
  );
};
export default route;
