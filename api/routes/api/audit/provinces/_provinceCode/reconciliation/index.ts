import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../../../../../schemas';
import { ProvinceParam, ReconciliationQuery, ReconciliationView } from '../../../schema';

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      config: { access: ['auditor'] },
      schema: {
        tags: ['audit'],
        summary: 'Đối chiếu trạng thái hồ sơ, nhật ký kiểm toán và lịch sử quy trình của một tỉnh (hoặc một cơ quan): mọi chỗ không khớp',
        params: ProvinceParam,
        querystring: ReconciliationQuery,
        response: { 200: ReconciliationView, ...errorResponses },
      },
    },
    async (request) => app.auditing.reconcile(request.principal!, request.params.provinceCode, { agencyCode: request.query.agency }),
  );
};
export default route;
