/** The folders under the data directory that hold files, and the inbox the delivery channel writes to. */
import path from 'node:path';
import type { Config } from '../../platform/config';

export interface DataPaths {
  store: string;
  inbox: string;
  /** Uploads waiting for their run's receive step. */
  staging: string;
  /** Packages whose checksum did not match, kept apart and never read by a split. */
  quarantine: string;
  /** One folder per province run: the split output and the link to the package. */
  runs: string;
}

export function dataPaths(config: Pick<Config, 'dataDir' | 'inboxDir'>): DataPaths {
  return {
    store: path.join(config.dataDir, 'store'),
    inbox: config.inboxDir,
    staging: path.join(config.dataDir, 'staging'),
    quarantine: path.join(config.dataDir, 'quarantine'),
    runs: path.join(config.dataDir, 'runs'),
  };
}
