/**
 * The whole system as a browser test needs it, all real: the suite's Temporal dev server and
 * PostgreSQL (test/global-setup.ts), a database, data folder and worker of the test file's own,
 * and the API with the built web page listening on a free port of the loopback.
 */
import type { Role } from '../../../domain/access';
import type { ReviewSettings } from '../../../domain/review/review-types';
import { buildApp } from '../../../api/app';
import { loadConfig } from '../../../platform/config';
import { createLogger } from '../../../platform/logger';
import { isWebBuildCurrent } from '../../../scripts/build-web';
import { createProvinceRunHarness, type ProvinceRunHarness } from '../../../test/support/province-runs';
import type { Workers } from '../../../worker/create-worker';

export interface WebSystem {
  url: string;
  h: ProvinceRunHarness;
  app: Awaited<ReturnType<typeof buildApp>>;
  /** Creates a user (an official's agency is registered from the unit catalog) and returns the password. */
  addUser(username: string, role: Role, scope?: { provinceCode?: string; agencyCode?: string; displayName?: string }): Promise<string>;
  close(): Promise<void>;
}

export async function startWebSystem(name: string, opts: { review?: Partial<ReviewSettings> } = {}): Promise<WebSystem> {
  if (!isWebBuildCurrent()) throw new Error('dist/web is missing or older than web/: run npm run build:web (npm test does it first)');
  const h = await createProvinceRunHarness(name, { review: opts.review });
  let worker: Workers | undefined;
  let running: Promise<void> | undefined;
  try {
    worker = await h.createWorker();
    running = worker.run();
    const config = loadConfig({
      NODE_ENV: 'test',
      LOG_LEVEL: 'warn',
      HOTICH_DATA_DIR: h.dataDir,
      HOTICH_INBOX_DIR: h.paths.inbox,
      TEMPORAL_TASK_QUEUE: h.taskQueue,
      JWT_SECRET: 'a-test-secret-of-at-least-32-characters!',
    });
    const app = await buildApp({ config: { ...config, review: { ...config.review, ...opts.review } }, pool: h.db.pool, temporal: h.env.client, logger: createLogger(config) });
    const url = await app.listen({ host: '127.0.0.1', port: 0 });
    return {
      url,
      h,
      app,
      async addUser(username, role, scope = {}) {
        const password = `mat-khau-${username}-2026`;
        await app.usersRepository.create({ username, password, role, provinceCode: scope.provinceCode ?? null, agencyCode: scope.agencyCode ?? null, displayName: scope.displayName ?? '' });
        return password;
      },
      async close() {
        await app.close();
        worker!.shutdown();
        await running;
        await h.close();
      },
    };
  } catch (e) {
    worker?.shutdown();
    await running;
    await h.close();
    throw e;
  }
}
