/**
 * Accounts as an administrator keeps them: created, disabled when a person leaves or must stop
 * (and enabled again), given a new password when one is forgotten. Each change is saved with its
 * audit entry in one transaction, about the account by its user name, in the chain of the
 * account's province. An account's role and scope never change: a person moving to another
 * agency gets a new account and the old one is disabled, so every past action stays judged by
 * the account that made it (the auditor's reconciliation reads accounts as they are).
 */
import type { Pool } from 'pg';
import { recordAction } from '../activities/audit/record-action';
import type { Principal } from '../domain/access';
import type { AuditAction, AuditActorRole, AuditEntry } from '../domain/audit/audit-entry';
import { defineError } from '../domain/errors';
import { createUsersRepository, type AccountRow, type NewUser, type UserRow } from '../api/repositories/users';

export const UserNotFound = defineError<{ username: string }>(
  'USER_NOT_FOUND',
  'not_found',
  (p) => `no user ${p.username}`,
  (p) => `Không có người dùng ${p.username}.`,
);

export const OwnAccountNotDisabled = defineError<{ username: string }>(
  'USER_DISABLE_SELF',
  'conflict',
  (p) => `${p.username} cannot disable their own account`,
  (p) => `Không thể tự khoá tài khoản ${p.username} của chính mình; một quản trị viên khác khoá giúp.`,
);

export const DisableReasonMissing = defineError(
  'USER_DISABLE_REASON_MISSING',
  'validation',
  () => 'say why the account is disabled',
  () => 'Cần ghi lý do khoá tài khoản (ghi vào nhật ký kiểm toán).',
);

/** Who changes an account: an administrator by name, or the server's console (where the first administrator is made). */
export type AccountActor = { username: string; role: 'admin' } | { username: 'system'; role: 'system' };
export const SERVER_CONSOLE: AccountActor = { username: 'system', role: 'system' };

function accountEntry(by: { username: string; role: AuditActorRole }, account: UserRow, action: AuditAction, details: Record<string, unknown> = {}): AuditEntry {
  return {
    provinceCode: account.provinceCode ?? null,
    ...(account.agencyCode ? { agencyCode: account.agencyCode } : {}),
    actor: by.username,
    actorRole: by.role,
    action,
    subject: { kind: 'user', id: account.username },
    details: { role: account.role, ...details },
  };
}

export function createUserAccounts(pool: Pool) {
  /** Changes a locked account when it is not already as asked; an account left as it was gets no entry. */
  const change = async (username: string, apply: (users: ReturnType<typeof createUsersRepository>, account: AccountRow) => Promise<{ account: AccountRow; entry?: AuditEntry }>) =>
    (
      await recordAction(pool, async (c) => {
        const users = createUsersRepository(c);
        const account = await users.lockAccount(username);
        if (!account) throw UserNotFound({ username });
        const changed = await apply(users, account);
        return { result: changed.account, audit: changed.entry ? [changed.entry] : [] };
      })
    ).result;

  return {
    list: () => createUsersRepository(pool).list(),

    async create(user: NewUser, by: AccountActor): Promise<UserRow> {
      const { result } = await recordAction(pool, async (c) => {
        const created = await createUsersRepository(c).create(user);
        return { result: created, audit: [accountEntry(by, created, 'user.created')] };
      });
      return result;
    },

    /** Disabled, the account signs in no more and its open sessions end at their next request. */
    async disable(username: string, reason: string, by: AccountActor): Promise<AccountRow> {
      const why = reason.trim();
      if (!why) throw DisableReasonMissing({});
      if (by.role === 'admin' && by.username === username) throw OwnAccountNotDisabled({ username });
      return change(username, async (users, account) => {
        if (account.disabled) return { account };
        await users.setDisabled(username, true);
        return { account: { ...account, disabled: true }, entry: accountEntry(by, account, 'user.disabled', { reason: why }) };
      });
    },

    async enable(username: string, by: AccountActor): Promise<AccountRow> {
      return change(username, async (users, account) => {
        if (!account.disabled) return { account };
        await users.setDisabled(username, false);
        return { account: { ...account, disabled: false }, entry: accountEntry(by, account, 'user.enabled') };
      });
    },

    /** A password an administrator gives (one forgotten); the sessions opened before end. The password is never in the entry. */
    async setPassword(username: string, password: string, by: AccountActor): Promise<AccountRow> {
      return change(username, async (users, account) => {
        await users.setPassword(username, password);
        return { account, entry: accountEntry(by, account, 'user.password_set') };
      });
    },

    /** A user's own new password, the current one checked by the caller; the user's other sessions end. */
    async changeOwnPassword(user: Principal, password: string): Promise<AccountRow> {
      return change(user.username, async (users, account) => {
        await users.setPassword(user.username, password);
        return { account, entry: accountEntry(user, account, 'user.password_changed') };
      });
    },
  };
}
export type UserAccounts = ReturnType<typeof createUserAccounts>;
