/**
 * What a failed replay says, read from the SDK core's message: the event the workflow code
 * diverged at, and the core's own sentence without the layers of wrapping around it.
 */

/** The event id the core names (`HistoryEvent(id: 19, ActivityTaskScheduled)`, `event id 19`). */
export function replayEventId(message: string): number | undefined {
  const m = /HistoryEvent\(id: (\d+)/.exec(message) ?? /event(?: id)?[ :]+'?(\d+)/i.exec(message);
  return m ? Number(m[1]) : undefined;
}

/** `[TMPRL1100] Nondeterminism error: …` out of `Replay failed … Failure { failure: Some(Failure { message: "…", … }) }`. */
export function replayProblemText(message: string): string {
  const inner = /message: "((?:[^"\\]|\\.)*)"/.exec(message);
  return (inner ? inner[1]!.replace(/\\(.)/g, '$1') : message).trim();
}
