/**
 * Secrets of the embedded mode (PostgreSQL password, JWT secret), generated on first start
 * and kept under the data folder (mode 0600), so nothing has to be configured and restarts
 * keep working with the same data.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export interface LocalSecrets {
  postgresPassword: string;
  jwtSecret: string;
}

export function loadOrCreateLocalSecrets(dataDir: string): LocalSecrets {
  const file = path.join(dataDir, 'secrets.json');
  if (fs.existsSync(file)) return JSON.parse(fs.readFileSync(file, 'utf8')) as LocalSecrets;
  const secrets: LocalSecrets = { postgresPassword: randomBytes(18).toString('base64url'), jwtSecret: randomBytes(48).toString('base64url') };
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
