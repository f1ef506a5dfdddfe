import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../../../schemas';
import { RunListQuery, RunListView } from '../schema';

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      config: { access: ['auditor', 'coordinator'] },
      schema: {
        tags: ['audit'],
        summary: 'Các quy trình theo tỉnh, cơ quan, loại, giai đoạn, trạng thái và thời điểm bắt đầu (thuộc tính tìm kiếm trong Temporal), mới nhất trước',
        querystring: RunListQuery,
        response: { 200: RunListView, ...errorResponses },
      },
    },
    async (request) => {
      const q = request.query;
      return app.auditing.listRuns(
        request.principal!,
        { provinceCode: q.province, agencyCode: q.agency, kind: q.kind, phase: q.phase, status: q.status, startedFrom: q.from, startedBefore: q.before },
        { limit: q.limit, pageToken: q.pageToken },
      );
    },
  );
};
export default route;
