import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { runInScope } from '../../../../../run-scope';
import { errorResponses, RunId } from '../../../../../schemas';
import { HandoverSchema } from '../../schema';

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      config: { access: ['coordinator', 'auditor'] },
      schema: {
        tags: ['runs'],
        summary: 'Biên bản bàn giao gói dữ liệu của lượt chạy (Bước 1): bên giao, kênh truyền, bên nhận, SHA-256 khai báo và thực tế, các tệp',
        params: Type.Object({ runId: RunId }),
        response: { 200: HandoverSchema, ...errorResponses },
      },
    },
    async (request) => ({ record: (await app.runBoard.handover(runInScope(request, request.params.runId))) ?? null }),
  );
};
export default route;
