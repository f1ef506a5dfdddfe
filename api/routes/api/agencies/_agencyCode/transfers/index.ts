import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { agencyInScope, reviewActor } from '../../../../../agency-scope';
import { AgencyCode, RecordStateCountsSchema, stateErrorResponses } from '../../../../../schemas';

const Params = Type.Object({ agencyCode: AgencyCode });

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      config: { access: ['official', 'coordinator', 'auditor'] },
      schema: {
        tags: ['transfers'],
        summary: 'Bước 4: số hồ sơ theo trạng thái và các lô chuyển vào CSDLHTĐT gần nhất (kèm lỗi gần nhất của mỗi lô)',
        params: Params,
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }) }),
        response: { 200: Type.Object({ byState: RecordStateCountsSchema, batches: Type.Array(Type.Unknown()) }), ...stateErrorResponses },
      },
    },
    async (request) => app.agencyReview.transfers((await agencyInScope(request, request.params.agencyCode)).code, request.query.limit),
  );

  app.post(
    '/',
    {
      config: { access: ['official', 'coordinator'] },
      schema: {
        tags: ['transfers'],
        summary: 'Bước 4: chuyển ngay các hồ sơ đã phê duyệt, không chờ gom lô',
        params: Params,
        response: { 200: Type.Unknown({ description: 'Tiến độ chuyển: số lô, số hồ sơ đã chuyển, bị CSDLHTĐT từ chối' }), ...stateErrorResponses },
      },
    },
    async (request) => {
      const agency = await agencyInScope(request, request.params.agencyCode);
      return app.agencyReview.transferNow(agency.code, reviewActor(request.principal!));
    },
  );
};
export default route;
