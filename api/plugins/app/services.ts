import fp from 'fastify-plugin';
import { dataPaths } from '../../../activities/files/data-paths';
import { createProvinceRuns } from '../../../services/province-runs';

/** The coordinator service the CLI uses too, bound to this server's Temporal client and pool. */
export default fp(async (app) => {
  app.decorate('provinceRuns', createProvinceRuns({ temporal: app.temporal, pool: app.pool, paths: dataPaths(app.config), taskQueue: app.config.temporal.taskQueue }));
});
