/** All activities, built from injected dependencies (real ones in production and in tests). */
import type { Pool } from 'pg';
import type { Config } from '../platform/config';
import { isAppError } from '../domain/errors';
import { appFailure } from '../workflows/failures';
import type { ContentStore } from './files/content-store';
import type { DataPaths } from './files/data-paths';
import { createExcelImportActivities } from './imports/import-excel';
import { createBookClaimActivities } from './review/book-claims';
import { createReviewActivities } from './review/decide-records';
import { createNotificationActivities } from './review/notify-idle-book';
import { createPgTransferTarget } from './transfer/pg-transfer-target';
import { createTransferActivities } from './transfer/transfer-approved';
import type { TransferTarget } from './transfer/transfer-target';
import { createSplitSourceActivities } from './imports/split-sources';
import { createScanActivities } from './scans/import-scans';
import { createPlatformActivities } from './platform/platform-check';
import { createReceiveActivities } from './receive/receive-package';
import { createRunEventActivities } from './runs/run-events';
import { createSplitActivities } from './split/split-package';

export interface ActivityDeps {
  pool: Pool;
  store: ContentStore;
  paths: DataPaths;
  limits: Config['imports'];
  /** CSDLHTĐT; our PostgreSQL adapter on the same database when not given. */
  target?: TransferTarget;
}

/** Our coded errors leave an activity as failures carrying their code and Vietnamese text. */
function withCodedFailures<T extends Record<string, (...args: never[]) => Promise<unknown>>>(activities: T): T {
  return Object.fromEntries(
    Object.entries(activities).map(([name, fn]) => [
      name,
      async (...args: never[]) => {
        try {
          return await fn(...args);
        } catch (e) {
          throw isAppError(e) ? appFailure(e) : e;
        }
      },
    ]),
  ) as T;
}

export function createActivities(deps: ActivityDeps) {
  return withCodedFailures({
    ...createPlatformActivities(deps),
    ...createReceiveActivities(deps),
    ...createSplitActivities(deps),
    ...createRunEventActivities(deps),
    ...createExcelImportActivities(deps),
    ...createSplitSourceActivities(deps),
    ...createScanActivities(deps),
    ...createReviewActivities(deps),
    ...createBookClaimActivities(deps),
    ...createNotificationActivities(deps),
    ...createTransferActivities({ pool: deps.pool, target: deps.target ?? createPgTransferTarget(deps.pool) }),
  });
}
export type Activities = ReturnType<typeof createActivities>;
