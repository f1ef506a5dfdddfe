import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ErrorResponse, UserView } from '../../../schemas';
import { LoginFailed } from '../../../errors';
import { sessionToken } from '../../../plugins/external/jwt';

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.post(
    '/login',
    {
      config: { access: 'public' },
      schema: {
        tags: ['auth'],
        summary: 'Đăng nhập, nhận mã truy cập (JWT); sau nhiều lần sai, tên đăng nhập hoặc địa chỉ bị tạm khoá (429 AUTH_TOO_MANY_ATTEMPTS, Retry-After)',
        security: [],
        body: Type.Object({ username: Type.String({ minLength: 1, maxLength: 64 }), password: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: { 200: Type.Object({ token: Type.String(), user: UserView }), 400: ErrorResponse, 401: ErrorResponse, 429: ErrorResponse },
      },
    },
    async (request) => {
      const { username, password } = request.body;
      const user = await app.loginThrottle.attempt(username, request.ip, () => app.usersRepository.authenticate(username, password));
      if (!user) throw LoginFailed({});
      const token = await sessionToken(app, user);
      return { token, user: { ...user, provinceCode: user.provinceCode ?? null, agencyCode: user.agencyCode ?? null } };
    },
  );
};
export default route;
