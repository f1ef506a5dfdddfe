import { apiGet, apiPost } from '../../lib/api-client';
import type { Account, Role, User } from '../../lib/api-types';

export interface NewAccount {
  username: string;
  password: string;
  role: Role;
  provinceCode?: string;
  agencyCode?: string;
  displayName?: string;
}

const account = (username: string) => `/api/users/${encodeURIComponent(username)}`;

export const listAccounts = (signal?: AbortSignal) => apiGet<Account[]>('/api/users', signal);
export const createAccount = (a: NewAccount) => apiPost<User>('/api/users', a);
export const disableAccount = (username: string, reason: string) => apiPost<Account>(`${account(username)}/disable`, { reason });
export const enableAccount = (username: string) => apiPost<Account>(`${account(username)}/enable`, {});
export const setAccountPassword = (username: string, password: string) => apiPost<Account>(`${account(username)}/password`, { password });
