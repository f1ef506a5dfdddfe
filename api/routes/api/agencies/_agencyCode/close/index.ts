import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { agencyInScope, reviewActor } from '../../../../../agency-scope';
import { AgencyCode, stateErrorResponses } from '../../../../../schemas';

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/',
    {
      config: { access: ['coordinator'] },
      schema: {
        tags: ['review'],
        summary: 'Điều phối viên kết thúc sớm phần việc của cơ quan, có ghi lý do; hồ sơ chưa chuyển được ghi nhận là chưa chuyển',
        params: Type.Object({ agencyCode: AgencyCode }),
        body: Type.Object({ reason: Type.String({ maxLength: 2000 }) }),
        response: { 200: Type.Unknown({ description: 'Trạng thái cuối của cơ quan' }), ...stateErrorResponses },
      },
    },
    async (request) => {
      const agency = await agencyInScope(request, request.params.agencyCode);
      return app.agencyReview.close(agency.code, reviewActor(request.principal!), request.body.reason);
    },
  );
};
export default route;
