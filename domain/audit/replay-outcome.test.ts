import { replayEventId, replayProblemText } from './replay-outcome';

// As the SDK core (1.24) reported a moved activity call in test/replay/corpus.test.ts.
const CORE =
  'Replay failed with a nondeterminism error. This means that the workflow code as written is not compatible with the history that was fed in. Details: Workflow activation completion failed: Failure { failure: Some(Failure { message: "[TMPRL1100] Nondeterminism error: UpsertWorkflowSearchAttributesMachine does not handle HistoryEvent(id: 19, ActivityTaskScheduled)", source: "", stack_trace: "", encoded_attributes: None, cause: None, failure_info: None }), force_cause: NonDeterministicError }';

test("the event a replay diverged at, and the core's own sentence", () => {
  expect(replayEventId(CORE)).toBe(19);
  expect(replayProblemText(CORE)).toBe('[TMPRL1100] Nondeterminism error: UpsertWorkflowSearchAttributesMachine does not handle HistoryEvent(id: 19, ActivityTaskScheduled)');
  expect(replayEventId("Activity type of scheduled event 'registerWorkflows' does not match activity type of activity command 'agencySplitFiles'")).toBeUndefined();
  expect(replayProblemText('history is empty')).toBe('history is empty');
});
