import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { canSee } from '../../../../../../domain/access';
import { ResourceNotFound } from '../../../../../errors';
import { AgencyCode, errorResponses, ProvinceCode } from '../../../../../schemas';

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      config: { access: ['coordinator', 'auditor'] },
      schema: {
        tags: ['review'],
        summary: 'Nhắc việc (reminder) và báo quá hạn (escalation) của các quyển sổ lâu không được kiểm tra trong tỉnh, mới nhất trước',
        params: Type.Object({ provinceCode: ProvinceCode }),
        querystring: Type.Object({
          kind: Type.Optional(Type.Union([Type.Literal('reminder'), Type.Literal('escalation')])),
          agency: Type.Optional(AgencyCode),
          limit: Type.Integer({ minimum: 1, maximum: 500, default: 100 }),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(
              Type.Object({ id: Type.Integer(), kind: Type.String(), agencyCode: Type.String(), book: Type.Unknown(), idleSince: Type.String(), messageVi: Type.String(), at: Type.String() }),
            ),
          }),
          ...errorResponses,
        },
      },
    },
    async (request) => {
      const { provinceCode } = request.params;
      if (!canSee(request.principal!, { provinceCode })) throw ResourceNotFound({ kind: 'tỉnh', id: provinceCode });
      const { kind, agency, limit } = request.query;
      return { items: await app.agencyReview.notifications(provinceCode, { kind, agencyCode: agency, limit }) };
    },
  );
};
export default route;
