/** All activities, built from injected dependencies (real ones in production and in tests). */
import type { Pool } from 'pg';
import type { ContentStore } from './files/content-store';
import { createPlatformActivities } from './platform/platform-check';

export interface ActivityDeps {
  pool: Pool;
  store: ContentStore;
}

export function createActivities(deps: ActivityDeps) {
  return {
    ...createPlatformActivities(deps),
  };
}
export type Activities = ReturnType<typeof createActivities>;
