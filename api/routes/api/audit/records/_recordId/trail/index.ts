import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses, RowId } from '../../../../../../schemas';
import { TrailView } from '../../../schema';

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      config: { access: ['auditor'] },
      schema: {
        tags: ['audit'],
        summary: 'Toàn bộ quá trình của một hồ sơ: các lần nhập và phiên bản, trang quét, quyết định, chuyển vào CSDLHTĐT; mỗi bước kèm mục nhật ký kiểm toán và sự kiện trong lịch sử quy trình',
        params: Type.Object({ recordId: RowId() }),
        response: { 200: TrailView, ...errorResponses },
      },
    },
    async (request) => app.auditing.trail(request.principal!, request.params.recordId),
  );
};
export default route;
