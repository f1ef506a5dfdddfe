import fs from 'node:fs';
import path from 'node:path';
import type { Config } from './config';
import { defineError } from '../domain/errors';

export const DatabaseNotConfigured = defineError<{ dataDir: string }>(
  'DATABASE_NOT_CONFIGURED',
  'config',
  (p) => `no DATABASE_URL and no embedded database under ${p.dataDir}; start the system (npm start) or set DATABASE_URL`,
  (p) => `Chưa có cơ sở dữ liệu: chưa đặt DATABASE_URL và chưa có PostgreSQL nhúng trong ${p.dataDir}. Hãy chạy "npm start" trước hoặc đặt DATABASE_URL.`,
);

/** The database of the running system: DATABASE_URL, else the embedded one `npm start` made. */
export function resolveDatabaseUrl(config: Config): string {
  if (config.database.url) return config.database.url;
  const secretsFile = path.join(config.dataDir, 'secrets.json');
  if (!fs.existsSync(secretsFile)) throw DatabaseNotConfigured({ dataDir: config.dataDir });
  const { postgresPassword } = JSON.parse(fs.readFileSync(secretsFile, 'utf8')) as { postgresPassword: string };
  return `postgres://postgres:${encodeURIComponent(postgresPassword)}@127.0.0.1:${config.database.port}/hotich`;
}
