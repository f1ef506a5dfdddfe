import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../../../../../schemas';
import { TimelineView, WorkflowIdParam } from '../../../schema';

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      config: { access: ['auditor'] },
      schema: {
        tags: ['audit'],
        summary: 'Diễn biến của một quy trình theo lịch sử của nó: ai tiếp nhận, xác nhận, giao, nhập, quyết định, chuyển, lúc nào',
        params: WorkflowIdParam,
        response: { 200: TimelineView, ...errorResponses },
      },
    },
    async (request) => app.auditing.timeline(request.principal!, request.params.workflowId),
  );
};
export default route;
