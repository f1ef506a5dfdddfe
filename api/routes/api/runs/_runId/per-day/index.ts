import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { runInScope } from '../../../../../run-scope';
import { errorResponses, RunId } from '../../../../../schemas';
import { PerDaySchema } from '../../schema';

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      config: { access: ['coordinator', 'auditor'] },
      schema: {
        tags: ['runs'],
        summary: 'Số hồ sơ được phê duyệt và được chuyển vào CSDLHTĐT mỗi ngày của các cơ quan trong lượt chạy, đủ mọi ngày, đến hôm nay',
        params: Type.Object({ runId: RunId }),
        querystring: Type.Object({
          days: Type.Integer({ minimum: 1, maximum: 366, default: 30 }),
          utcOffsetMinutes: Type.Integer({ minimum: -720, maximum: 840, default: 420, description: 'Múi giờ của người xem, phút so với UTC (Việt Nam: 420)' }),
        }),
        response: { 200: PerDaySchema, ...errorResponses },
      },
    },
    async (request) => {
      const runId = runInScope(request, request.params.runId);
      return { days: await app.runBoard.perDay(runId, request.query.days, request.query.utcOffsetMinutes) };
    },
  );
};
export default route;
