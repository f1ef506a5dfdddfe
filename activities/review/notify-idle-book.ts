/** Reminders and escalations of idle books: a notification row (the dashboard reads it) and a log line. */
import { log } from '@temporalio/activity';
import type { Pool } from 'pg';
import type { BookRef } from '../../domain/review/review-types';

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
      const r = await pool.query(
        `INSERT INTO notifications (notification_key, kind, province_code, agency_code, workflow_id, book, idle_since, message_vi)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8) ON CONFLICT (notification_key) DO NOTHING`,
        [n.notificationKey, n.kind, n.provinceCode, n.agencyCode, n.workflowId, JSON.stringify(n.book), n.idleSince, n.messageVi],
      );
      if (r.rowCount) log.warn(n.kind === 'reminder' ? 'book idle: agency reminded' : 'book idle: escalated to the coordinator', { agency: n.agencyCode, book: n.book, idleSince: n.idleSince });
    },
  };
}
export type NotificationActivities = ReturnType<typeof createNotificationActivities>;
