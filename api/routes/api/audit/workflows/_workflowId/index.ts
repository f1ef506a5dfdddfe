import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../../../../schemas';
import { WorkflowIdParam, WorkflowRunsView } from '../../schema';

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      config: { access: ['auditor'] },
      schema: {
        tags: ['audit'],
        summary: 'Các lượt thực thi của một quy trình (mỗi lần chuyển sang lượt mới là một lượt), cũ nhất trước',
        params: WorkflowIdParam,
        response: { 200: WorkflowRunsView, ...errorResponses },
      },
    },
    async (request) => ({ workflowId: request.params.workflowId, runs: await app.auditing.runs(request.principal!, request.params.workflowId) }),
  );
};
export default route;
