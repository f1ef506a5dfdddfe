import fp from 'fastify-plugin';
import { createUsersRepository } from '../../repositories/users';
import { createAgenciesRepository } from '../../repositories/agencies';
import { createRecordsRepository } from '../../repositories/records';
import { createFilesRepository } from '../../repositories/files';
import { createWorkflowRegistry } from '../../repositories/workflows';
import { createRunBoardRepository } from '../../repositories/run-board';
import { createLoginThrottle } from '../../login-throttle';
import { createLocalContentStore } from '../../../activities/files/content-store';
import { dataPaths } from '../../../activities/files/data-paths';

/** Routes take their repositories from the instance; none imports a database module. */
export default fp(async (app) => {
  app.decorate('usersRepository', createUsersRepository(app.pool));
  app.decorate('agenciesRepository', createAgenciesRepository(app.pool));
  app.decorate('recordsRepository', createRecordsRepository(app.pool));
  app.decorate('filesRepository', createFilesRepository(app.pool));
  app.decorate('workflowRegistry', createWorkflowRegistry(app.pool));
  app.decorate('runBoard', createRunBoardRepository(app.pool));
  app.decorate('loginThrottle', createLoginThrottle(app.pool, app.config.auth));
  app.decorate('contentStore', createLocalContentStore(dataPaths(app.config).store));
});
