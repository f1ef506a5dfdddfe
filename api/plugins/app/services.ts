import fp from 'fastify-plugin';
import { dataPaths } from '../../../activities/files/data-paths';
import { createAgencyImports } from '../../../services/agency-imports';
import { createAgencyReview } from '../../../services/agency-review';
import { createProvinceRuns } from '../../../services/province-runs';
import { createAuditing } from '../../../services/audit/auditing';
import { createUserAccounts } from '../../../services/user-accounts';

/** The services the CLI uses too, bound to this server's Temporal client, pool and store. */
export default fp(async (app) => {
  app.decorate('provinceRuns', createProvinceRuns({ temporal: app.temporal, pool: app.pool, paths: dataPaths(app.config), taskQueue: app.config.temporal.taskQueue, review: app.config.review }));
  app.decorate('agencyImports', createAgencyImports({ temporal: app.temporal, pool: app.pool, store: app.contentStore }));
  app.decorate('agencyReview', createAgencyReview({ temporal: app.temporal, pool: app.pool, imports: app.agencyImports }));
  app.decorate('auditing', createAuditing({ temporal: app.temporal, pool: app.pool }));
  app.decorate('userAccounts', createUserAccounts(app.pool));
});
