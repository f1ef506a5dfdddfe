import type { Client } from '@temporalio/client';
import type { Pool } from 'pg';
import type { Principal, Role } from '../domain/access';
import type { Config } from '../platform/config';
import type { UsersRepository } from './repositories/users';
import type { AgenciesRepository } from './repositories/agencies';
import type { RecordsRepository } from './repositories/records';
import type { FilesRepository } from './repositories/files';
import type { WorkflowRegistry } from './repositories/workflows';
import type { RunBoardRepository } from './repositories/run-board';
import type { LoginThrottle } from './login-throttle';
import type { ContentStore } from '../activities/files/content-store';
import type { AgencyImports } from '../services/agency-imports';
import type { AgencyReview } from '../services/agency-review';
import type { ProvinceRuns } from '../services/province-runs';
import type { Auditing } from '../services/audit/auditing';
import type { UserAccounts } from '../services/user-accounts';

/** Who may call a route: a list of roles, or 'public'. Every route declares it. */
export type RouteAccess = readonly Role[] | 'public';

/** A route as Fastify registered it (HEAD twins of GET routes included). */
export interface DeclaredRoute {
  method: string;
  url: string;
  access: RouteAccess;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: RouteAccess;
  }
  interface FastifyInstance {
    config: Config;
    pool: Pool;
    temporal: Client;
    /** Where the built web page is (may be absent: the API runs without it). */
    webDir: string;
    usersRepository: UsersRepository;
    agenciesRepository: AgenciesRepository;
    recordsRepository: RecordsRepository;
    filesRepository: FilesRepository;
    workflowRegistry: WorkflowRegistry;
    runBoard: RunBoardRepository;
    loginThrottle: LoginThrottle;
    declaredRoutes: readonly DeclaredRoute[];
    contentStore: ContentStore;
    provinceRuns: ProvinceRuns;
    agencyImports: AgencyImports;
    agencyReview: AgencyReview;
    auditing: Auditing;
    userAccounts: UserAccounts;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}

declare module '@fastify/jwt' {
  interface FastifyJWT {
    /** `credentialsVersion`: the account's count of passwords set when the session began (absent: none set since). */
    payload: Principal & { credentialsVersion: number };
    user: Principal & { credentialsVersion?: number };
  }
}
