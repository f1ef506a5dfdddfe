/**
 * Claims and releases of register books, on the audit log: the agency run holds who has a book
 * (its state, its history), and each new claim and each release is also an entry of the
 * province's chain, so the log alone says who held which book when. Keyed by the update that
 * asked, so a retried attempt writes nothing twice.
 */
import type { Pool } from 'pg';
import type { AuditEntry } from '../../domain/audit/audit-entry';
import { bookId, type BookRef, type ReviewActor } from '../../domain/review/review-types';
import { recordAction } from '../audit/record-action';

export interface BookClaimEntry {
  /** The update that claimed or released the book. */
  key: string;
  action: 'book.claim' | 'book.release';
  agencyCode: string;
  workflowId: string;
  by: ReviewActor;
  book: BookRef & { bookNumber: string };
  /** A claim: since when; one taken over after it lapsed: whose it was. A release: whose claim it ended. */
  details: { since?: string; lapsedClaimOf?: string; heldBy?: string };
}

/** The entry of a claim or release, to be written with the action that made it (or alone, as recordBookAction does). */
export const bookClaimAudit = (e: Omit<BookClaimEntry, 'key'> & { key?: string }): AuditEntry => ({
  agencyCode: e.agencyCode,
  actor: e.by.username,
  actorRole: e.by.role,
  action: e.action,
  subject: { kind: 'book', id: bookId(e.book) },
  workflowId: e.workflowId,
  details: { bookNumber: e.book.bookNumber, ...e.details },
  key: e.key,
});

export function createBookClaimActivities({ pool }: { pool: Pool }) {
  return {
    async recordBookAction(e: BookClaimEntry): Promise<void> {
      await recordAction(pool, async () => ({ result: undefined, audit: [bookClaimAudit(e)] }));
    },
  };
}
export type BookClaimActivities = ReturnType<typeof createBookClaimActivities>;
