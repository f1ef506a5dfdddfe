import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyRequest } from 'fastify';
import type { AccountActor } from '../../../../services/user-accounts';
import { AccountView, AgencyCode, ErrorResponse, errorResponses, ProvinceCode, RoleSchema, UserView } from '../../../schemas';

const toView = (u: { username: string; role: UserView['role']; provinceCode?: string | null; agencyCode?: string | null; displayName: string }): UserView => ({
  username: u.username,
  role: u.role,
  provinceCode: u.provinceCode ?? null,
  agencyCode: u.agencyCode ?? null,
  displayName: u.displayName,
});
const toAccountView = (u: Parameters<typeof toView>[0] & { disabled: boolean }): AccountView => ({ ...toView(u), disabled: u.disabled });

const Username = Type.String({ pattern: '^[a-z0-9._-]{3,64}$', description: 'Tên đăng nhập' });
const Password = Type.String({ minLength: 12, maxLength: 200, description: 'Mật khẩu, ít nhất 12 ký tự' });
const Params = Type.Object({ username: Username });
const accountErrors = { ...errorResponses, 409: ErrorResponse };

/** The administrator who asks: only admins reach these routes. */
const adminOf = (request: FastifyRequest): AccountActor => ({ username: request.principal!.username, role: 'admin' });

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    { config: { access: ['admin'] }, schema: { tags: ['users'], summary: 'Danh sách người dùng, cả tài khoản đã khoá', response: { 200: Type.Array(AccountView), ...errorResponses } } },
    async () => (await app.userAccounts.list()).map(toAccountView),
  );

  app.post(
    '/',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['users'],
        summary: 'Tạo người dùng',
        body: Type.Object({
          username: Username,
          password: Password,
          role: RoleSchema,
          provinceCode: Type.Optional(ProvinceCode),
          agencyCode: Type.Optional(AgencyCode),
          displayName: Type.Optional(Type.String({ maxLength: 200 })),
        }),
        response: { 201: UserView, ...accountErrors },
      },
    },
    async (request, reply) => reply.status(201).send(toView(await app.userAccounts.create(request.body, adminOf(request)))),
  );

  app.post(
    '/:username/disable',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['users'],
        summary: 'Khoá tài khoản (người dùng nghỉ việc, chuyển công tác hoặc phải dừng): không đăng nhập được nữa, phiên đang mở kết thúc ở yêu cầu kế tiếp',
        params: Params,
        body: Type.Object({ reason: Type.String({ maxLength: 500, description: 'Lý do khoá, ghi vào nhật ký kiểm toán' }) }),
        response: { 200: AccountView, ...accountErrors },
      },
    },
    async (request) => toAccountView(await app.userAccounts.disable(request.params.username, request.body.reason, adminOf(request))),
  );

  app.post(
    '/:username/enable',
    {
      config: { access: ['admin'] },
      schema: { tags: ['users'], summary: 'Mở khoá tài khoản', params: Params, response: { 200: AccountView, ...accountErrors } },
    },
    async (request) => toAccountView(await app.userAccounts.enable(request.params.username, adminOf(request))),
  );

  app.post(
    '/:username/password',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['users'],
        summary: 'Đặt lại mật khẩu của một tài khoản (người dùng quên mật khẩu); mật khẩu không ghi vào nhật ký',
        params: Params,
        body: Type.Object({ password: Password }),
        response: { 200: AccountView, ...accountErrors },
      },
    },
    async (request) => toAccountView(await app.userAccounts.setPassword(request.params.username, request.body.password, adminOf(request))),
  );
};
export default route;
