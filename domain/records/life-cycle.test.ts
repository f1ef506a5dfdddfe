import { canStart, DECISION_ACTIONS, mayAct, RECORD_ACTION_NAMES, RECORD_ACTIONS, RECORD_STATE_RULES, RECORD_STATES, stateAfter, transitions, workLeft } from './life-cycle';

test('the life of a record, pinned: a change here is a change of the process (and of the database trigger)', () => {
  expect(transitions().map((t) => `${t.action}: ${t.from ?? '∅'} → ${t.to}`)).toEqual([
    'import: ∅ → imported',
    'reimport: imported → imported',
    'reimport: rejected → imported',
    'attachPage: imported → imported',
    'attachPage: rejected → imported',
    'approve: imported → approved',
    'reject: imported → rejected',
    'correct: imported → imported',
    'correct: rejected → imported',
    'transfer: approved → transferred',
    'targetRefusal: approved → imported',
    'close: imported → imported',
    'close: rejected → rejected',
  ]);
});

test('rejected is final for the run, reopened only by new data; transferred is final for good', () => {
  expect(canStart('approve', 'rejected')).toBe(false);
  expect(canStart('reject', 'rejected')).toBe(false);
  for (const reopening of ['reimport', 'attachPage', 'correct'] as const) expect(stateAfter(reopening, 'rejected')).toBe('imported');
  expect(RECORD_ACTION_NAMES.filter((a) => canStart(a, 'transferred'))).toEqual([]);
  expect(RECORD_ACTION_NAMES.filter((a) => canStart(a, 'approved'))).toEqual(['transfer', 'targetRefusal']);
});

test("a state awaits the run's work exactly when a review or a transfer starts from it", () => {
  for (const s of RECORD_STATES) {
    const reviewed = canStart('approve', s) || canStart('reject', s);
    const delivered = canStart('transfer', s);
    expect([s, RECORD_STATE_RULES[s].awaits]).toEqual([s, reviewed ? 'review' : delivered ? 'transfer' : undefined]);
  }
  expect(workLeft({ imported: 0, approved: 0, rejected: 5, transferred: 7 })).toBe(0);
  expect(workLeft({ imported: 1, approved: 2, rejected: 5, transferred: 7 })).toBe(3);
});

test('decisions are the official\'s; transfers the run\'s; the target only refuses', () => {
  for (const d of DECISION_ACTIONS) expect([d, mayAct(d, 'official'), mayAct(d, 'coordinator')]).toEqual([d, true, false]);
  expect(mayAct('transfer', 'system')).toBe(true);
  expect(mayAct('targetRefusal', 'target')).toBe(true);
  expect(mayAct('close', 'coordinator')).toBe(true);
  expect(mayAct('close', 'official')).toBe(false);
  // Every action is audited under a dotted name.
  for (const a of RECORD_ACTION_NAMES) expect(RECORD_ACTIONS[a].audit).toMatch(/^[a-z]+\.[a-z_]+$/);
});

test('every label is Vietnamese in NFC', () => {
  for (const t of [...Object.values(RECORD_STATE_RULES), ...Object.values(RECORD_ACTIONS)].map((r) => r.labelVi)) expect(t).toBe(t.normalize('NFC'));
});
