import { apiGet, apiPost } from '../../lib/api-client';
import type { LoginResponse, User } from '../../lib/api-types';

export const login = (username: string, password: string) => apiPost<LoginResponse>('/api/auth/login', { username, password });
export const currentUser = () => apiGet<User>('/api/me');
