import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { canSee } from '../../../../../../domain/access';
import { ResourceNotFound } from '../../../../../errors';
import { errorResponses, ProvinceCode } from '../../../../../schemas';
import { RunListSchema } from '../../../runs/schema';

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      config: { access: ['coordinator', 'auditor'] },
      schema: {
        tags: ['runs'],
        summary: 'Các lượt chạy của tỉnh, mới nhất trước, với gói dữ liệu và biên bản bàn giao mới nhất của mỗi lượt',
        params: Type.Object({ provinceCode: ProvinceCode }),
        querystring: Type.Object({ limit: Type.Integer({ minimum: 1, maximum: 200, default: 50 }) }),
        response: { 200: RunListSchema, ...errorResponses },
      },
    },
    async (request) => {
      const { provinceCode } = request.params;
      if (!canSee(request.principal!, { provinceCode })) throw ResourceNotFound({ kind: 'tỉnh', id: provinceCode });
      return { items: await app.runBoard.runsOfProvince(provinceCode, request.query.limit) };
    },
  );
};
export default route;
