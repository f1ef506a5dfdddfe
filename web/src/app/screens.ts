/** Every screen of the page and the home of each role. */
import type { ComponentType } from 'react';
import type { Role } from '../lib/api-types';
import type { Screen } from './navigation';
import { RoleHome } from './role-home';

export const SCREENS: readonly Screen[] = [];

export const HOMES: Record<Role, ComponentType> = {
  admin: RoleHome,
  coordinator: RoleHome,
  official: RoleHome,
  auditor: RoleHome,
};
