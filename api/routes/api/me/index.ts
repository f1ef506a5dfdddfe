import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { ROLES } from '../../../../domain/access';
import { defineError } from '../../../../domain/errors';
import { sessionToken } from '../../../plugins/external/jwt';
import { ErrorResponse, errorResponses, UserView } from '../../../schemas';

export const CurrentPasswordWrong = defineError(
  'USER_CURRENT_PASSWORD_WRONG',
  'validation',
  () => 'the current password is wrong',
  () => 'Mật khẩu hiện tại không đúng.',
);

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    { config: { access: ROLES }, schema: { tags: ['auth'], summary: 'Người dùng đang đăng nhập', response: { 200: UserView, ...errorResponses } } },
    async (request) => {
      const user = await app.usersRepository.find(request.principal!.username);
      return { ...user!, provinceCode: user!.provinceCode ?? null, agencyCode: user!.agencyCode ?? null };
    },
  );

  app.post(
    '/password',
    {
      config: { access: ROLES },
      schema: {
        tags: ['auth'],
        summary: 'Tự đổi mật khẩu: cần mật khẩu hiện tại; các phiên khác của tài khoản kết thúc, phiên này nhận mã truy cập mới',
        body: Type.Object({
          currentPassword: Type.String({ minLength: 1, maxLength: 200, description: 'Mật khẩu hiện tại' }),
          newPassword: Type.String({ minLength: 12, maxLength: 200, description: 'Mật khẩu mới, ít nhất 12 ký tự' }),
        }),
        response: { 200: Type.Object({ token: Type.String({ description: 'Mã truy cập mới của phiên này' }) }), 429: ErrorResponse, ...errorResponses },
      },
    },
    async (request) => {
      const principal = request.principal!;
      // Counted as log-ins are: a session left open must not become a way to guess the password.
      const checked = await app.loginThrottle.attempt(principal.username, request.ip, () => app.usersRepository.authenticate(principal.username, request.body.currentPassword));
      if (!checked) throw CurrentPasswordWrong({});
      const account = await app.userAccounts.changeOwnPassword(principal, request.body.newPassword);
      return { token: await sessionToken(app, account) };
    },
  );
};
export default route;
