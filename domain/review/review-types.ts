/**
 * Step 4 as every layer sees it: the books an agency reviews, the decisions officials send
 * (in batches, each record decided on its own), what each decision came to, and the settings
 * of claims, reminders and transfers. Pure: the workflow, the activities, the API and the CLI share it.
 */
import type { RegisterTypeCode } from '../registers/register-types';
import { RECORD_STATES, type RecordState, type StateCounts } from '../records/life-cycle';

/** A register book of an agency, as the naming rule and the records' key name it. */
export interface BookRef {
  registerType: RegisterTypeCode;
  /** The unit that kept the book (a former unit of a merged agency, else the agency). */
  unitCode: string;
  bookYear: number;
  /** The book number without leading zeros, as the naming rule compares it. */
  bookKey: string;
}

export const bookId = (b: BookRef) => `${b.registerType}/${b.unitCode}/${b.bookYear}/${b.bookKey}`;
export const sameBook = (a: BookRef, b: BookRef) => bookId(a) === bookId(b);

/** Records of a book by their state in the life cycle. `awaitingScan`: imported records with no page attached (they cannot be approved). */
export interface BookCounts extends StateCounts {
  records: number;
  awaitingScan: number;
}

export const EMPTY_COUNTS: BookCounts = { records: 0, ...(Object.fromEntries(RECORD_STATES.map((s) => [s, 0])) as StateCounts), awaitingScan: 0 };

/** The official working on a book: nobody else decides on it until the claim is released or lapses. */
export interface BookClaim {
  by: string;
  since: string;
  lastActiveAt: string;
}

/** A book in the agency run's state: counts, the claim, and when it last moved (for reminders). */
export interface ReviewBook extends BookRef {
  bookNumber: string;
  counts: BookCounts;
  claim?: BookClaim;
  lastActivityAt: string;
  /** Set once a reminder (then an escalation) went out for the idle period that began at `lastActivityAt`. */
  reminded?: boolean;
  escalated?: boolean;
}

/** Who sends a decision or steers a review: an official of one agency, or a coordinator of the province. */
export interface ReviewActor {
  username: string;
  role: 'official' | 'coordinator';
  /** Officials only. */
  agencyCode?: string;
}

export const REJECT_REASONS = {
  DATA_DIFFERS: 'Dữ liệu khác với sổ hộ tịch',
  PAGE_UNREADABLE: 'Trang quét không đọc được',
  WRONG_PAGE: 'Gắn nhầm trang quét',
  DUPLICATE: 'Bản ghi trùng lặp',
  OTHER: 'Lý do khác',
} as const;
export type RejectReason = keyof typeof REJECT_REASONS;

export const CORRECTION_REASONS = {
  DATA_DIFFERS: 'Sửa cho đúng với sổ hộ tịch',
  ENCODING: 'Sửa lỗi phông chữ, mã hoá tiếng Việt',
  OTHER: 'Lý do khác',
} as const;
export type CorrectionReason = keyof typeof CORRECTION_REASONS;

/** What the target database said when it refused a record: it goes back to review with this reason. */
export const TRANSFER_REJECTED_REASON = 'TARGET_REFUSED';

/** A decision on one record: one of the life cycle's decision actions (DECISION_ACTIONS). */
export type DecisionItem = { recordId: number } & (
  /** `pages`: SHA-256 of the page(s) the official compared the record with. */
  | { kind: 'approve'; pages: string[] }
  | { kind: 'reject'; reasonCode: RejectReason; comment?: string }
  /** `fields`: field key → the value as written in the register (text, as typed). */
  | { kind: 'correct'; reasonCode: CorrectionReason; comment?: string; fields: Record<string, string> }
);

export type DecisionKind = DecisionItem['kind'];

export interface DecisionRequest {
  by: ReviewActor;
  book: BookRef;
  items: DecisionItem[];
}

/** A page of the agency's list decided at once: its records grouped by book. */
export interface PageDecisionRequest {
  by: ReviewActor;
  books: Array<{ book: BookRef; items: DecisionItem[] }>;
}

export interface DecisionOutcome {
  recordId: number;
  kind: DecisionKind;
  outcome: 'decided' | 'refused';
  /** The record's state after the decision. */
  state?: RecordState;
  version?: number;
  code?: string;
  messageVi?: string;
}

export interface DecisionResult {
  batchKey: string;
  decided: number;
  refused: number;
  outcomes: DecisionOutcome[];
  counts: BookCounts;
}

/** A page of records is the most one batch decides: a bulk approval is still one decision per record. */
export const MAX_DECISIONS_PER_BATCH = 200;

export interface ReviewSettings {
  /** A claim lapses after this long without a decision by its holder. */
  claimIdleMs: number;
  /** A book with work left and nothing done for this long reminds the agency… */
  reminderAfterMs: number;
  /** …and for this long, tells the coordinator. */
  escalateAfterMs: number;
  transferBatchSize: number;
  /** Approved records wait this long for more to join their batch. */
  transferDelayMs: number;
}

const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

export const DEFAULT_REVIEW_SETTINGS: ReviewSettings = {
  claimIdleMs: 30 * MINUTE,
  reminderAfterMs: 3 * DAY,
  escalateAfterMs: 7 * DAY,
  transferBatchSize: 1000,
  transferDelayMs: 10_000,
};

/** One batch sent to the target database: what it accepted and what it refused. */
export interface TransferBatchResult {
  batchKey: string;
  records: number;
  accepted: number;
  rejected: number;
  /** The books whose records moved, with their counts afterwards. */
  books: Array<BookRef & { bookNumber: string; counts: BookCounts }>;
}

/** Batches an agency sends at once: each is a few statements on one connection, so two keep both cores busy. */
export const TRANSFER_LANES = 2;

export interface TransferProgress {
  /** Batch keys handed out so far (a key asked for when nothing waited stays unused): the next key is never one already used. */
  keys: number;
  batches: number;
  transferred: number;
  rejectedByTarget: number;
  lastBatchAt?: string;
}
