import { apiGet, apiPost } from '../../lib/api-client';
import type { LoginResponse, User } from '../../lib/api-types';

export const login = (username: string, password: string) => apiPost<LoginResponse>('/api/auth/login', { username, password });
export const currentUser = () => apiGet<User>('/api/me');

/** The user's own new password; the answer's token replaces this session's (the account's other sessions end). */
export const changePassword = (currentPassword: string, newPassword: string) => apiPost<{ token: string }>('/api/me/password', { currentPassword, newPassword });
