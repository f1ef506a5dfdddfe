import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { errorResponses } from '../../../../../../schemas';
import { ProvinceParam, VerificationView } from '../../../schema';

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      config: { access: ['auditor'] },
      schema: {
        tags: ['audit'],
        summary: 'Kiểm tra chuỗi mã băm của nhật ký kiểm toán của một tỉnh: mục bị sửa, bị xoá hay bị đổi chỗ (như `hotich audit verify --province`)',
        params: ProvinceParam,
        response: { 200: VerificationView, ...errorResponses },
      },
    },
    async (request) => app.auditing.verify(request.principal!, request.params.provinceCode),
  );
};
export default route;
