import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ROLES } from '../../../../domain/access';
import { errorResponses, UserView } from '../../../schemas';

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    { config: { access: ROLES }, schema: { tags: ['auth'], summary: 'Người dùng đang đăng nhập', response: { 200: UserView, ...errorResponses } } },
    async (request) => {
      const user = await app.usersRepository.find(request.principal!.username);
      return { ...user!, provinceCode: user!.provinceCode ?? null, agencyCode: user!.agencyCode ?? null };
    },
  );
};
export default route;
