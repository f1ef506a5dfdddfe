import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../../../../../schemas';
import { WorkflowIdParam } from '../../../schema';

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      config: { access: ['auditor'] },
      schema: {
        tags: ['audit'],
        summary: 'Toàn bộ lịch sử của một lượt thực thi (JSON như `temporal workflow show --output json`; dùng cho `hotich audit replay <tệp>`)',
        params: WorkflowIdParam,
        querystring: Type.Object({ runId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Lượt thực thi; mặc định lượt mới nhất' })) }),
        response: { 200: Type.Unknown({ description: '{"events": […]}' }), ...errorResponses },
      },
    },
    async (request, reply) => {
      const { run, json } = await app.auditing.exportHistory(request.principal!, request.params.workflowId, request.query.runId);
      reply.header('content-type', 'application/json; charset=utf-8');
      reply.header('content-disposition', `attachment; filename="${run.workflowId.replaceAll('/', '_')}_${run.runId}.json"`);
      return reply.send(json);
    },
  );
};
export default route;
