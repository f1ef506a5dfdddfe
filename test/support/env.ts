/** Environment variables through which test/global-setup.ts hands the real servers to test files. */
export const TEST_ENV = {
  temporalAddress: 'HOTICH_TEST_TEMPORAL_ADDRESS',
  temporalCli: 'HOTICH_TEST_TEMPORAL_CLI',
  postgresAdminUrl: 'HOTICH_TEST_POSTGRES_ADMIN_URL',
  workDir: 'HOTICH_TEST_WORK_DIR',
} as const;

export const TEMPLATE_DB = 'hotich_template';

/** The application's role logs in with this in tests (test/global-setup.ts): test databases are used as the system uses them. */
export const TEST_APP_PASSWORD = 'test-only-app-password';

export function testEnv(name: keyof typeof TEST_ENV): string {
  const value = process.env[TEST_ENV[name]];
  if (!value) throw new Error(`${TEST_ENV[name]} is not set: integration tests (*.int.test.ts) run under test/global-setup.ts`);
  return value;
}
