/** The English catalogue: the same keys as vi.ts (a unit test holds them equal), for the switch. */
import type { MessageKey } from './vi';

export const en: Record<MessageKey, string> = {
  'app.name': 'hotich-flow',
  'app.tagline': 'Civil status data transfer',
  'app.skipToContent': 'Skip to main content',
  'nav.label': 'Screens',
  'nav.home': 'Home',
  'lang.label': 'Language',
  'lang.vi': 'Tiếng Việt',
  'lang.en': 'English',

  'login.title': 'Sign in',
  'login.intro': 'Moves digitised civil status registers into the electronic civil status database.',
  'login.username': 'User name',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.submitting': 'Signing in…',
  'login.ended': 'Your session has ended; please sign in again.',
  'session.logout': 'Sign out',
  'session.user': 'User',
  'session.scopeAgency': 'Agency {code}',
  'session.scopeProvince': 'Province {code}',
  'session.scopeNational': 'National',

  'role.admin': 'Administrator',
  'role.coordinator': 'Provincial coordinator',
  'role.official': 'Civil status official',
  'role.auditor': 'Auditor',

  'home.welcome': 'Welcome, {name}',
  'home.noScreens': 'The web page has no screens for the role {role} yet. What this role does is in the hotich command and the API.',
  'home.apiDocs': 'API documentation (OpenAPI)',

  'error.title': 'Error',
  'error.code': 'Error code: {code}',
  'error.NETWORK_UNREACHABLE': 'The server cannot be reached. Check the network and try again.',
  'error.BAD_RESPONSE': 'The server answered in an unexpected form; try again or tell the administrator.',
  'error.retry': 'Try again',
  'notFound.title': 'Not found',
  'notFound.body': 'There is no such page. Check the address, or go back home.',
  'notFound.home': 'Back home',
  'common.loading': 'Loading…',
  'health.label': 'System status:',
  'health.up': 'up',
  'health.down': 'unreachable',
};
