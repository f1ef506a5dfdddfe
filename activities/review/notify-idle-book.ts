/** Reminders and escalations of idle books: a notification (the dashboard reads it), its audit entry and a log line. */
import { log } from '@temporalio/activity';
import type { Pool } from 'pg';
import { bookId, type BookRef } from '../../domain/review/review-types';
import { recordAction } from '../audit/record-action';

export interface IdleBookNotice {
  /** One per book, kind and idle period: a retry writes nothing twice. */
  notificationKey: string;
  kind: 'reminder' | 'escalation';
  provinceCode: string;
  agencyCode: string;
  workflowId: string;
  book: BookRef & { bookNumber: string };
  idleSince: string;
  messageVi: string;
}

export function createNotificationActivities({ pool }: { pool: Pool }) {
  return {
    async notifyIdleBook(n: IdleBookNotice): Promise<void> {
      const { entries } = await recordAction(pool, async () => ({
        result: undefined,
        notification: { key: n.notificationKey, kind: n.kind, provinceCode: n.provinceCode, agencyCode: n.agencyCode, workflowId: n.workflowId, book: n.book, idleSince: n.idleSince, messageVi: n.messageVi },
        audit: [
          {
            provinceCode: n.provinceCode,
            agencyCode: n.agencyCode,
            actor: 'system',
            actorRole: 'system',
            action: n.kind === 'reminder' ? 'book.reminder' : 'book.escalation',
            subject: { kind: 'book', id: bookId(n.book) },
            workflowId: n.workflowId,
            details: { idleSince: n.idleSince },
            key: `notification:${n.notificationKey}`,
          },
        ],
      }));
      if (entries[0]!.fresh) log.warn(n.kind === 'reminder' ? 'book idle: agency reminded' : 'book idle: escalated to the coordinator', { agency: n.agencyCode, book: n.book, idleSince: n.idleSince, auditSeq: entries[0]!.seq });
    },
  };
}
export type NotificationActivities = ReturnType<typeof createNotificationActivities>;
