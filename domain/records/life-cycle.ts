/**
 * The life of a register record, in one table: its states, the actions on it, who may take
 * each, the states each may start from, and the state it leaves. The activities, the agency
 * run's validators, the API's schemas, the CLI's labels and the database's trigger (checked
 * against this table by db/record-transitions.int.test.ts) all follow it.
 *
 * Rejected is decided once: a rejected record needs nothing more from the agency (its part may
 * end with it), and approval or a second rejection are refused on it. Only new data reopens
 * it: the row imported again with changed values, a page attached or replaced, or an
 * official's correction, each of which sends it back to review.
 */
import type { Role } from '../access';

export const RECORD_STATES = ['imported', 'approved', 'rejected', 'transferred'] as const;
export type RecordState = (typeof RECORD_STATES)[number];

export const isRecordState = (s: unknown): s is RecordState => (RECORD_STATES as readonly unknown[]).includes(s);

interface StateRule {
  labelVi: string;
  /** What the agency's run still owes a record in this state; none: it is settled (the run may end with it). */
  awaits?: 'review' | 'transfer';
}

export const RECORD_STATE_RULES: Record<RecordState, StateRule> = {
  imported: { labelVi: 'Chờ kiểm tra', awaits: 'review' },
  approved: { labelVi: 'Đã phê duyệt, chờ chuyển', awaits: 'transfer' },
  rejected: { labelVi: 'Bị từ chối' },
  transferred: { labelVi: 'Đã chuyển vào CSDLHTĐT' },
};

/** Who acts: users by their role, the run itself (timers, batches), and CSDLHTĐT answering a transfer. */
export type ActorKind = Extract<Role, 'official' | 'coordinator'> | 'system' | 'target';

interface ActionRule {
  labelVi: string;
  /** The states it may start from; null: the record does not exist yet. */
  from: readonly (RecordState | null)[];
  /** The state it leaves the record in; 'unchanged': the record stays as it was. */
  to: RecordState | 'unchanged';
  by: readonly ActorKind[];
  /** The name of its entries in the audit log. */
  audit: string;
}

export const RECORD_ACTIONS = {
  import: { labelVi: 'Nhập dữ liệu', from: [null], to: 'imported', by: ['official', 'coordinator'], audit: 'import.excel' },
  reimport: { labelVi: 'Nhập lại dữ liệu đã thay đổi', from: ['imported', 'rejected'], to: 'imported', by: ['official', 'coordinator'], audit: 'record.reimport' },
  attachPage: { labelVi: 'Đính kèm trang quét', from: ['imported', 'rejected'], to: 'imported', by: ['official', 'coordinator'], audit: 'record.attach_page' },
  approve: { labelVi: 'Phê duyệt', from: ['imported'], to: 'approved', by: ['official'], audit: 'record.approve' },
  reject: { labelVi: 'Từ chối', from: ['imported'], to: 'rejected', by: ['official'], audit: 'record.reject' },
  correct: { labelVi: 'Sửa theo sổ', from: ['imported', 'rejected'], to: 'imported', by: ['official'], audit: 'record.correct' },
  transfer: { labelVi: 'Chuyển vào CSDLHTĐT', from: ['approved'], to: 'transferred', by: ['system'], audit: 'transfer.batch' },
  targetRefusal: { labelVi: 'CSDLHTĐT từ chối nhận', from: ['approved'], to: 'imported', by: ['target'], audit: 'record.target_refusal' },
  /** A coordinator ends the agency's part: approved records are delivered first, the rest stays as it is, recorded as not transferred. */
  close: { labelVi: 'Kết thúc phần việc của cơ quan', from: ['imported', 'rejected'], to: 'unchanged', by: ['coordinator'], audit: 'agency.closed' },
} as const satisfies Record<string, ActionRule>;

export type RecordAction = keyof typeof RECORD_ACTIONS;
export const RECORD_ACTION_NAMES = Object.keys(RECORD_ACTIONS) as RecordAction[];

/** The actions an official takes on one record at a time, as decisions of the agency run. */
export const DECISION_ACTIONS = ['approve', 'reject', 'correct'] as const satisfies readonly RecordAction[];
export type DecisionAction = (typeof DECISION_ACTIONS)[number];

const rule = (action: RecordAction): ActionRule => RECORD_ACTIONS[action];

export const startStates = (action: RecordAction): RecordState[] => rule(action).from.filter((s): s is RecordState => s !== null);

export const canStart = (action: RecordAction, state: RecordState | null): boolean => rule(action).from.includes(state);

/** The state the action leaves a record in, from a state it may start from. */
export function stateAfter(action: RecordAction, state: RecordState | null): RecordState {
  const { to } = rule(action);
  if (to !== 'unchanged') return to;
  if (state === null) throw new Error(`${action} does not create records`);
  return state;
}

/** Whether an actor of this kind (a user's role, the system, the target) may take the action. */
export const mayAct = (action: RecordAction, actor: string): boolean => (rule(action).by as readonly string[]).includes(actor);

/** The states a record of a book can be counted in, with their counts. */
export type StateCounts = Record<RecordState, number>;

/** Records the agency's run still owes something: a book or an agency with none has its work done. */
export const workLeft = (counts: StateCounts): number => RECORD_STATES.reduce((n, s) => n + (RECORD_STATE_RULES[s].awaits ? counts[s] : 0), 0);

/** Every (action, from, to) the table allows, as the database's copy of it holds them. */
export function transitions(): Array<{ action: RecordAction; from: RecordState | null; to: RecordState }> {
  return RECORD_ACTION_NAMES.flatMap((action) => rule(action).from.map((from) => ({ action, from, to: stateAfter(action, from) })));
}
