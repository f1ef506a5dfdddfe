/** The event a replay diverged at, as the SDK's core names it in its non-determinism message. */
export function replayEventId(message: string): number | undefined {
  const m = /HistoryEvent\(id: (\d+)/.exec(message) ?? /event(?: id)?[ :]+'?(\d+)/i.exec(message);
  return m ? Number(m[1]) : undefined;
}
