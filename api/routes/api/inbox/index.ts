import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../../schemas';
import { InboxSchema } from '../runs/schema';

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      config: { access: ['coordinator'] },
      schema: {
        tags: ['runs'],
        summary: 'Các gói dữ liệu (.xlsx, .xls, .csv, .zip) trong thư mục tiếp nhận, mới nhất trước, để chọn khi bắt đầu lượt chạy (POST /api/runs, inboxPath)',
        response: { 200: InboxSchema, ...errorResponses },
      },
    },
    async () => app.provinceRuns.inboxFiles(),
  );
};
export default route;
