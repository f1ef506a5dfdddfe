/** Every screen of the page and the home of each role. */
import type { ComponentType } from 'react';
import { ImportsPage } from '../features/imports/imports-page';
import { RecordPage } from '../features/review/record-page';
import { ReviewPage } from '../features/review/review-page';
import { TransfersPage } from '../features/transfers/transfers-page';
import { WorkQueuesPage } from '../features/work-queues/work-queues-page';
import type { Role } from '../lib/api-types';
import type { Screen } from './navigation';
import { RoleHome } from './role-home';

export const SCREENS: readonly Screen[] = [
  { path: 'imports', roles: ['official'], nav: 'nav.imports', element: ImportsPage },
  { path: 'transfers', roles: ['official'], nav: 'nav.transfers', element: TransfersPage },
  { path: 'review/:type/:unit/:year/:book', roles: ['official'], element: ReviewPage },
  { path: 'records/:id', roles: ['official'], element: RecordPage },
];

export const HOMES: Record<Role, ComponentType> = {
  admin: RoleHome,
  coordinator: RoleHome,
  official: WorkQueuesPage,
  auditor: RoleHome,
};
