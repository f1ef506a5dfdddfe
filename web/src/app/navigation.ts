/**
 * The screens of the page, by role: the router mounts a screen only for its roles (anyone else
 * gets "not found"), and the navigation bar lists those of the signed-in user's role.
 */
import type { ComponentType } from 'react';
import type { Role } from '../lib/api-types';
import type { MessageKey } from '../lib/i18n/vi';

export interface Screen {
  /** Below the app's root; `:name` marks a parameter. */
  path: string;
  roles: readonly Role[];
  /** Shown in the navigation bar when set. */
  nav?: MessageKey;
  element: ComponentType;
}

export const navFor = (screens: readonly Screen[], role: Role) => screens.filter((s) => s.nav && s.roles.includes(role));
