/** Every screen of the page and the home of each role. */
import type { ComponentType } from 'react';
import { AccountsPage } from '../features/accounts/accounts-page';
import { PasswordPage } from '../features/auth/password-page';
import { ImportsPage } from '../features/imports/imports-page';
import { RecordPage } from '../features/review/record-page';
import { ReviewPage } from '../features/review/review-page';
import { AuditChecksPage } from '../features/audit/checks-page';
import { AuditRunsPage } from '../features/audit/runs-page';
import { TimelinePage } from '../features/audit/timeline-page';
import { TrailPage } from '../features/audit/trail-page';
import { TransfersPage } from '../features/transfers/transfers-page';
import { WorkQueuesPage } from '../features/work-queues/work-queues-page';
import { BoardPage } from '../features/board/board-page';
import { NotificationsPage } from '../features/notifications/notifications-page';
import { DecisionsPage } from '../features/runs/decisions-page';
import { NewRunPage } from '../features/runs/new-run-page';
import { RunPage } from '../features/runs/run-page';
import { RunsHome } from '../features/runs/runs-home';
import type { Role } from '../lib/api-types';
import type { Screen } from './navigation';

export const SCREENS: readonly Screen[] = [
  // Everyone's: their own password (linked beside their name, not in the bar).
  { path: 'account/password', roles: ['admin', 'coordinator', 'official', 'auditor'], element: PasswordPage },
  { path: 'imports', roles: ['official'], nav: 'nav.imports', element: ImportsPage },
  { path: 'transfers', roles: ['official'], nav: 'nav.transfers', element: TransfersPage },
  { path: 'review/:type/:unit/:year/:book', roles: ['official'], element: ReviewPage },
  { path: 'records/:id', roles: ['official'], element: RecordPage },
  // The coordinator's: start a run, follow it and its agencies, the province's notifications.
  { path: 'runs/new', roles: ['coordinator'], nav: 'nav.newRun', element: NewRunPage },
  { path: 'runs/:runId', roles: ['coordinator'], element: RunPage },
  { path: 'runs/:runId/decisions', roles: ['coordinator'], element: DecisionsPage },
  { path: 'runs/:runId/board', roles: ['coordinator'], element: BoardPage },
  { path: 'notifications', roles: ['coordinator'], nav: 'nav.notifications', element: NotificationsPage },
  // The auditor's: a run's timeline (the workflow id's parts as path segments), a record's trail, the province's checks.
  { path: 'audit/timeline/*', roles: ['auditor'], element: TimelinePage },
  { path: 'audit/records/:id', roles: ['auditor'], element: TrailPage },
  { path: 'audit/checks', roles: ['auditor'], nav: 'nav.auditChecks', element: AuditChecksPage },
];

export const HOMES: Record<Role, ComponentType> = {
  admin: AccountsPage,
  coordinator: RunsHome,
  official: WorkQueuesPage,
  auditor: AuditRunsPage,
};
