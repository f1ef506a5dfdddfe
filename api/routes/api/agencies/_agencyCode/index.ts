import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { agencyInScope } from '../../../../agency-scope';
import { AgencyCode, AgencyView, errorResponses } from '../../../../schemas';

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      config: { access: ['official', 'coordinator', 'auditor'] },
      schema: { tags: ['records'], summary: 'Một cơ quan đăng ký hộ tịch: mã, tên, cấp, tỉnh', params: Type.Object({ agencyCode: AgencyCode }), response: { 200: AgencyView, ...errorResponses } },
    },
    async (request) => agencyInScope(request, request.params.agencyCode),
  );
};
export default route;
