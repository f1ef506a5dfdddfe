/**
 * The rules of Step 4 that need no I/O: whether a batch of decisions is well formed, who holds
 * a book, which books are overdue, how a correction changes a record, and when an agency is
 * done. The workflow's update validators, the activities and the API all apply these.
 */
import type { AppError } from '../errors';
import { cellValue, displayValue, type CellNotes } from '../profiles/cell-values';
import { fieldsOf, type RegisterTypeCode } from '../registers/register-types';
import { validateRecord, type RecordValues } from '../registers/validate-record';
import { canStart, DECISION_ACTIONS, mayAct, RECORD_ACTIONS, startStates, workLeft, type DecisionAction, type RecordState } from '../records/life-cycle';
import {
  ReviewApprovalWithoutScan,
  ReviewBatchEmpty,
  ReviewBatchTooLarge,
  ReviewCommentRequired,
  ReviewDuplicateRecord,
  ReviewFieldInvalid,
  ReviewFieldProtected,
  ReviewFieldUnknown,
  ReviewNoFields,
  ReviewNotOfficialOfAgency,
  ReviewNothingToDecide,
  ReviewReasonInvalid,
  ReviewRecordApproved,
  ReviewRecordRejected,
  ReviewRecordTransferred,
} from './review-errors';
import {
  bookId,
  CORRECTION_REASONS,
  MAX_DECISIONS_PER_BATCH,
  REJECT_REASONS,
  type BookClaim,
  type BookRef,
  type DecisionItem,
  type ReviewActor,
  type ReviewBook,
  type ReviewSettings,
} from './review-types';

/**
 * Fields that place a record in its register: a wrong one is a wrong record, not a typo to
 * correct. The web page offers no correction of these; the batch check below refuses one.
 */
export const PLACE_FIELDS: ReadonlySet<string> = new Set(['agencyCode', 'districtCode', 'registerType', 'bookYear', 'bookNumber', 'registrationNumber']);

/** The first problem of a batch, or undefined when every decision in it is well formed. */
export function batchProblem(type: RegisterTypeCode, items: readonly DecisionItem[]): AppError | undefined {
  if (!Array.isArray(items) || items.length === 0) return ReviewBatchEmpty({});
  if (items.length > MAX_DECISIONS_PER_BATCH) return ReviewBatchTooLarge({ count: items.length });
  const seen = new Set<number>();
  const fields = new Map(fieldsOf(type).map((f) => [f.key, f]));
  for (const item of items) {
    if (seen.has(item.recordId)) return ReviewDuplicateRecord({ recordId: item.recordId });
    seen.add(item.recordId);
    switch (item.kind) {
      case 'approve':
        if (!Array.isArray(item.pages) || item.pages.length === 0) return ReviewApprovalWithoutScan({ recordId: item.recordId });
        break;
      case 'reject':
      case 'correct': {
        const allowed = item.kind === 'reject' ? REJECT_REASONS : CORRECTION_REASONS;
        if (!Object.hasOwn(allowed, item.reasonCode)) return ReviewReasonInvalid({ value: String(item.reasonCode), allowed: Object.keys(allowed).join(', ') });
        if (item.reasonCode === 'OTHER' && !item.comment?.trim()) return ReviewCommentRequired({ recordId: item.recordId });
        if (item.kind === 'correct') {
          const keys = Object.keys(item.fields ?? {});
          if (keys.length === 0) return ReviewNoFields({ recordId: item.recordId });
          for (const key of keys) {
            const field = fields.get(key);
            if (!field) return ReviewFieldUnknown({ recordId: item.recordId, field: key });
            if (PLACE_FIELDS.has(key)) return ReviewFieldProtected({ recordId: item.recordId, field: key, label: field.labelVi });
          }
        }
        break;
      }
      default:
        return ReviewReasonInvalid({ value: String((item as { kind: unknown }).kind), allowed: DECISION_ACTIONS.join(', ') });
    }
  }
  return undefined;
}

export interface FieldChange {
  /** The value before this correction (as shown), the value as first imported, and the new one. */
  original: string;
  imported: string;
  corrected: string;
}

/**
 * A record's values after a correction, in dictionary order, and what changed. A value that
 * cannot be read, or that makes the record break an error rule, refuses the correction.
 */
export function applyCorrection(
  type: RegisterTypeCode,
  recordId: number,
  current: RecordValues,
  imported: RecordValues,
  typed: Record<string, string>,
): { values: RecordValues; changes: Record<string, FieldChange> } | { error: AppError } {
  const fields = fieldsOf(type);
  const next: RecordValues = {};
  const changes: Record<string, FieldChange> = {};
  for (const field of fields) {
    if (!Object.hasOwn(typed, field.key)) {
      if (current[field.key] !== undefined) next[field.key] = current[field.key];
      continue;
    }
    const notes: CellNotes = { problems: [], repaired: [], restoredZeros: [] };
    const text = String(typed[field.key] ?? '').normalize('NFC');
    const value = cellValue(field, text, notes);
    const bad = notes.problems.find((p) => p.severity === 'error');
    if (bad) return { error: ReviewFieldInvalid({ recordId, label: field.labelVi, detail: bad.messageVi }) };
    if (value !== undefined) next[field.key] = value;
    changes[field.key] = { original: displayValue(field, current[field.key]), imported: displayValue(field, imported[field.key]), corrected: displayValue(field, value) };
  }
  const broken = validateRecord(type, next).find((p) => p.severity === 'error' && Object.hasOwn(typed, p.field));
  if (broken) return { error: ReviewFieldInvalid({ recordId, label: fields.find((f) => f.key === broken.field)?.labelVi ?? broken.field, detail: broken.messageVi }) };
  return { values: next, changes };
}

/**
 * Whether `by` may send these decisions on the book as its counts stand: each decision is
 * theirs to take (the life cycle's actors), and the book holds records some decision of the
 * batch may start from. Undefined when the batch may go to the records.
 */
export function decisionsProblem(by: Pick<ReviewActor, 'role'>, agencyCode: string, book: Pick<ReviewBook, 'counts'> & BookRef, items: readonly DecisionItem[]): AppError | undefined {
  const kinds = [...new Set(items.map((i) => i.kind))];
  if (kinds.some((k) => !mayAct(k, by.role))) return ReviewNotOfficialOfAgency({ agency: agencyCode });
  for (const kind of kinds) {
    if (startStates(kind).every((s) => book.counts[s] === 0)) return ReviewNothingToDecide({ book: bookId(book), action: RECORD_ACTIONS[kind].labelVi.toLowerCase() });
  }
  return undefined;
}

/** Why a record in a state refuses a decision; nothing for a state the decision may start from (imported). */
const REFUSED_IN: Record<RecordState, ((p: { recordId: number }) => AppError) | undefined> = {
  imported: undefined,
  approved: ReviewRecordApproved,
  rejected: ReviewRecordRejected,
  transferred: ReviewRecordTransferred,
};

/** The refusal of a decision on a record in `state`, by the life cycle; undefined when the decision may be taken. */
export function decisionRefusal(kind: DecisionAction, recordId: number, state: RecordState): AppError | undefined {
  if (canStart(kind, state)) return undefined;
  const refuse = REFUSED_IN[state];
  if (!refuse) throw new Error(`${kind} refused in ${state} without a reason to give`);
  return refuse({ recordId });
}

/** The claim on a book that still stands at `now`: a claim idle past the limit has lapsed. */
export function standingClaim(book: Pick<ReviewBook, 'claim'>, now: number, settings: Pick<ReviewSettings, 'claimIdleMs'>): BookClaim | undefined {
  const c = book.claim;
  if (!c) return undefined;
  return now - Date.parse(c.lastActiveAt) >= settings.claimIdleMs ? undefined : c;
}

/** A book has work left while it holds records the run still owes something (to review, with or without a scan yet, or to transfer): the life cycle says which. */
export const hasWorkLeft = (b: ReviewBook) => workLeft(b.counts) > 0;

export interface DueNotice {
  book: ReviewBook;
  kind: 'reminder' | 'escalation';
}

/** Reminders and escalations due at `now`, and the next moment one falls due (for the workflow's timer). */
export function dueNotices(books: readonly ReviewBook[], now: number, settings: Pick<ReviewSettings, 'reminderAfterMs' | 'escalateAfterMs'>): { due: DueNotice[]; nextAt?: number } {
  const due: DueNotice[] = [];
  let nextAt: number | undefined;
  const later = (t: number) => (nextAt = nextAt === undefined ? t : Math.min(nextAt, t));
  for (const book of books) {
    if (!hasWorkLeft(book)) continue;
    const idleSince = Date.parse(book.lastActivityAt);
    const remindAt = idleSince + settings.reminderAfterMs;
    const escalateAt = idleSince + settings.escalateAfterMs;
    if (!book.reminded) {
      if (now >= remindAt) due.push({ book, kind: 'reminder' });
      else later(remindAt);
    }
    if (!book.escalated) {
      if (now >= escalateAt) due.push({ book, kind: 'escalation' });
      else later(escalateAt);
    }
  }
  return { due, nextAt };
}

/** Every record of every book is settled (transferred or rejected, by the life cycle): the books' part of when an agency is done (agency-end.ts). */
export function agencyFinished(books: readonly ReviewBook[]): boolean {
  return books.length > 0 && books.every((b) => !hasWorkLeft(b));
}
