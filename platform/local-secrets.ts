/**
 * Secrets of the embedded mode (PostgreSQL password, JWT secret), generated on first start
 * and kept under the data folder (mode 0600), so nothing has to be configured and restarts
 * keep working with the same data.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface LocalSecrets {
  /** The embedded PostgreSQL's superuser, who owns the tables and runs the migrations. */
  postgresPassword: string;
  /** The application's role (db/app-role.ts), as the API and the worker connect. */
  appDatabasePassword: string;
  jwtSecret: string;
}

const fresh = (bytes: number) => randomBytes(bytes).toString('base64url');

export function loadOrCreateLocalSecrets(dataDir: string): LocalSecrets {
  const file = path.join(dataDir, 'secrets.json');
  const kept = fs.existsSync(file) ? (JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<LocalSecrets>) : {};
  // A data folder of an earlier version has no password for the application's role yet: it gets one, the rest is kept.
  const secrets: LocalSecrets = { postgresPassword: kept.postgresPassword ?? fresh(18), appDatabasePassword: kept.appDatabasePassword ?? fresh(18), jwtSecret: kept.jwtSecret ?? fresh(48) };
  if (kept.postgresPassword && kept.appDatabasePassword && kept.jwtSecret) return secrets;
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
