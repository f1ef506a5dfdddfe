import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { canSee } from '../../../../../../domain/access';
import { AgencyCode, errorResponses } from '../../../../../schemas';
import { ResourceNotFound } from '../../../../../errors';
import { RecordSummarySchema } from '../../../records/schema';

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      config: { access: ['coordinator', 'official', 'auditor'] },
      schema: {
        tags: ['records'],
        summary: 'Danh sách bản ghi của một cơ quan đăng ký',
        params: Type.Object({ agencyCode: AgencyCode }),
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 500, default: 50 }), offset: Type.Integer({ minimum: 0, default: 0 }) }),
        response: { 200: Type.Object({ total: Type.Integer(), items: Type.Array(RecordSummarySchema) }), ...errorResponses },
      },
    },
    async (request) => {
      const agency = await app.agenciesRepository.get(request.params.agencyCode);
      if (!agency || !canSee(request.principal!, { provinceCode: agency.provinceCode, agencyCode: agency.code })) {
        throw ResourceNotFound({ kind: 'cơ quan đăng ký', id: request.params.agencyCode });
      }
      return app.recordsRepository.listByAgency(agency.code, request.query);
    },
  );
};
export default route;
