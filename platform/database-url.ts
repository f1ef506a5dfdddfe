import fs from 'node:fs';
import path from 'node:path';
import { appRoleUrl } from '../db/app-role';
import type { Config } from './config';
import type { LocalSecrets } from './local-secrets';
import { defineError } from '../domain/errors';

export const DatabaseNotConfigured = defineError<{ dataDir: string }>(
  'DATABASE_NOT_CONFIGURED',
  'config',
  (p) => `no DATABASE_URL and no embedded database under ${p.dataDir}; start the system (npm start) or set DATABASE_URL`,
  (p) => `Chưa có cơ sở dữ liệu: chưa đặt DATABASE_URL và chưa có PostgreSQL nhúng trong ${p.dataDir}. Hãy chạy "npm start" trước hoặc đặt DATABASE_URL.`,
);

function embeddedSecrets(config: Config): LocalSecrets {
  const secretsFile = path.join(config.dataDir, 'secrets.json');
  if (!fs.existsSync(secretsFile)) throw DatabaseNotConfigured({ dataDir: config.dataDir });
  return JSON.parse(fs.readFileSync(secretsFile, 'utf8')) as LocalSecrets;
}

/** The embedded database as its owner, the PostgreSQL superuser `npm start` made. */
export function embeddedOwnerUrl(config: Config, secrets: Pick<LocalSecrets, 'postgresPassword'> = embeddedSecrets(config)): string {
  return `postgres://postgres:${encodeURIComponent(secrets.postgresPassword)}@127.0.0.1:${config.database.port}/hotich`;
}

/** The database of the running system, as the application's role: DATABASE_URL, else the embedded one `npm start` made. */
export function resolveDatabaseUrl(config: Config): string {
  if (config.database.url) return config.database.url;
  const secrets = embeddedSecrets(config);
  // Written by the first `npm start` of this version, which also lets the role log in.
  if (!secrets.appDatabasePassword) throw DatabaseNotConfigured({ dataDir: config.dataDir });
  return appRoleUrl(embeddedOwnerUrl(config, secrets), secrets.appDatabasePassword);
}

/** The database as the tables' owner, for the migrations: DATABASE_OWNER_URL, else DATABASE_URL, else the embedded one's superuser. */
export function resolveOwnerDatabaseUrl(config: Config): string {
  return config.database.ownerUrl ?? config.database.url ?? embeddedOwnerUrl(config);
}
