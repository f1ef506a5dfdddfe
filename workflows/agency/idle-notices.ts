/**
 * Books with work left and nothing done for a while: after the reminder time the agency is
 * reminded, after the escalation time the coordinator is told (each once per idle period, a
 * notification with its audit entry), and the province run hears how many books are overdue.
 */
import type { NotificationActivities } from '../../activities/review/notify-idle-book';
import { dueNotices } from '../../domain/review/review-rules';
import { bookId, type ReviewBook } from '../../domain/review/review-types';
import { vietnamTime } from '../../domain/text/vietnam-time';
import type { AgencyContext } from './agency-context';
import { describeBook } from './guards';

export interface IdleNotices {
  /** Sends the notices due now, then tells the province run if its count of overdue books is out of date. */
  send(): Promise<void>;
  /** When the next notice falls due: -Infinity when one is due now, Infinity when none will be. */
  dueAt(): number;
}

function messageOf(run: AgencyContext, book: ReviewBook, kind: 'reminder' | 'escalation'): string {
  const waiting = `${book.counts.imported} hồ sơ chờ kiểm tra (${book.counts.awaitingScan} chưa có bản quét)`;
  // describeBook begins with the register's name ("Sổ đăng ký khai sinh, …").
  const idle = `${describeBook(book)} của ${run.state.name} không có thao tác nào từ ${vietnamTime(book.lastActivityAt)}; còn ${waiting}.`;
  return kind === 'reminder' ? `Nhắc việc: ${idle}` : `Quá hạn: ${idle} Đề nghị điều phối viên đôn đốc cơ quan.`;
}

export function createIdleNotices(run: AgencyContext, notifyIdleBook: NotificationActivities['notifyIdleBook']): IdleNotices {
  const { state, settings, workflowId } = run;
  return {
    async send() {
      const { due } = dueNotices(state.books, Date.now(), settings);
      for (const { book, kind } of due) {
        const idleSince = book.lastActivityAt;
        await notifyIdleBook({
          notificationKey: `${workflowId}/${bookId(book)}/${book.lastActivityAt}/${kind}`,
          kind,
          provinceCode: run.input.provinceCode,
          agencyCode: state.code,
          workflowId,
          book: { registerType: book.registerType, unitCode: book.unitCode, bookYear: book.bookYear, bookKey: book.bookKey, bookNumber: book.bookNumber },
          idleSince: book.lastActivityAt,
          messageVi: messageOf(run, book, kind),
        });
        // A decision while the notice was being written started a new idle period, which has had no notice yet.
        if (book.lastActivityAt !== idleSince) continue;
        if (kind === 'reminder') book.reminded = true;
        else book.escalated = true;
      }
      // Work on an overdue book clears it from the coordinator's count as soon as the loop wakes, not at the book's next notice.
      if (run.overdueUntold()) await run.tellParent();
    },
    dueAt() {
      const { due, nextAt } = dueNotices(state.books, Date.now(), settings);
      return due.length > 0 ? -Infinity : (nextAt ?? Infinity);
    },
  };
}
