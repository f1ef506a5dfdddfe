import { Type } from '@sinclair/typebox';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { AgencyCode, ErrorResponse, errorResponses, ProvinceCode, RoleSchema, UserView } from '../../../schemas';

const toView = (u: { username: string; role: UserView['role']; provinceCode?: string | null; agencyCode?: string | null; displayName: string }): UserView => ({
  username: u.username,
  role: u.role,
  provinceCode: u.provinceCode ?? null,
  agencyCode: u.agencyCode ?? null,
  displayName: u.displayName,
});

const route: FastifyPluginAsyncTypebox = async (app) => {
  app.get(
    '/',
    { config: { access: ['admin'] }, schema: { tags: ['users'], summary: 'Danh sách người dùng', response: { 200: Type.Array(UserView), ...errorResponses } } },
    async () => (await app.usersRepository.list()).map(toView),
  );

  app.post(
    '/',
    {
      config: { access: ['admin'] },
      schema: {
        tags: ['users'],
        summary: 'Tạo người dùng',
        body: Type.Object({
          username: Type.String({ pattern: '^[a-z0-9._-]{3,64}$' }),
          password: Type.String({ minLength: 12, maxLength: 200 }),
          role: RoleSchema,
          provinceCode: Type.Optional(ProvinceCode),
          agencyCode: Type.Optional(AgencyCode),
          displayName: Type.Optional(Type.String({ maxLength: 200 })),
        }),
        response: { 201: UserView, 409: ErrorResponse, ...errorResponses },
      },
    },
    async (request, reply) => reply.status(201).send(toView(await app.usersRepository.create(request.body))),
  );
};
export default route;
