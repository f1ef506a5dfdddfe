import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { canSee } from '../../../../../../domain/access';
import { ResourceNotFound } from '../../../../../errors';
import { currentAgenciesOfProvince } from '../../../../../repositories/agency-catalog';
import { AgencyView, errorResponses, ProvinceCode } from '../../../../../schemas';

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    {
      config: { access: ['coordinator'] },
      schema: {
        tags: ['runs'],
        summary: 'Các cơ quan đăng ký hộ tịch hiện hành của tỉnh (UBND xã, phường, đặc khu từ 01/7/2025): những cơ quan có thể được giao lưu giữ sổ của đơn vị cũ',
        params: Type.Object({ provinceCode: ProvinceCode }),
        response: { 200: Type.Object({ items: Type.Array(AgencyView) }), ...errorResponses },
      },
    },
    async (request) => {
      const { provinceCode } = request.params;
      if (!canSee(request.principal!, { provinceCode })) throw ResourceNotFound({ kind: 'tỉnh', id: provinceCode });
      return { items: currentAgenciesOfProvince(provinceCode) };
    },
  );
};
export default route;
