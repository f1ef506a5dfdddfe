import fs from 'node:fs';
import type { RunningTemporal } from '../platform/services/temporal-dev-server';
import type { RunningPostgres } from '../platform/services/embedded-postgres';

export default async function globalTeardown(): Promise<void> {
  const services = (globalThis as Record<string, unknown>).__hotichServices as
    | { temporal: RunningTemporal; postgres: RunningPostgres; workDir: string }
    | undefined;
  if (!services) return;
  await Promise.allSettled([services.temporal.stop(), services.postgres.stop()]);
  fs.rmSync(services.workDir, { recursive: true, force: true });
}
