import fp from 'fastify-plugin';
import jwt from '@fastify/jwt';
import type { FastifyInstance } from 'fastify';
import type { Principal } from '../../../domain/access';
import { defineError } from '../../../domain/errors';

export const JwtSecretMissing = defineError(
  'CONFIG_JWT_SECRET_MISSING',
  'config',
  () => 'JWT_SECRET must be set (at least 32 characters) to run the API outside development (NODE_ENV=production), e.g. JWT_SECRET=$(openssl rand -base64 48)',
  () => 'Cần đặt JWT_SECRET (ít nhất 32 ký tự) để chạy API ngoài chế độ phát triển (NODE_ENV=production), ví dụ JWT_SECRET=$(openssl rand -base64 48), và dùng cùng một giá trị cho mọi tiến trình API.',
);

export default fp(async (app) => {
  const secret = app.config.api.jwtSecret;
  if (!secret) throw JwtSecretMissing({});
  await app.register(jwt, { secret, sign: { expiresIn: app.config.api.tokenTtl } });
});

/** A session's token: who the user is, their scope and the account's count of passwords set, as the log-in and a password change give it. */
export async function sessionToken(app: FastifyInstance, user: Principal): Promise<string> {
  const session = await app.usersRepository.findSession(user.username);
  return app.jwt.sign({ username: user.username, role: user.role, provinceCode: user.provinceCode, agencyCode: user.agencyCode, credentialsVersion: session?.credentialsVersion ?? 0 });
}
