import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { runInScope } from '../../../../../run-scope';
import { errorResponses, RunId } from '../../../../../schemas';
import { AgencyCountsSchema } from '../../schema';

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      config: { access: ['coordinator', 'auditor'] },
      schema: {
        tags: ['runs'],
        summary: 'Mọi cơ quan của lượt chạy với số hồ sơ đã nhập, có trang quét, đã phê duyệt, bị từ chối, đã chuyển (giai đoạn và sổ quá hạn: GET /api/runs/{runId})',
        params: Type.Object({ runId: RunId }),
        response: { 200: AgencyCountsSchema, ...errorResponses },
      },
    },
    async (request) => ({ items: await app.runBoard.agencyCounts(runInScope(request, request.params.runId)) }),
  );
};
export default route;
