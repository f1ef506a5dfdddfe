/**
 * docker-compose.yml is validated by the real Compose CLI (`docker compose config -q`). There is
 * no Docker engine on our machines, so nothing is started: this proves the file is a valid
 * Compose project with the services, health checks and volumes we rely on.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import path from 'node:path';

const root = path.join(__dirname, '..');
const env = {
  ...process.env,
  DOCKER_CONFIG: path.join(root, '.tools', 'docker'),
  HOTICH_DB_PASSWORD: 'mat-khau-thu',
  HOTICH_APP_DB_PASSWORD: 'mat-khau-ung-dung',
  JWT_SECRET: 'a-jwt-secret-of-at-least-32-characters',
};

function compose(args: string[], extraEnv: NodeJS.ProcessEnv = env) {
  return spawnSync('docker', ['compose', '-f', path.join(root, 'docker-compose.yml'), ...args], { env: extraEnv, encoding: 'utf8' });
}

test('docker compose config -q accepts the file', () => {
  const r = compose(['config', '-q']);
  expect(r.stderr).toBe('');
  expect(r.status).toBe(0);
});

test('the production topology: services, health checks, build, volumes', () => {
  const config = JSON.parse(execFileSync('docker', ['compose', '-f', path.join(root, 'docker-compose.yml'), 'config', '--format', 'json'], { env, encoding: 'utf8' })) as {
    services: Record<string, { healthcheck?: unknown; build?: unknown; image?: string; environment?: Record<string, string>; depends_on?: Record<string, { condition: string }> }>;
    volumes: Record<string, unknown>;
  };
  expect(Object.keys(config.services).sort()).toEqual(['api', 'migrate', 'postgres', 'temporal', 'temporal-ui', 'worker']);
  for (const s of ['postgres', 'temporal', 'api']) expect(config.services[s]!.healthcheck).toBeDefined();
  for (const s of ['worker', 'api', 'migrate']) expect(config.services[s]!.build).toBeDefined();
  expect(config.services.temporal!.image).toMatch(/^temporalio\/auto-setup:/);
  // Workers and APIs connect as the application's role; only the migrate step as the tables' owner.
  for (const s of ['worker', 'api']) {
    expect(config.services[s]!.environment).toMatchObject({ TEMPORAL_ADDRESS: 'temporal:7233', DATABASE_URL: 'postgres://hotich_app:mat-khau-ung-dung@postgres:5432/hotich' });
    expect(config.services[s]!.environment).not.toHaveProperty('DATABASE_OWNER_URL');
  }
  expect(config.services.migrate!.environment).toMatchObject({
    DATABASE_URL: 'postgres://hotich_app:mat-khau-ung-dung@postgres:5432/hotich',
    DATABASE_OWNER_URL: 'postgres://hotich:mat-khau-thu@postgres:5432/hotich',
  });
  expect(config.services.worker!.depends_on).toMatchObject({ migrate: { condition: 'service_completed_successfully' }, temporal: { condition: 'service_healthy' } });
  // migrate registers the runs' search attributes on Temporal as well.
  expect(config.services.migrate!.depends_on).toMatchObject({ postgres: { condition: 'service_healthy' }, temporal: { condition: 'service_healthy' } });
  expect(Object.keys(config.volumes).sort()).toEqual(['hotich-files', 'postgres-data']);
});

test('secrets are required, not defaulted', () => {
  for (const name of ['HOTICH_DB_PASSWORD', 'HOTICH_APP_DB_PASSWORD'] as const) {
    const { [name]: _unused, ...without } = env;
    const r = compose(['config', '-q'], without);
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain(name);
  }
});
