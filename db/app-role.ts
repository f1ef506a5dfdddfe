/**
 * The application's database role (migration 1764990200000): the API and the workers connect
 * as it, the migrations as the tables' owner. The owner lets it log in with a password, after
 * the migrations have made it: the embedded start with a password of its own under the data
 * folder, `hotich migrate` with the password of DATABASE_URL.
 */
import { Client } from 'pg';

export const APP_ROLE = 'hotich_app';

/** Lets the application's role log in with `password`; run as the owner, after the migrations. */
export async function enableAppRoleLogin(ownerUrl: string, password: string): Promise<void> {
  const client = new Client({ connectionString: ownerUrl });
  await client.connect();
  try {
    // ALTER ROLE takes no parameters: the password is quoted by PostgreSQL itself.
    const sql = await client.query<{ sql: string }>(`SELECT format('ALTER ROLE %I LOGIN PASSWORD %L', $1::text, $2::text) AS sql`, [APP_ROLE, password]);
    await client.query(sql.rows[0]!.sql);
  } finally {
    await client.end();
  }
}

/** The owner's URL with the application's role and password in it. */
export function appRoleUrl(ownerUrl: string, password: string): string {
  const u = new URL(ownerUrl);
  u.username = APP_ROLE;
  u.password = encodeURIComponent(password);
  return u.toString();
}

/** The URL's role, if it is the application's: its password is the one `hotich migrate` gives the role. */
export function appRolePassword(url: string): string | undefined {
  const u = new URL(url);
  return decodeURIComponent(u.username) === APP_ROLE && u.password ? decodeURIComponent(u.password) : undefined;
}
