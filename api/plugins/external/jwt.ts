import fp from 'fastify-plugin';
import jwt from '@fastify/jwt';
import { defineError } from '../../../domain/errors';

export const JwtSecretMissing = defineError(
  'CONFIG_JWT_SECRET_MISSING',
  'config',
  () => 'JWT_SECRET must be set (at least 32 characters) to run the API in production mode',
  () => 'Cần đặt JWT_SECRET (ít nhất 32 ký tự) để chạy API ở chế độ vận hành.',
);

export default fp(async (app) => {
  const secret = app.config.api.jwtSecret;
  if (!secret) throw JwtSecretMissing({});
  await app.register(jwt, { secret, sign: { expiresIn: app.config.api.tokenTtl } });
});
